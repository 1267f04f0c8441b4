"""Service names and their aliases, from ``corpus/services.yaml``.

Students write "KDS", notes say "Kinesis Data Streams": the query is expanded with the
canonical name (and the other way round) so both retrievers see both spellings. The same
catalog gives question generation its distractors (sibling services).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

VENDORS = ("Amazon", "AWS")
VENDOR_WORDS = frozenset(v.lower() for v in VENDORS)  # the same, as words of a lower-cased text
_VENDOR_PREFIX = re.compile(rf"^(?:(?:{'|'.join(VENDORS)})\s+)+")


def without_vendor(name: str) -> str:
    """ "Amazon Kinesis Data Streams" -> "Kinesis Data Streams"; a name without the prefix as it is."""
    return _VENDOR_PREFIX.sub("", name)


@dataclass(frozen=True)
class Service:
    name: str
    aliases: tuple[str, ...]
    category: str
    siblings: tuple[str, ...]
    does: str = ""

    @property
    def short_name(self) -> str:
        """The name without its vendor prefix: "Amazon Kinesis Data Streams" -> "Kinesis Data Streams"."""
        return without_vendor(self.name)


@dataclass(frozen=True)
class Overlap:
    """A capability several services share ("visual, no-code data preparation"): a need its
    ``cue`` matches can be met by any of ``services``."""

    capability: str
    cue: re.Pattern[str]
    services: frozenset[str]


@dataclass(frozen=True)
class Common:
    """A capability nearly every service has (encryption at rest, IAM policies): a need that
    asks only for it names no one service, unless the key is one of ``owners``."""

    capability: str
    cue: re.Pattern[str]
    owners: frozenset[str]


@dataclass
class ServiceCatalog:
    services: dict[str, Service] = field(default_factory=dict)
    overlaps: list[Overlap] = field(default_factory=list)
    common: list[Common] = field(default_factory=list)
    serverless: frozenset[str] = frozenset()  # nothing to provision, patch or size
    serverless_option: frozenset[str] = frozenset()  # provisioned by default, with a serverless form (ElastiCache)
    provisioned: frozenset[str] = frozenset()  # servers, clusters or nodes to size, and no serverless form
    retired: frozenset[str] = frozenset()  # discontinued: known by name, never offered as an option
    # "HA" <-> "high availability": abbreviations of phrases that are no service, both ways, lower case
    _spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _spelling_re: re.Pattern[str] | None = None
    _alias_re: re.Pattern[str] | None = None
    _by_alias: dict[str, Service] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ServiceCatalog:
        if not path.exists():
            return cls()
        # libyaml's loader (when PyYAML has it) reads the 50 kB catalog ~8x faster: every cold ask loads it.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        catalog = cls()
        for entry in raw.get("services", []):
            service = Service(
                name=entry["name"],
                aliases=tuple(entry.get("aliases", [])),
                category=entry.get("category", ""),
                siblings=tuple(entry.get("siblings", [])),
                does=entry.get("does", ""),
            )
            catalog.services[service.name] = service
            for alias in (service.name, service.short_name, *service.aliases):
                catalog._by_alias.setdefault(alias.lower(), service)
        for entry in raw.get("overlaps", []):
            unknown = [n for n in entry["services"] if n not in catalog.services]
            if unknown:
                raise ValueError(f"{path}: overlap {entry['capability']!r} names services not in the catalog: {unknown}")
            catalog.overlaps.append(Overlap(entry["capability"], re.compile(entry["cue"], re.I), frozenset(entry["services"])))
        for entry in raw.get("common", []):
            if unknown := [n for n in entry["owners"] if n not in catalog.services]:
                raise ValueError(f"{path}: common capability {entry['capability']!r} names services not in the catalog: {unknown}")
            catalog.common.append(Common(entry["capability"], re.compile(entry["cue"], re.I), frozenset(entry["owners"])))
        catalog.serverless = frozenset(raw.get("serverless", []))
        catalog.serverless_option = frozenset(raw.get("serverless_option", []))
        catalog.provisioned = frozenset(raw.get("provisioned", []))
        catalog.retired = frozenset(raw.get("retired", []))
        for short, forms in (raw.get("abbreviations") or {}).items():
            if owner := catalog.lookup(short):
                raise ValueError(f"{path}: abbreviation {short!r} is a name of {owner.name}; list it there")
            catalog._spellings[_spelling_key(short)] = tuple(forms)
            for form in forms:
                catalog._spellings.setdefault(_spelling_key(form), (short,))
        lists = {"serverless": catalog.serverless, "serverless_option": catalog.serverless_option, "provisioned": catalog.provisioned}
        for key, listed in {**lists, "retired": catalog.retired}.items():
            if unknown := sorted(listed - set(catalog.services)):
                raise ValueError(f"{path}: {key} names services not in the catalog: {unknown}")
        for key, listed in lists.items():  # a service has servers, a serverless form, or neither: one list
            if twice := sorted(n for other, more in lists.items() if other != key for n in listed & more):
                raise ValueError(f"{path}: {key} shares services with another list: {twice}")
        if catalog._spellings:
            # An abbreviation as written ("HA", not "ha"); a phrase in any case.
            shorts = list(raw["abbreviations"])
            forms = sorted({f for short in shorts for f in raw["abbreviations"][short]}, key=len, reverse=True)
            alternatives = [*map(re.escape, sorted(shorts, key=len, reverse=True)), *(f"(?i:{_form_pattern(f)})" for f in forms)]
            catalog._spelling_re = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
        if catalog._by_alias:
            # Longest first, so "Kinesis Data Streams" wins over "Kinesis".
            names = sorted(catalog._by_alias, key=len, reverse=True)
            catalog._alias_re = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])", re.I)
        return catalog

    def find(self, text: str) -> list[Service]:
        """Services named in ``text`` (by name or alias), in order of first mention."""
        if self._alias_re is None:
            return []
        found = [self._by_alias[m.group(1).lower()] for m in self._alias_re.finditer(text)]
        return list(dict.fromkeys(found))

    def shared_with(self, need: str) -> list[Overlap]:
        """The capabilities ``need`` asks for that several services share."""
        return [o for o in self.overlaps if o.cue.search(need)]

    def beyond_common(self, need: str, keys: list[Service]) -> str:
        """``need`` without the capabilities nearly every service has, unless a key owns them:
        what is left is what could tell the key from the other options."""
        for common in self.common:
            if not any(k.name in common.owners for k in keys):
                need = common.cue.sub(" ", need)
        return need

    def can_run_serverless(self, service: Service) -> bool:
        """``service`` has, or has a form with, nothing to provision, patch or size."""
        return service.name in self.serverless or service.name in self.serverless_option

    def lookup(self, name: str) -> Service | None:
        return self.services.get(name) or self._by_alias.get(name.lower())

    def spellings(self, name: str) -> tuple[str, ...]:
        """The other ways to write ``name`` when it is a listed abbreviation or one spelled out:
        "HA" -> ("high availability", ...), "Change Data Capture" -> ("CDC",); else ()."""
        return self._spellings.get(_spelling_key(name), ())

    def expand(self, query: str) -> str:
        """Append the canonical name of every service the query names by alias only, and the
        other spellings of its abbreviations ("HA" finds notes that say "high availability")."""
        extra = [s.short_name for s in self.find(query) if s.short_name.lower() not in query.lower()]
        spelled = self._spelling_re.finditer(query) if self._spelling_re else ()
        extra += [other for m in spelled for other in self.spellings(m.group()) if other.lower() not in query.lower()]
        extra = list(dict.fromkeys(extra))
        return f"{query} ({'; '.join(extra)})" if extra else query


def _spelling_key(name: str) -> str:
    """ "Attribute-Based  Access Control" and "attribute based access control" are one spelling."""
    return " ".join(re.split(r"[\s-]+", name.lower())).strip()


def _form_pattern(form: str) -> str:
    """A spelled-out form whose words may be split by spaces or hyphens."""
    return r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", form)))

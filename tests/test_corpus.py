"""The bundled corpus: schema, size, catalog coverage, no near-duplicates."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from tutor.ingest.readers import read_source
from tutor.locations import corpus_dir
from tutor.retrieve.synonyms import ServiceCatalog

CORPUS = corpus_dir()
FILES = sorted(CORPUS.glob("*.md"))
EXAMS = {"DEA-C01", "DAS-C01", "SAA-C03", "AIF-C01"}
CATALOG = ServiceCatalog.load(CORPUS / "services.yaml")


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, f"{path.name}: no front matter"
    return yaml.safe_load(match.group(1))


def test_corpus_size() -> None:
    assert len(FILES) >= 40
    assert sum(p.stat().st_size for p in FILES) >= 150_000


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_front_matter_schema(path: Path) -> None:
    meta = front_matter(path)
    assert isinstance(meta["title"], str) and meta["title"].strip()
    assert meta["exams"] and set(meta["exams"]) <= EXAMS
    assert isinstance(meta["domain"], str) and meta["domain"].strip()
    assert meta["services"] and all(isinstance(s, str) for s in meta["services"])
    assert path.stat().st_size >= 3000, "tiny file"
    assert len(re.findall(r"^## ", path.read_text(encoding="utf-8"), re.M)) >= 4
    source = read_source(path, 10**7)
    assert source.metadata["title"] == meta["title"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_listed_service_is_in_the_catalog(path: Path) -> None:
    missing = [s for s in front_matter(path)["services"] if CATALOG.lookup(s) is None]
    assert not missing, f"{path.name}: not in services.yaml: {missing}"


def test_catalog_is_consistent() -> None:
    raw = yaml.safe_load((CORPUS / "services.yaml").read_text(encoding="utf-8"))["services"]
    names = [entry["name"] for entry in raw]
    assert len(names) == len(set(names))
    aliases = [a.lower() for entry in raw for a in entry.get("aliases", [])]
    assert len(aliases) == len(set(aliases)), "an alias names two services"
    for entry in raw:
        assert entry["category"] and entry["does"]
        assert set(entry.get("siblings", [])) <= set(names), entry["name"]


def _shingles(path: Path) -> set[str]:
    words = re.findall(r"[a-z0-9]+", path.read_text(encoding="utf-8").lower())
    return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}


def test_no_duplicated_files() -> None:
    shingles = {p: _shingles(p) for p in FILES}
    for a, b in itertools.combinations(FILES, 2):
        overlap = len(shingles[a] & shingles[b]) / max(1, min(len(shingles[a]), len(shingles[b])))
        assert overlap < 0.2, f"{a.name} and {b.name} share {overlap:.0%} of their 8-word runs"

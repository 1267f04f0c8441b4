"""Which service a passage that names none is about: the one its section was opened with.

A slide deck names its service on the section's first slides ("AMAZON EMR - OVERVIEW",
"EMR NODE TYPES"), and the slides after them ("INSTANCE GROUPS vs INSTANCE FLEETS", "LOB
HANDLING", "ERROR HANDLING") never say it again: a student reads them as that service's,
because that is what the section is about until another slide names another. So a passage
whose heading and text name no service is about the services of the run of passages it shares
a heading with: the latest of them whose own title names a service, else the first that names
any. Its own heading's run first ("... > ERROR HANDLING", which may open with the name), then
each enclosing section's ("Section 7: Orchestration", opened by "AWS STEP FUNCTIONS"), short
of the file's own title. A passage that
names a service is that one's, as before; only the unnamed ones are given a subject. A name is
written as one, with a capital: "cheapest for batch" is the word, not AWS Batch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.ingest.chunker import HEADING_SEPARATOR

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from tutor.retrieve import Hit
    from tutor.retrieve.synonyms import ServiceCatalog
    from tutor.store.index import StoredChunk


@dataclass(frozen=True)
class _File:
    """One note file's passages in reading order, with what every lookup needs of them."""

    chunks: Sequence[StoredChunk]
    paths: list[list[str]]  # each chunk's heading path
    at: dict[str, int]  # chunk id -> its place
    title_depth: int  # how many heading levels every titled passage shares: the file's title


class Sections:
    """Reads a note file's passages (``read_file``: source -> chunks in reading order) when a
    passage's subject is first asked for, and keeps them for the rest of one answer."""

    def __init__(self, read_file: Callable[[str], Sequence[StoredChunk]], catalog: ServiceCatalog) -> None:
        self._read_file = read_file
        self._catalog = catalog
        self._files: dict[str, _File] = {}

    def subject(self, hit: Hit) -> set[str]:
        """The services ``hit``'s section opened with (none when its file has no earlier name)."""
        if not hit.heading:
            return set()
        file = self._file(hit.source)
        at = file.at.get(hit.chunk_id)
        if at is None:
            return set()
        path = file.paths[at]
        # A heading every passage of the file has is its title ("MLS-C01 study notes"): what the
        # first passage names is a preamble's list, not the topic of the rest.
        for depth in range(len(path), file.title_depth, -1):
            start = at
            while start and file.paths[start - 1][:depth] == path[:depth]:
                start -= 1
            run = file.chunks[start : at + 1]
            # The latest slide whose own title names a service opened what follows it ("AWS STEP
            # FUNCTIONS", then "EVENTBRIDGE PIPES", then "BATCHING": Pipes'); else the first mention.
            for chunk in reversed(run):
                if named := written_names(self._catalog, chunk.heading.rpartition(HEADING_SEPARATOR)[2]):
                    return named
            for chunk in run:
                if named := written_names(self._catalog, f"{chunk.heading}\n{chunk.text}"):
                    return named
        return set()

    def _file(self, source: str) -> _File:
        if source not in self._files:
            chunks = self._read_file(source)
            paths = [c.heading.split(HEADING_SEPARATOR) for c in chunks]
            titled = [p for p, c in zip(paths, chunks, strict=True) if c.heading]
            depth = 0
            while titled and all(len(p) > depth and p[depth] == titled[0][depth] for p in titled):
                depth += 1
            self._files[source] = _File(chunks, paths, {c.id: i for i, c in enumerate(chunks)}, depth)
        return self._files[source]


def written_names(catalog: ServiceCatalog, text: str) -> set[str]:
    """The services ``text`` names as names: some mention has a capital ("Batch", "STEP FUNCTIONS",
    "EMR"), not only the lower-case word ("run steps, terminate (cheapest for batch)")."""
    return {
        s.name
        for s in catalog.find(text)
        if any(
            not m.group().islower()
            for alias in {s.name, s.short_name, *s.aliases}
            for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.I)
        )
    }

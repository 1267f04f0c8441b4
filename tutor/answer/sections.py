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
from typing import TYPE_CHECKING

from tutor.ingest.chunker import HEADING_SEPARATOR

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from tutor.retrieve import Hit
    from tutor.retrieve.synonyms import ServiceCatalog
    from tutor.store.index import StoredChunk


class Sections:
    """Reads a note file's passages (``read_file``: source -> chunks in reading order) when a
    passage's subject is first asked for, and keeps them for the rest of one answer."""

    def __init__(self, read_file: Callable[[str], Sequence[StoredChunk]], catalog: ServiceCatalog) -> None:
        self._read_file = read_file
        self._catalog = catalog
        self._files: dict[str, Sequence[StoredChunk]] = {}

    def subject(self, hit: Hit) -> set[str]:
        """The services ``hit``'s section opened with (none when its file has no earlier name)."""
        if hit.source not in self._files:
            self._files[hit.source] = self._read_file(hit.source)
        chunks = self._files[hit.source]
        at = next((i for i, c in enumerate(chunks) if c.id == hit.chunk_id), None)
        if at is None or not hit.heading:
            return set()
        path = hit.heading.split(HEADING_SEPARATOR)
        for depth in range(len(path), 0, -1):
            # A heading every passage of the file has is its title ("MLS-C01 study notes"): what
            # the first passage names is a preamble's list, not the topic of the rest.
            if all(c.heading.split(HEADING_SEPARATOR)[:depth] == path[:depth] for c in chunks if c.heading):
                break
            start = at
            while start and chunks[start - 1].heading.split(HEADING_SEPARATOR)[:depth] == path[:depth]:
                start -= 1
            run = chunks[start : at + 1]
            # The latest slide whose own title names a service opened what follows it ("AWS STEP
            # FUNCTIONS", then "EVENTBRIDGE PIPES", then "BATCHING": Pipes'); else the first mention.
            for chunk in reversed(run):
                if named := written_names(self._catalog, chunk.heading.rpartition(HEADING_SEPARATOR)[2]):
                    return named
            for chunk in run:
                if named := written_names(self._catalog, f"{chunk.heading}\n{chunk.text}"):
                    return named
        return set()


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

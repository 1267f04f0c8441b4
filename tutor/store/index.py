"""A named collection: its Chroma vectors, its BM25 index and its file manifest, kept in step.

Commit order makes every step safe to interrupt: a file's new vectors are upserted
before its stale ones are deleted, and the manifest row that marks it done is written
last. A crash anywhere leaves the old vectors (or both, briefly), never none; the next
run sees the file's hash missing from the manifest and finishes the job.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from tutor.config import Config
from tutor.errors import ModelMismatchError, TutorError
from tutor.store.bm25 import Bm25Index
from tutor.store.db import STORE, connect, transaction
from tutor.store.vectors import chroma_client, delete_collection, fresh_chroma_client, list_physical, open_collection, server_faults

if TYPE_CHECKING:  # ingest depends on the store, not the other way round
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import GetResult, Where

    from tutor.ingest.chunker import Chunk

_PHYSICAL_PREFIX = "tutor-"
_CHROMA_DB = "chroma.sqlite3"  # what PersistentClient keeps in its folder


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the index."""

    id: str
    text: str
    source: str
    heading: str
    start_line: int
    end_line: int
    ordinal: int
    content_hash: str
    page: int | None = None
    page_unit: str = "page"
    domain: str = ""  # the note file's front-matter domain, if it names one

    @classmethod
    def from_chroma(cls, chunk_id: str, text: str, meta: Mapping[str, Any]) -> StoredChunk:
        return cls(
            id=chunk_id,
            text=text,
            source=str(meta["source"]),
            heading=str(meta.get("heading", "")),
            start_line=int(meta["start_line"]),
            end_line=int(meta["end_line"]),
            ordinal=int(meta["ordinal"]),
            content_hash=str(meta.get("content_hash", "")),
            page=int(meta["page"]) if "page" in meta else None,
            page_unit=str(meta.get("page_unit", "page")),
            domain=str(meta.get("domain") or ""),
        )


def _chroma_metadata(chunk: Chunk, collection: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": chunk.source,
        "heading": chunk.heading,
        "start_line": chunk.start_line,
        "end_line": chunk.end_line,
        "ordinal": chunk.ordinal,
        "content_hash": chunk.content_hash,
        "collection": collection,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
        meta["page_unit"] = chunk.page_unit
    for key in ("title", "exams", "domain", "services"):
        if value := chunk.metadata.get(key):
            meta[key] = value
    return meta


class Index:
    """One logical collection. Open it with :meth:`open`; it is cheap to keep around."""

    def __init__(
        self, config: Config, name: str, db: sqlite3.Connection, physical: str, model: str, dim: int, client: ClientAPI | None = None
    ) -> None:
        self.config = config
        self.name = name
        self.db = db
        self.physical = physical
        self.model = model
        self.dim = dim
        if client is not None:
            self.client = client
        self._bm25: Bm25Index | None = None
        self._seen = -1  # the generation this process's Chroma view reflects

    # Chroma is opened on first use (importing it takes ~0.6 s): a re-ingest that finds
    # nothing changed, or a status line, reads only the SQLite manifest.
    @cached_property
    def client(self) -> ClientAPI:
        return chroma_client(self.config)

    @cached_property
    def vectors(self) -> Collection:
        self._seen = self.generation()
        return open_collection(self.client, self.physical, self.model, self.dim)

    def _follow_other_writers(self) -> None:
        """Reopen Chroma if another process (a CLI ingest, the TUI's core) changed the collection.

        An on-disk Chroma keeps its vector index in memory per process: without this, chunks
        another process added are counted and read back, but never found by similarity. One
        SQLite read per search tells: the generation moved on without a write from here.
        """
        if "vectors" not in self.__dict__ or self.config.store.chroma_url:
            return
        if self.generation() != self._seen:
            self.__dict__.pop("vectors")
            self.client = fresh_chroma_client(self.config)

    def close(self) -> None:
        """Close the manifest connection (shared with a :meth:`staging` index made from this one)."""
        self.db.close()

    # -- opening ---------------------------------------------------------------

    @staticmethod
    def names(config: Config) -> list[str]:
        with closing(connect(config.db_path, STORE)) as db:
            return [row["name"] for row in db.execute("SELECT name FROM collections ORDER BY name")]

    @classmethod
    def open(cls, config: Config, name: str, model: str, dim: int, create: bool = False) -> Index:
        """Open collection ``name``; with ``create``, make it if missing. Checks the embedder.

        The index owns its connection: :meth:`close` it (a Workspace closes the ones it opened).
        """
        db = connect(config.db_path, STORE)
        try:
            return cls._open(config, name, model, dim, create, db)
        except BaseException:
            db.close()
            raise

    @classmethod
    def _open(cls, config: Config, name: str, model: str, dim: int, create: bool, db: sqlite3.Connection) -> Index:
        row = db.execute("SELECT * FROM collections WHERE name = ?", (name,)).fetchone()
        if row is None:
            if not create:
                known = ", ".join(cls.names(config)) or "none yet"
                raise TutorError(f"no collection '{name}' (known: {known}); run `tutor ingest PATH --collection {name}`")
            physical = f"{_PHYSICAL_PREFIX}{name}-{uuid.uuid4().hex[:8]}"
            with transaction(db):
                db.execute(
                    "INSERT INTO collections (name, physical, embed_model, dim) VALUES (?, ?, ?, ?)",
                    (name, physical, model, dim),
                )
            return cls(config, name, db, physical, model, dim)
        if row["embed_model"] != model or row["dim"] != dim:
            raise ModelMismatchError(
                f"collection '{name}' was embedded with {row['embed_model']} ({row['dim']}-d) but the configured "
                f"embedder is {model} ({dim}-d); run `tutor ingest PATH --collection {name} --rebuild` to re-embed it"
            )
        return cls(config, name, db, row["physical"], model, dim)

    # -- manifest ----------------------------------------------------------------

    def files(self) -> dict[str, str]:
        """path -> content hash of every file committed to this collection."""
        rows = self.db.execute("SELECT path, content_hash FROM files WHERE physical = ?", (self.physical,))
        return {row["path"]: row["content_hash"] for row in rows}

    def is_current(self) -> bool:
        """Whether this still serves its name (a rebuild elsewhere swaps in a new physical collection)."""
        row = self.db.execute("SELECT physical FROM collections WHERE name = ?", (self.name,)).fetchone()
        return row is not None and row["physical"] == self.physical

    @server_faults
    def missing_files(self, open_chroma: bool = True) -> list[str]:
        """Files in the manifest whose chunks Chroma does not hold: its folder was deleted, the
        server lost its data, or ``TUTOR_CHROMA_URL`` points at another one. Cheap when all is
        well (one count); the ids are compared only when the count falls short.

        ``open_chroma=False`` (an ingest that may find nothing changed) never imports Chroma
        for an on-disk store: its database file gone means every file is missing.
        """
        rows = self.db.execute("SELECT path, chunk_ids FROM files WHERE physical = ?", (self.physical,)).fetchall()
        expected = {row["path"]: json.loads(row["chunk_ids"]) for row in rows}
        total = sum(len(ids) for ids in expected.values())
        if not total:
            return []
        if not self.config.store.chroma_url and "client" not in self.__dict__:
            if not (self.config.chroma_path / _CHROMA_DB).exists():
                return sorted(expected)
            if not open_chroma:
                return []
        if self.count() >= total:
            return []
        held = set(self.vectors.get(include=[])["ids"])
        return sorted(path for path, ids in expected.items() if not held.issuperset(ids))

    def lost_vectors(self, missing: Sequence[str]) -> str:
        """The one-line error for :meth:`missing_files`."""
        where = self.config.store.chroma_url or self.config.chroma_path
        return (
            f"collection '{self.name}': the vector store at {where} lacks the chunks of {len(missing)} of "
            f"{len(self.files())} ingested files (deleted, or another server?); run `tutor ingest PATH "
            f"--collection {self.name}` to re-embed them, or add --rebuild to start the collection afresh"
        )

    def generation(self) -> int:
        row = self.db.execute("SELECT generation FROM collections WHERE physical = ?", (self.physical,)).fetchone()
        return int(row["generation"]) if row else 0

    @server_faults
    def count(self) -> int:
        return int(self.vectors.count())

    # -- writing -----------------------------------------------------------------

    def _old_ids(self, path: str) -> list[str]:
        row = self.db.execute("SELECT chunk_ids FROM files WHERE physical = ? AND path = ?", (self.physical, path)).fetchone()
        return json.loads(row["chunk_ids"]) if row else []

    @server_faults
    def put_file(
        self,
        path: str,
        content_hash: str,
        chunks: Sequence[Chunk],
        embeddings: Sequence[Sequence[float]] | np.ndarray[Any, np.dtype[np.float32]],
    ) -> None:
        """Replace one file's chunks. Upsert new, delete stale, then record: in that order."""
        new_ids = [c.id for c in chunks]
        step = self._max_batch()
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            self.vectors.upsert(
                ids=[c.id for c in part],
                embeddings=np.asarray(embeddings[start : start + step], dtype=np.float32),
                documents=[c.text for c in part],
                metadatas=[_chroma_metadata(c, self.name) for c in part],
            )
        # Chroma may hold ids from a run that died before its manifest row: sweep by source too.
        known = self.vectors.get(where={"source": path}, include=[])["ids"]
        stale = sorted((set(self._old_ids(path)) | set(known)) - set(new_ids))
        if stale:
            self.vectors.delete(ids=stale)
        with transaction(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO files (physical, path, content_hash, chunk_ids) VALUES (?, ?, ?, ?)",
                (self.physical, path, content_hash, json.dumps(new_ids)),
            )
            self._bump()

    def _max_batch(self) -> int:
        try:
            return int(self.client.get_max_batch_size())
        except (AttributeError, TypeError, ValueError):  # older servers do not say
            return 1000

    @server_faults
    def remove_file(self, path: str) -> None:
        ids = self._old_ids(path)
        if ids:
            self.vectors.delete(ids=ids)
        with transaction(self.db):
            self.db.execute("DELETE FROM files WHERE physical = ? AND path = ?", (self.physical, path))
            self._bump()

    def _bump(self) -> None:
        self.db.execute("UPDATE collections SET generation = generation + 1 WHERE physical = ?", (self.physical,))
        if "vectors" in self.__dict__:
            self._seen = self.generation()  # our own write: this process's vector index has it

    # -- rebuild -------------------------------------------------------------------

    def staging(self) -> Index:
        """A fresh, empty physical collection to rebuild into; :meth:`swap_in` makes it live."""
        for orphan in list_physical(self.client, f"{_PHYSICAL_PREFIX}{self.name}-"):
            if orphan != self.physical:
                delete_collection(self.client, orphan)
        for folder in self.config.bm25_dir.glob(f"{_PHYSICAL_PREFIX}{self.name}-*"):  # a rebuild that died
            if not folder.name.startswith(self.physical):
                shutil.rmtree(folder, ignore_errors=True)
        physical = f"{_PHYSICAL_PREFIX}{self.name}-{uuid.uuid4().hex[:8]}"
        return Index(self.config, self.name, self.db, physical, self.model, self.dim, client=self.client)

    @classmethod
    def open_for_rebuild(cls, config: Config, name: str, model: str, dim: int) -> tuple[Index | None, Index]:
        """(the live index or None, a staging index) for ``--rebuild``, whatever model built the old one."""
        db = connect(config.db_path, STORE)
        row = db.execute("SELECT * FROM collections WHERE name = ?", (name,)).fetchone()
        if row is None:
            db.close()
            return None, cls.open(config, name, model, dim, create=True)
        old = cls(config, name, db, row["physical"], row["embed_model"], row["dim"])
        fresh = old.staging()
        fresh.model, fresh.dim = model, dim
        return old, fresh

    def swap_in(self, old: Index | None) -> None:
        """Point the collection's name at this index, in one transaction, then drop the old one."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE collections SET physical = ?, embed_model = ?, dim = ?, generation = generation + 1 WHERE name = ?",
                (self.physical, self.model, self.dim, self.name),
            )
            if old is not None:
                self.db.execute("DELETE FROM files WHERE physical = ?", (old.physical,))
        # The keyword index built while staging is the live one now: give it the live
        # generation, or the first search would rebuild it again.
        if self._bm25 is not None:
            self._bm25.generation = self.generation()
            self._bm25.save(self.config.bm25_dir / self.physical)
        if old is not None and old.physical != self.physical:
            delete_collection(self.client, old.physical)
            shutil.rmtree(self.config.bm25_dir / old.physical, ignore_errors=True)

    # -- reading -------------------------------------------------------------------

    @server_faults
    def chunks(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        if not ids:
            return {}
        return {c.id: c for c in _stored(self.vectors.get(ids=list(ids), include=["documents", "metadatas"]))}

    @server_faults
    def all(self) -> list[StoredChunk]:
        """Every chunk of the collection, file by file in reading order."""
        found = _stored(self.vectors.get(include=["documents", "metadatas"]))
        return sorted(found, key=lambda c: (c.source, c.ordinal))

    @server_faults
    def in_file(self, source: str) -> list[StoredChunk]:
        """Every chunk of one file, in reading order."""
        found = _stored(self.vectors.get(where={"source": source}, include=["documents", "metadatas"]))
        return sorted(found, key=lambda c: c.ordinal)

    @server_faults
    def neighbours(self, chunk: StoredChunk) -> tuple[StoredChunk | None, StoredChunk | None]:
        """The chunks just before and after ``chunk`` in its file."""
        # Chroma's Where is a TypedDict union that a literal filter cannot be inferred as.
        around = [chunk.ordinal - 1, chunk.ordinal + 1]
        where = cast("Where", {"$and": [{"source": chunk.source}, {"ordinal": {"$in": around}}]})
        found = {c.ordinal: c for c in _stored(self.vectors.get(where=where, include=["documents", "metadatas"]))}
        return found.get(chunk.ordinal - 1), found.get(chunk.ordinal + 1)

    @server_faults
    def dense(self, embedding: Sequence[float], k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first."""
        self._follow_other_writers()
        n = self.count()
        if not n:
            return []
        res = self.vectors.query(query_embeddings=np.asarray([embedding], dtype=np.float32), n_results=min(k, n), include=["distances"])
        distances = (res["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], distances, strict=True)]

    @server_faults
    def bm25(self) -> Bm25Index:
        """The keyword index, rebuilt from Chroma if it lags the collection."""
        generation = self.generation()
        if self._bm25 is not None and self._bm25.generation == generation:
            return self._bm25
        directory = self.config.bm25_dir / self.physical
        index = Bm25Index.load(directory)
        if index is None or index.generation != generation:
            got = self.vectors.get(include=["documents", "metadatas"])
            stored = _stored(got)
            index = Bm25Index.build([c.id for c in stored], [f"{c.heading}\n{c.text}" for c in stored], generation)
            index.save(directory)
        self._bm25 = index
        return index


def _stored(got: GetResult) -> list[StoredChunk]:
    """Chroma's column-wise ``get`` result (documents and metadatas included) as chunks."""
    docs, metas = got["documents"] or [], got["metadatas"] or []
    return [StoredChunk.from_chroma(i, doc, meta) for i, doc, meta in zip(got["ids"], docs, metas, strict=True)]

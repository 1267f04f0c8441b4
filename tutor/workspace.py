"""The public Python API: one object that owns config, embedder and indexes.

The CLI and the TUI are thin shells over a :class:`Workspace`; so are tests and evals.

    >>> ws = Workspace()
    >>> ws.search("How long does Kinesis keep records?")[0].location
    '.../corpus/kinesis-data-streams.md:12-14'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.config import Config, load_config
from tutor.embed import MINILM_MAX_TOKENS, dimension_of, known_identity, load_tokenizer, make_embedder
from tutor.embed.cache import CachedEmbedder
from tutor.errors import TutorError
from tutor.ingest import IngestReport, ProgressEvent, ingest_paths
from tutor.locations import corpus_dir
from tutor.retrieve.synonyms import ServiceCatalog
from tutor.store.index import Index
from tutor.store.lock import collection_lock

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from tutor.answer import Answer
    from tutor.answer.explanation import Explainable
    from tutor.answer.request import AskOptions
    from tutor.answer.scoring import SentenceScorer
    from tutor.answer.vocabulary import Vocabulary
    from tutor.embed import Embedder
    from tutor.llm.cache import ResponseCache
    from tutor.retrieve import Hit, HybridRetriever

CORPUS_COLLECTION = "corpus"
NOTES_COLLECTION = "notes"


class Workspace:
    """Everything tutor knows, rooted at one data dir."""

    def __init__(
        self,
        config: Config | None = None,
        home: str | os.PathLike[str] | None = None,
        *,
        embedder: Embedder | None = None,
    ) -> None:
        """``embedder`` shares an already loaded model (tests, benchmarks); else it loads on first use."""
        self.config = config or load_config(home)
        if embedder is not None:
            self.__dict__["embedder"] = embedder  # fills the cached_property below
        self._indexes: dict[str, Index] = {}
        self._retrievers: dict[str, HybridRetriever] = {}
        self._vocabularies: dict[str, tuple[int, Vocabulary]] = {}
        self._corpus_checked = False

    def close(self) -> None:
        """Close every connection this workspace opened; it can be used again afterwards."""
        for index in self._indexes.values():
            index.close()
        self._indexes.clear()
        self._retrievers.clear()
        if "response_cache" in self.__dict__:
            self.__dict__.pop("response_cache").close()
        if "scorer" in self.__dict__ and isinstance(embedder := self.__dict__["scorer"].embedder, CachedEmbedder):
            embedder.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @cached_property
    def response_cache(self) -> ResponseCache:
        """Remote models' replies, reused by identical requests (see ``llm.cache``)."""
        from tutor.llm.cache import ResponseCache

        return ResponseCache(self.config.db_path)

    @cached_property
    def embedder(self) -> Embedder:
        """Loaded on first use: a re-ingest that finds nothing changed never loads it."""
        embed = self.config.embed
        return make_embedder(embed.model, embed.batch_tokens, embed.batch_size, self.config.llm.api_base)

    @cached_property
    def embed_identity(self) -> tuple[str, int]:
        """(model id, dimension): stored with each collection, checked when it is opened.
        An embedder passed in (a llama-index one, say) is itself; a configured one is known without loading it."""
        known = None if "embedder" in self.__dict__ else known_identity(self.config.embed.model)
        return known or (self.embedder.model_name, dimension_of(self.embedder))

    @property
    def embed_model_id(self) -> str:
        return self.embed_identity[0]

    def embed_texts(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.get_text_embedding_batch(texts)

    @cached_property
    def _tokenizer(self) -> Tokenizer:
        return load_tokenizer(MINILM_MAX_TOKENS * 8)

    def count_tokens(self, text: str) -> int:
        """Word pieces of the MiniLM tokenizer: the unit chunks are sized in."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    @cached_property
    def catalog(self) -> ServiceCatalog:
        return ServiceCatalog.load(corpus_dir() / "services.yaml")

    # -- collections -------------------------------------------------------------

    def collections(self) -> list[str]:
        return Index.names(self.config)

    def index(self, name: str, create: bool = False) -> Index:
        """Open a collection once per workspace (again when any process rebuilt it since).
        Opened to read (not ``create``), it must hold the vectors its manifest lists: a lost
        Chroma dir or another server is an error, not "no matches" (an ingest repairs it instead)."""
        if name in self._indexes and not self._indexes[name].is_current():
            self._indexes.pop(name).close()
            self._retrievers.pop(name, None)
        if name not in self._indexes:
            index = Index.open(self.config, name, *self.embed_identity, create=create)
            if not create and (missing := index.missing_files()):
                message = index.lost_vectors(missing)
                index.close()
                raise TutorError(message)
            self._indexes[name] = index
        return self._indexes[name]

    def default_collection(self) -> str:
        """``notes`` once the student has ingested something, else the bundled ``corpus``."""
        return NOTES_COLLECTION if NOTES_COLLECTION in self.collections() else CORPUS_COLLECTION

    def resolve(self, collection: str | None) -> str:
        name = collection or self.default_collection()
        if name == CORPUS_COLLECTION:
            self.ensure_corpus()
        return name

    def ensure_corpus(self, on_progress: Callable[[ProgressEvent], None] | None = None) -> IngestReport | None:
        """Index the bundled corpus on first use (and after it changes); cheap when up to date."""
        if self._corpus_checked:
            return None
        report = self.ingest([corpus_dir()], CORPUS_COLLECTION, on_progress=on_progress)
        self._corpus_checked = True
        return report

    # -- the core operations -------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        collection: str = NOTES_COLLECTION,
        rebuild: bool = False,
        on_progress: Callable[[ProgressEvent], None] | None = None,
    ) -> IngestReport:
        """Ingest files/folders into ``collection`` (incremental; ``rebuild`` re-embeds all).

        One ingest per collection at a time: a second one waits, with a ``waiting`` event.
        """

        def waiting(message: str) -> None:
            if on_progress:
                on_progress(ProgressEvent("", "waiting", 0, 0, 0, message))

        with collection_lock(self.config, collection, waiting):
            return self._ingest(paths, collection, rebuild, on_progress)

    def _ingest(
        self, paths: Sequence[Path], collection: str, rebuild: bool, on_progress: Callable[[ProgressEvent], None] | None
    ) -> IngestReport:
        if not rebuild:
            index = self.index(collection, create=True)
            # Files whose vectors Chroma lost are re-embedded, whatever their hash says.
            repair = index.missing_files(open_chroma=False)
            report = ingest_paths(self.config, index, self.embed_texts, paths, self.count_tokens, on_progress, repair=repair)
            return self._ready(report)
        old, fresh = Index.open_for_rebuild(self.config, collection, *self.embed_identity)
        # Re-ingest everything the collection held, plus what was asked for.
        previous = [Path(p) for p in old.files()] if old else []
        report = ingest_paths(
            self.config, fresh, self.embed_texts, [*paths, *[p for p in previous if p.exists()]], self.count_tokens, on_progress
        )
        fresh.swap_in(old)
        fresh.close()  # old and fresh share one connection
        if (stale := self._indexes.pop(collection, None)) is not None:
            stale.close()
        self._retrievers.pop(collection, None)
        return self._ready(report)

    def _ready(self, report: IngestReport) -> IngestReport:
        """Save a changed collection's vocabulary now, as ingest builds its BM25 index: else the
        first ask after an ingest rebuilds it from every chunk (~0.1 s on the corpus)."""
        if report.changed:
            self.vocabulary(report.collection)
        return report

    def retriever(self, collection: str | None = None) -> HybridRetriever:
        from tutor.retrieve import HybridRetriever

        name = self.resolve(collection)
        index = self.index(name)  # first: it drops a retriever over a collection rebuilt elsewhere
        if name not in self._retrievers:
            self._retrievers[name] = HybridRetriever(index, self.embedder, self.config.retrieve, expand_query=self.catalog.expand)
        return self._retrievers[name]

    def search(self, query: str, k: int | None = None, collection: str | None = None, source_glob: str | None = None) -> list[Hit]:
        """Hybrid search over a collection; see :class:`HybridRetriever`."""
        if not query.strip():
            raise TutorError("empty query")
        hits: list[Hit] = self.retriever(collection).search(query, k=k, source_glob=source_glob)
        return hits

    def ask(self, question: str, options: AskOptions | None = None, **fields: Any) -> Answer:
        """A cited answer from the notes, or "not in your notes"; see :mod:`tutor.answer`.

        Pass an :class:`AskOptions`, or its fields as keywords (``ws.ask(q, session="kinesis")``);
        other keywords go to litellm (``mock_response=...``).
        """
        if not question.strip():
            raise TutorError("empty question")
        from tutor.answer.pipeline import ask
        from tutor.answer.request import AskOptions

        options = options or AskOptions()
        if fields:
            own = {f.name for f in dataclass_fields(AskOptions)}
            extra = {k: v for k, v in fields.items() if k not in own}
            chosen = {k: v for k, v in fields.items() if k in own}
            options = replace(options, **chosen, llm_options={**options.llm_options, **chosen.get("llm_options", {}), **extra})
        return ask(self, question, options)

    @cached_property
    def scorer(self) -> SentenceScorer:
        """Scores sentences against a question; it keeps their embeddings for this Workspace."""
        from tutor.answer.scoring import SentenceScorer

        settings = self.config.answer
        embedder = (
            CachedEmbedder(self.embedder, self.config.db_path, settings.sentence_vectors_kept)
            if settings.sentence_vectors_kept
            else self.embedder
        )
        return SentenceScorer(embedder, settings.cos_weight, settings.overlap_terms)

    def vocabulary(self, collection: str) -> Vocabulary:
        """The names a collection uses, rebuilt when any process changed it (its generation).

        Saved per generation, so the next process reads it (~20 ms) instead of rebuilding
        it from every chunk (~0.2 s on the corpus, more on big notes).
        """
        from tutor.answer.vocabulary import Vocabulary

        index = self.index(collection)
        generation = index.generation()
        cached = self._vocabularies.get(collection)
        if cached is None or cached[0] != generation:
            path, stamp = self.config.vocabulary_dir / f"{collection}.json", f"{index.physical}@{generation}"
            vocabulary = Vocabulary.load(path, stamp)
            if vocabulary is None:
                vocabulary = Vocabulary.from_chunks(index.chunks(index.bm25().ids).values())
                vocabulary.save(path, stamp)
            cached = (generation, vocabulary)
            self._vocabularies[collection] = cached
        return cached[1]

    def explain(self, question: Explainable, **options: Any) -> Answer:
        """Why ``question``'s answer is right, from the notes it cites (not a fresh search).

        ``options``: ``session``, ``model``, ``on_token``, ``cancel``, then litellm's; see
        :mod:`tutor.answer.explanation`.
        """
        from tutor.answer.explanation import explain

        return explain(self, question, **options)

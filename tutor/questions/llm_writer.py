"""The LLM question writer: numbered chunks in, one exam-grade scenario question out, through litellm.

The reply is a :class:`DraftQuestion`, asked for and repaired by
:func:`tutor.llm.structured.complete_structured` (a JSON schema where the provider takes one,
else JSON mode; a broken reply is sent back with the error, up to ``questions.max_attempts``
times). A parsed draft is not trusted: it goes through the same verification as the offline
writer's questions, plus an independent solve by a model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, Field

from tutor.answer.citations import Citation
from tutor.errors import TutorError
from tutor.llm.prompts import render_prompt
from tutor.llm.structured import BROKEN_JSON, BrokenReply, complete_structured, parse_reply
from tutor.questions.question import Question, Rejection
from tutor.questions.verify import fact_of
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace

__all__ = ["BROKEN_JSON", "DraftQuestion", "LLMWriter", "parse_draft", "rotate_keys"]  # BROKEN_JSON: where it was
_DIFFICULTY = {
    1: "Difficulty 1: one requirement decides it; the wrong options plainly fail it.",
    2: "Difficulty 2: two requirements; each wrong option fails one of them.",
    3: "Difficulty 3: two requirements and the deciding constraint; one wrong option meets everything but that constraint.",
}
SOURCES_PER_QUESTION = 3
MODEL_FAILED = "the model call failed"


class DraftQuestion(BaseModel):
    """The JSON shape the model must reply with."""

    stem: str = Field(min_length=10)
    options: list[str] = Field(min_length=2)
    keys: list[int] = Field(min_length=1)
    explanations: list[str]
    topic: str = ""
    domain: str = ""
    difficulty: int = Field(default=2, ge=1, le=3)
    fact: str = ""  # the one fact from the notes that decides the question


def parse_draft(text: str) -> DraftQuestion:
    """The reply as a draft; raises ValueError with a short reason the model can act on."""
    return parse_reply(text, DraftQuestion)


class LLMWriter:
    def __init__(
        self,
        ws: Workspace,
        collection: str,
        model: str,
        kind: str,
        difficulty: int,
        options: dict[str, Any],
        accepted: Sequence[Question] = (),
    ) -> None:
        self.ws, self.collection, self.model = ws, collection, model
        self.kind, self.difficulty, self.options = kind, difficulty, options
        self.accepted = accepted  # the batch so far (read only): rotates key positions

    def drafts(self, seeds: list[StoredChunk], topic: str | None = None) -> Iterator[Question | Rejection]:
        """One question per seed chunk (with its two nearest chunks as extra sources); the
        caller stops asking once it has enough: a draft that fails verification is replaced by the next."""
        for seed in seeds:
            sources = self._sources(seed)
            try:
                draft = self._ask(sources, topic or seed.heading.split(" > ")[0])
            except TutorError as exc:  # the provider is down or refusing: asking again per seed would not help
                yield Rejection(None, [f"{MODEL_FAILED} ({exc})"], f"a question from {seed.heading or seed.source}")
                return
            yield self._question(draft, sources, len(self.accepted)) if isinstance(draft, DraftQuestion) else draft

    def _sources(self, seed: StoredChunk) -> list[StoredChunk]:
        hits = self.ws.search(f"{seed.heading}\n{seed.text}", k=SOURCES_PER_QUESTION + 1, collection=self.collection)
        extra = [h.chunk_id for h in hits if h.chunk_id != seed.id][: SOURCES_PER_QUESTION - 1]
        stored = self.ws.index(self.collection).chunks(extra)
        return [seed, *(stored[i] for i in extra if i in stored)]

    def _ask(self, sources: list[StoredChunk], topic: str) -> DraftQuestion | Rejection:
        settings = self.ws.config.questions
        numbered = "\n\n".join(f"[{n}] {c.heading}\n{c.text}" for n, c in enumerate(sources, start=1))
        messages = [
            {
                "role": "system",
                "content": render_prompt("question_system", single_options=settings.options_single, multi_options=settings.options_multi),
            },
            {
                "role": "user",
                "content": render_prompt(
                    "question_user",
                    sources=numbered,
                    kind=self.kind,
                    difficulty=self.difficulty,
                    topic_clause=f" on {topic}" if topic else "",
                    difficulty_rule=_DIFFICULTY[self.difficulty],
                ),
            },
        ]
        try:
            return complete_structured(
                messages, DraftQuestion, settings=self.ws.config.llm, model=self.model, attempts=settings.max_attempts, **self.options
            )
        except BrokenReply as exc:
            return Rejection(None, [str(exc)], f"a question from {sources[0].heading or sources[0].source}")

    def _question(self, draft: DraftQuestion, sources: list[StoredChunk], index: int) -> Question:
        refs = [Citation.of(n, c) for n, c in enumerate(sources, start=1)]
        keys = sorted(set(draft.keys))
        # The fact's keys: services the key options name and no wrong option does (S3 in every option is scenery).
        named = [set(self.ws.catalog.find(o)) for o in draft.options]
        elsewhere = {s for i, found in enumerate(named) if i not in keys for s in found}
        key_services = sorted({s.name for k in keys if 0 <= k < len(named) for s in named[k] - elsewhere})
        q = Question(
            id=Question.make_id(draft.stem, draft.options),
            kind=self.kind,
            stem=draft.stem.strip(),
            options=[o.strip() for o in draft.options],
            keys=keys,
            explanations=draft.explanations,
            citations=refs,
            topic=draft.topic or sources[0].heading.split(" > ")[0],
            domain=draft.domain or sources[0].domain,
            difficulty=draft.difficulty,
            source_chunks=[(c.id, c.content_hash) for c in sources],
            collection=self.collection,
            model=self.model,
            fact=fact_of(key_services or [draft.options[k] for k in keys if 0 <= k < len(draft.options)], draft.fact or draft.stem),
        )
        return rotate_keys(q, index)


def rotate_keys(q: Question, index: int) -> Question:
    """Rotate the options so the first key sits at ``index mod n``: models favour one position."""
    n = len(q.options)
    if not q.keys or len(q.explanations) != n or any(not 0 <= k < n for k in q.keys):
        return q  # malformed; verification reports it
    shift = (index - q.keys[0]) % n
    order = [(i - shift) % n for i in range(n)]  # new position i shows old option order[i]
    q.options = [q.options[j] for j in order]
    q.explanations = [q.explanations[j] for j in order]
    q.keys = sorted(order.index(k) for k in q.keys)
    return q

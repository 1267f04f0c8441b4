"""Question -> standalone query -> sources -> (abstain | model) -> checked answer -> session.

The same path serves every engine; only the model string differs. Abstention is decided
here, before any model runs, so a remote model never gets the chance to answer from its
own knowledge unless the student asked for that (``allow_general``).
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.answer.citations import StreamedMarkers, check
from tutor.answer.condense import rewrite
from tutor.answer.extractive import ExtractiveEngine, rank_sentences
from tutor.answer.focus import answers_quantity, wants_quantity
from tutor.answer.follow_up import is_follow_up
from tutor.answer.request import AskOptions
from tutor.answer.result import Answer
from tutor.answer.sections import Sections
from tutor.answer.sentences import content_terms, split_sentences
from tutor.answer.sessions import SessionStore
from tutor.answer.specifics import Evidence, asks_for_a_number, asks_how_billed, gives_the_number, misses_specifics, says_how_billed
from tutor.answer.vocabulary import Vocabulary, named_together, unwritten_names
from tutor.llm import EXTRACTIVE_MODEL, LOCAL_PREFIX, complete, default_model, render_prompt
from tutor.llm.cache import ResponseCache

if TYPE_CHECKING:
    from tutor.retrieve import Hit
    from tutor.workspace import Workspace

NOT_IN_NOTES = "NOT IN NOTES"  # what the answer prompt tells a model to say
_MARKERS = re.compile(r"\s*\[\d+\]")
# "What else?", "tell me more": the student asks past what they were told, whatever they name.
_MOVES_ON = re.compile(
    r"\b(what|who|which|anything|something|any)\s+(else|more|further)\b"
    r"|\b(the rest|next one|more about|tell me more|go on|continue)\b",
    re.I,
)
# "Which other scalers are there?", "besides that": the same, but only said of the last turn.
# "... to another Region" in a question of its own asks nothing of it.
_MOVES_PAST = re.compile(r"\b(another|besides|apart from|other than|aside from|in addition)\b|\b(what|which|any)\s+other\b", re.I)


def condense(ws: Workspace, question: str, history: list[tuple[str, str]], model: str, **llm_options: Any) -> str:
    """A standalone query for ``question`` given earlier turns (LLM when one is configured).

    A question that names its own subject is searched as typed, by every engine: rewriting
    it could only pull in words of a topic the student has left."""
    if not history or not is_follow_up(question, ws.catalog):
        return question
    if model.startswith(LOCAL_PREFIX):
        return rewrite(question, [q for q, _ in history], ws.catalog)
    transcript = "\n".join(f"Student: {q}\nTutor: {a}" for q, a in history)
    reply = complete(
        [{"role": "user", "content": render_prompt("condense", history=transcript, question=question)}],
        settings=ws.config.llm,
        model=model,
        cache=_cache(ws),
        **llm_options,
    )
    line = next((ln.strip() for ln in reply.text.splitlines() if ln.strip()), "")
    return line or question


def ask(ws: Workspace, question: str, options: AskOptions) -> Answer:
    """Answer ``question`` from the collection; see :meth:`tutor.workspace.Workspace.ask`."""
    started = time.monotonic()
    settings = ws.config.answer
    model = options.model or default_model(ws.config)
    engine = "extractive" if model == EXTRACTIVE_MODEL else "llm"
    session, cancel, on_token = options.session, options.cancel, options.on_token
    store = SessionStore(ws.config.db_path) if session else None
    history = options.history
    if history is None:
        history = store.history(session, settings.history_turns) if store and session else []
    history = history[-settings.history_turns :] if settings.history_turns else []

    query = condense(ws, question, history, model, **options.llm_options)
    name = ws.resolve(options.collection)
    k = options.k or settings.k or ws.config.retrieve.k
    hits = ws.search(query, k=k, collection=name)
    follow_up = bool(history) and is_follow_up(question, ws.catalog)
    if follow_up:
        hits = previous_passages_first(ws, question, history, hits, name)
    scorer = ws.scorer

    vocabulary = ws.vocabulary(name)
    unknown = vocabulary.unknown_names(query, ws.catalog)
    if unknown:  # what the retrieved chunks (headings included) say is known, whatever the index missed
        retrieved = Vocabulary.from_chunks(hits)
        unknown = [u for u in unknown if not retrieved.mentions(u, ws.catalog) and not named_together(u, hits, ws.catalog)]
    unknown = unknown or unwritten_names(query, hits, ws.catalog)
    if not unknown and (feature := vocabulary.unwritten_feature(query, hits, ws.catalog)):
        unknown = [feature]
    ranked = rank_sentences(scorer, query, hits, settings)
    relevant = bool(ranked) and not unknown and max(c.relevance for c in ranked) >= settings.min_relevance
    evidence = Evidence(hits, vocabulary, ws.catalog, settings, Sections(ws.index(name).in_file, ws.catalog), scorer)
    if relevant:  # every name is known, and some sentence is close: does any say what was asked?
        relevant = not misses_specifics(query, ranked, evidence)
    if relevant and asks_for_a_number(question):  # "What's the largest message SQS accepts?": no number of SQS's, no answer
        relevant = gives_the_number(query, ranked, evidence)
    if relevant and asks_how_billed(question):  # "How is Athena billed?": nothing it charges for, no answer
        relevant = says_how_billed(query, ranked, evidence)
    general = options.allow_general and engine == "llm" and not relevant

    def finish(answer: Answer) -> Answer:
        answer.latency_s = time.monotonic() - started
        # A cancelled answer is partial: keeping it would feed half a reply into later follow-ups.
        if store and session and not (cancel and cancel.is_set()):
            store.add_turn(session, answer)
        return answer

    def abstain(tokens: int = 0, cost: float = 0.0) -> Answer:
        text = _abstention(hits, unknown, settings.nearest_topics)
        if on_token:
            on_token(text)
        return finish(
            Answer(
                question=question,
                query=query,
                answer=text,
                citations=[],
                sources=hits,
                abstained=True,
                unverified=[],
                model=_model_name(model),
                engine=engine,
                tokens=tokens,
                cost=cost,
            )
        )

    if not hits or not (relevant or general):
        return abstain()
    system = "answer_system_general" if options.allow_general and engine == "llm" else "answer_system"
    turns = [{"role": role, "content": text} for q, a in history for role, text in (("user", q), ("assistant", a))]
    messages = [
        {"role": "system", "content": render_prompt(system)},
        *turns,
        {"role": "user", "content": render_prompt("answer", sources=format_sources(hits), question=query)},
    ]
    moving = bool(history) and moves_on(question, follow_up)
    earlier = said(history) if moving or follow_up else []
    # A follow-up moves past what was said only when that does not answer it: "and the
    # longest?" after "24 hours by default", not after "0 seconds to 12 hours".
    passed = [s for s in earlier if moving or wants_quantity(question) and not answers_quantity(question, s)]
    skip, told = passed, [s for s in earlier if s not in passed]
    local = ExtractiveEngine(scorer, settings, query, hits, skip, told) if engine == "extractive" else None
    shown = StreamedMarkers(hits, on_token) if on_token else None
    reply = complete(
        messages,
        settings=ws.config.llm,
        model=model,
        cache=_cache(ws),
        on_token=shown,
        cancel=cancel,
        engine=local,
        **options.llm_options,
    )
    if shown:
        shown.flush()
    text = reply.text.strip()
    if not text or text.upper().startswith(NOT_IN_NOTES):
        return abstain(reply.tokens, reply.cost)
    checked = check(text, hits, scorer, settings)
    return finish(
        Answer(
            question=question,
            query=query,
            answer=checked.text,
            citations=checked.citations,
            sources=hits,
            abstained=False,
            unverified=checked.unverified,
            model=_model_name(reply.model if engine == "llm" else model),
            engine=engine,
            general=options.allow_general and engine == "llm" and bool(checked.uncited),
            tokens=reply.tokens,
            cost=reply.cost,
            invalid_citations=checked.invalid,
        )
    )


def previous_passages_first(ws: Workspace, question: str, history: list[tuple[str, str]], hits: list[Hit], collection: str) -> list[Hit]:
    """``hits`` with the passages the last answer came from first: "What about local ones?"
    is answered by the next row of the table that answered "How many global ones?", which
    the follow-up's own words may rank below other chunks. Not when the follow-up names a
    service the last turn did not ("And Firehose?"): it has moved on to another passage."""
    n = ws.config.answer.previous_passages
    last_question, last_answer = history[-1]
    named = {s.name for s in ws.catalog.find(question)}
    if not n or not hits or named - {s.name for s in ws.catalog.find(f"{last_question} {last_answer}")}:
        return hits
    # The last turn's own query, with its answer: what retrieval finds for both is where the
    # answer was read (its sentences are copied from there; a recorded reply paraphrases it).
    asked = rewrite(last_question, [q for q, _ in history[:-1]], ws.catalog)
    found = ws.search(f"{asked} {_MARKERS.sub('', last_answer)}", k=n, collection=collection)
    first = {h.chunk_id for h in found}
    ordered = [*found, *(h for h in hits if h.chunk_id not in first)][: len(hits)]
    return [replace(h, rank=i) for i, h in enumerate(ordered, start=1)]


def moves_on(question: str, follow_up: bool) -> bool:
    """Does the student ask past what they were told? Then the answer skips what was said.

    Yes for "what else?" / "anything more?", and for "which other ...?" in a follow-up. Never
    for a re-ask, a standalone question or a follow-up on another side of the same subject
    ("and the longest?" after the default): the sentence said before may hold that answer
    too, and a second asking must get the best sentence again.
    """
    return bool(_MOVES_ON.search(question)) or follow_up and bool(_MOVES_PAST.search(question))


def said(history: list[tuple[str, str]]) -> list[str]:
    """Sentences of the earlier answers: what the student has already been told."""
    return [s for _, a in history for s in split_sentences(_MARKERS.sub("", a))]


def format_sources(hits: list[Hit]) -> str:
    """``[n] heading (file:lines)`` then the text quoted with ``> `` ."""
    blocks = []
    for hit in hits:
        quoted = "\n".join(f"> {line}" for line in hit.text.splitlines() if line.strip())
        blocks.append(f"[{hit.rank}] {hit.heading} ({Path(hit.source).name}:{hit.start_line}-{hit.end_line})\n{quoted}")
    return "\n\n".join(blocks)


def _abstention(hits: list[Hit], unknown: list[str], n_topics: int) -> str:
    reason = f"Your notes don't mention {', '.join(unknown)}." if unknown else "Your notes don't seem to cover this."
    # A topic that names what is said to be missing would contradict the reason.
    missing = [content_terms(u) for u in unknown]
    headings = [h.heading for h in hits if h.heading and not any(m and m <= content_terms(h.heading) for m in missing)]
    topics = list(dict.fromkeys(headings))[:n_topics]
    nearest = f" Nearest topics in your notes: {'; '.join(topics)}." if topics else ""
    return f"Not in your notes. {reason}{nearest}"


def _model_name(model: str) -> str:
    return "extractive" if model == EXTRACTIVE_MODEL else model


def _cache(ws: Workspace) -> ResponseCache | None:
    return ws.response_cache if ws.config.llm.cache else None

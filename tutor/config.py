"""Typed configuration: defaults, overridden by ``config.toml`` in the data dir, then by env vars.

Every number that tunes behaviour lives here, not as a literal in the code that uses it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from tutor.errors import TutorError
from tutor.locations import home_dir

CONFIG_FILE = "config.toml"

# Env var -> (section, key). Kept explicit so `tutor --help` docs and code agree.
ENV_VARS: dict[str, tuple[str, str]] = {
    "TUTOR_CHROMA_URL": ("store", "chroma_url"),
    "TUTOR_EMBEDDER": ("embed", "model"),
    "TUTOR_MODEL": ("llm", "model"),
    "TUTOR_API_BASE": ("llm", "api_base"),
}


class EmbedConfig(BaseModel):
    # "minilm" is the bundled int8 ONNX all-MiniLM-L6-v2; "litellm:<model>" uses any
    # embedding model litellm can reach (OpenAI, Bedrock, Ollama...).
    model: str = "minilm"
    # minilm: texts share one graph run up to this many word pieces (rows x longest);
    # litellm: texts per request.
    batch_tokens: int = 512
    batch_size: int = 32


class ChunkConfig(BaseModel):
    # all-MiniLM-L6-v2 truncates at 256 word pieces but was trained on 128: chunks of
    # <= 160 (heading included) ranked the answer first more often on both golden sets
    # than 200 or 128 (benchmarks/retrieval.py).
    max_tokens: int = 160
    min_tokens: int = 40
    max_file_bytes: int = 20_000_000
    progress_chunks: int = 512  # a file with more chunks is embedded in parts, with progress after each
    # max_file_bytes bounds the text a reader parses: for .pptx/.docx/.xlsx/.epub (zips) the XML
    # inside, for .ipynb the cells. This bounds all such a file holds, pictures and outputs
    # included (the Office libraries load every part into memory).
    max_package_bytes: int = 500_000_000


class StoreConfig(BaseModel):
    chroma_url: str | None = None


class RetrieveConfig(BaseModel):
    k: int = 5
    candidates: int = 30
    # "scores": weighted sum of each list's min-max normalised scores; "rrf": reciprocal
    # rank fusion. See benchmarks/retrieval.py for why scores is the default.
    fusion: Literal["scores", "rrf"] = "scores"
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    # A chunk sharing this share of its words (Jaccard) with a better one is a copy (a slide
    # deck's repeated section) and leaves its place in the top k to something else.
    duplicate_similarity: float = 0.9


class LLMConfig(BaseModel):
    model: str | None = None
    api_base: str | None = None
    fallbacks: list[str] = Field(default_factory=list)
    timeout: float = 60.0  # seconds for the whole call, retries included
    num_retries: int = 2  # requests re-sent after a 429, 5xx, dropped connection or empty reply
    retry_backoff: float = 0.5  # seconds before the first retry, doubling after each
    temperature: float = 0.0
    cache: bool = True  # reuse identical remote responses (evals rerun for free, deterministically)


class AnswerConfig(BaseModel):
    k: int | None = None  # sources per answer; None = retrieve.k
    # Extractive engine: a sentence's score is cos_weight * cosine(query, sentence) plus
    # (1 - cos_weight) * the IDF-weighted share of query terms it contains.
    cos_weight: float = 0.5
    overlap_terms: int = 6  # the share is of the query's this many most specific terms (long stems)
    min_sentences: int = 2
    max_sentences: int = 4
    keep_ratio: float = 0.7  # extra sentences must score >= keep_ratio * the best one
    # Below that, the answer is filled to min_sentences by score plus unsaid_bonus times the share
    # of a scenario's setting words (IDF-weighted) that the answer has not said yet and the unit says.
    unsaid_bonus: float = 0.4
    rank_prior: float = 0.02  # ordering bonus rank_prior / n for a sentence of source [n]
    redundancy: float = 0.85  # cosine above which two sentences say the same thing
    # Added to a unit's score when the question asks for a number and the unit gives it.
    quantity_bonus: float = 0.1
    # ... and when it asks for several things ("Which formats ...?") and the unit lists them:
    # items joined by "; ", or three or more of at most item_words words between commas
    # (twice when the list names what is asked: "Environment Tiers: ..." for "which tiers").
    list_bonus: float = 0.1
    item_words: int = 5
    # Slide notes (tutor/answer/units.py): a bullet whose short children total at most this
    # many words is said as one unit with them; a parent bullet or heading of at most
    # label_words names the subject of a bullet that does not name it.
    group_words: int = 50
    label_words: int = 8
    statement_words: int = 60  # a bullet of several sentences, this long at most, is a unit whole too
    fragment_words: int = 4  # a bullet this short, with no number or full stop, is a list item
    # Abstain when the best sentence scores below this (calibrated in benchmarks/answer_quality.py).
    min_relevance: float = 0.35
    # ... or when a word of the question that the notes use in at most this many passages,
    # and every other word it asks about beyond its subject, is in no unit that would answer
    # (tutor/answer/specifics.py): "EC2 placement groups" over notes on ECS task placement.
    specific_passages: int = 2
    nearest_topics: int = 3
    # Citation check: a cited sentence is supported when its best source sentence shares this
    # share of its content terms, or is this close in embedding space.
    support_overlap: float = 0.5
    support_cosine: float = 0.75
    history_turns: int = 3
    # A follow-up looks first in this many passages the last answer came from (0: only in its own hits).
    previous_passages: int = 1
    # Candidate sentences' vectors kept in the data dir for the next process (tutor/embed/cache.py;
    # ~1.6 KB each, the oldest go first); 0 embeds them anew in every process.
    sentence_vectors_kept: int = 20_000


class EvalConfig(BaseModel):
    # Judge-free answer scoring: a sentence is supported when this share of its content
    # words (numbers count double) is in the chunks it cites; one citation alone must reach
    # `citation_threshold` to count as precise.
    support_threshold: float = 0.6
    citation_threshold: float = 0.5
    worst_questions: int = 10
    # `eval --from-notes N` with a model: this share of the items are two-passage scenarios; a
    # passage needs this many words to be asked about; at most N x seeds_per_item passages are
    # tried (a dropped item is replaced by the next passage).
    from_notes_scenario_share: float = Field(default=0.5, ge=0.0, le=1.0)
    from_notes_min_words: int = 25
    from_notes_seeds_per_item: int = 2


class QuestionsConfig(BaseModel):
    options_single: int = 4
    options_multi: int = 5
    # Plausible distractors an offline item looks at beyond the ones it needs, so items on one key
    # can each offer some the batch has not offered against it yet.
    distractor_spares: int = 3
    # Stems (content words, Jaccard) at least this similar are the same question.
    duplicate_similarity: float = 0.8
    # Same key(s) and needs this similar (Dice over content words): the same fact, a duplicate.
    fact_similarity: float = 0.5
    # A difficulty-3 near miss: another claim of the notes gives it a need this similar (Dice over
    # content words) to one of the stem's two requirements.
    near_miss_similarity: float = 0.5
    # Options this similar (content words, Jaccard) are near-duplicates.
    option_similarity: float = 0.8
    # Above this share of a batch with the key as the longest option, lengths give it away.
    key_longest_max_share: float = 0.4
    # A claim must share this much (Dice over content words) with the stem to count.
    min_relevance: float = 0.2
    solve_k: int = 5
    # The solver's runner-up must score below (1 - solve_margin) x its pick, or it is a guess.
    solve_margin: float = 0.25
    # ... and score at least this: a key backed only by a cited sentence sharing a third of the
    # stem's need ("can create source and target connections") is a guess, the need too vague.
    solve_min_score: float = 0.3
    # "ask": the independent solve answers through Workspace.ask; "retrieval": from search hits.
    solve_with: str = "ask"
    solve_model: str | None = None  # the answer model for the solve; None = the answer default
    candidates: int = 30
    max_attempts: int = 3
    max_model_failures: int = 3  # generate stops after this many drafts in a row with broken JSON
    # The exams' pass line on their 100-1,000 scale (720 for the associate exams).
    exam_pass_score: int = 720


class CardsConfig(BaseModel):
    # A card's line, in words: shorter is a fragment, longer is a paragraph nobody recalls.
    min_words: int = 5
    max_words: int = 45
    # "Term – definition": a term is a name (at most this many words), a definition a clause.
    max_term_words: int = 6
    min_definition_words: int = 4
    max_definition_words: int = 30


class BlueprintConfig(BaseModel):
    # A text is about an exam task when its terms score this much (a term unique to one
    # task scores 1; one shared by k tasks, 1/k): see tutor/questions/blueprint.py.
    min_score: float = 1.0


class Config(BaseModel):
    home: Path
    embed: EmbedConfig = Field(default_factory=EmbedConfig)
    chunk: ChunkConfig = Field(default_factory=ChunkConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)
    retrieve: RetrieveConfig = Field(default_factory=RetrieveConfig)
    llm: LLMConfig = Field(default_factory=LLMConfig)
    questions: QuestionsConfig = Field(default_factory=QuestionsConfig)
    cards: CardsConfig = Field(default_factory=CardsConfig)
    blueprint: BlueprintConfig = Field(default_factory=BlueprintConfig)
    answer: AnswerConfig = Field(default_factory=AnswerConfig)
    eval: EvalConfig = Field(default_factory=EvalConfig)

    @property
    def db_path(self) -> Path:
        return self.home / "tutor.db"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def bm25_dir(self) -> Path:
        return self.home / "bm25"

    @property
    def vocabulary_dir(self) -> Path:
        return self.home / "vocabulary"

    @property
    def eval_runs_dir(self) -> Path:
        return self.home / "eval-runs"


def load_config(home: str | os.PathLike[str] | None = None) -> Config:
    """Build the config for a data dir; a malformed file is a one-line error."""
    root = home_dir(home)
    data: dict[str, Any] = {}
    path = root / CONFIG_FILE
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TutorError(f"{path}: not valid TOML ({exc})") from exc
    for var, (section, key) in ENV_VARS.items():
        if value := os.environ.get(var):
            data.setdefault(section, {})[key] = value
    try:
        return Config(home=root, **data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TutorError(f"{path}: {where}: {first['msg']}") from exc

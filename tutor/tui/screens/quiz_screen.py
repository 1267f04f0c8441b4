"""One exam-style question at a time: pick, submit, read why each option is right or wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, Markdown, SelectionList
from textual.widgets.selection_list import Selection

from tutor.errors import TutorError
from tutor.questions import Grade, Question
from tutor.questions.question import LETTERS
from tutor.tui import bank_calls
from tutor.tui.labels import place, short_path
from tutor.tui.widgets.cited_markdown import CitedMarkdown
from tutor.workspace import Workspace

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp

NUMBER_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR"}
GENERATE_BATCH = 5
RATINGS = ("Again", "Hard", "Good", "Easy")  # fsrs.Rating 1-4, how a flashcard is rated


def card_back_markdown(question: Question) -> str:
    """A flashcard's answer and the line of the notes it comes from."""
    lines = [f"**{question.options[0]}**", "", "From your notes:", ""]
    lines += [f"- {short_path(c.source)} · {place(c)}: {c.text}" for c in question.citations]
    lines += ["", " · ".join(f"**{n}** {name}" for n, name in enumerate(RATINGS, start=1))]
    return "\n".join(lines)


def explanation_markdown(question: Question, grade: Grade, chosen: list[int]) -> str:
    """Every option with its verdict and cited explanation, then where the citations point."""
    verdict = "**Correct.**" if grade.correct else f"**Not quite:** the answer is {question.key_letters}."
    lines = [verdict, ""]
    for i, option in enumerate(question.options):
        mark = "✓" if i in grade.keys else "✗"
        picked = " *(your pick)*" if i in chosen else ""
        lines.append(f"- {mark} **{LETTERS[i]}. {option}**{picked} — {grade.explanations[i]}")
    if question.citations:
        lines += ["", "Sources:", ""]
        lines += [f"- [{c.n}] {short_path(c.source)} · {place(c)} · {c.heading}" for c in question.citations]
    return "\n".join(lines)


class QuizScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.switch_mode('chat')", "Chat"),
        Binding("s", "submit", "Submit"),
        Binding("n", "next", "Next"),
        Binding("a", "ask_about", "Ask about it"),
        Binding("g", "generate", "Generate"),
        Binding("f", "flag", "Flag"),
        Binding("x", "retire", "Retire"),
        *(Binding(str(n), f"rate({n})", name, show=False) for n, name in enumerate(RATINGS, start=1)),
    ]

    app: TutorApp

    class AskAbout(Message):
        """The student wants this question explained in the chat; the app routes it there."""

        def __init__(self, question: Question) -> None:
            super().__init__()
            self.question = question

    def __init__(self) -> None:
        super().__init__()
        self.topic: str | None = None
        self.question: Question | None = None
        self.grade: Grade | None = None
        self.chosen: list[int] = []
        self.revealed = False  # a flashcard's back is shown
        self.answered = 0
        self.correct = 0
        self.due = 0

    def compose(self) -> ComposeResult:
        yield Label("", id="score")
        with VerticalScroll(id="card"):
            yield Markdown("", id="stem")
            yield Label("", id="instruction")
            yield SelectionList[int](id="options")
            yield CitedMarkdown("", id="explanation")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#options", SelectionList).display = False

    def on_screen_resume(self) -> None:
        if self.question is None:
            self.load_next()

    def show_topic(self, topic: str | None) -> None:
        """Quiz on one topic from now on (None: every topic)."""
        self.topic = topic
        self.question = None

    # -- loading -----------------------------------------------------------------

    @work(exclusive=True, group="quiz")
    async def load_next(self, note: str = "") -> None:
        try:
            question, due = await self.app.core.run(bank_calls.next_due, self.app.workspace, self.topic, self.app.collection)
        except TutorError as exc:
            question, due, note = None, 0, str(exc)
        self.question, self.grade, self.chosen, self.due, self.revealed = question, None, [], due, False
        self._score()
        if note:
            self.notify(note)
        options = self.query_one("#options", SelectionList)
        options.clear_options()
        options.disabled = False
        await self.query_one("#explanation", CitedMarkdown).update("")
        card = self.query_one("#card", VerticalScroll)
        card.anchor(False)
        card.scroll_home(animate=False)  # a new question is read from its stem
        if question is None:
            about = f" on {self.topic}" if self.topic else ""
            await self.query_one("#stem", Markdown).update(
                f"Nothing is due for review{about}. Press **g** to write "
                f"{GENERATE_BATCH} new questions from your notes, or **esc** to go back to the chat."
            )
            self.query_one("#instruction", Label).update("")
            options.display = False
            return
        await self.query_one("#stem", Markdown).update(f"**{question.topic}** · {question.domain}\n\n{question.stem}")
        if question.kind == "card":  # recalled, not chosen: s reveals the back, 1-4 rate it
            self.query_one("#instruction", Label).update("Recall what fills the gap · s shows the answer")
            options.display = False
            return
        many = len(question.keys)
        self.query_one("#instruction", Label).update(
            f"Choose {NUMBER_WORDS.get(many, many)} · space toggles · s submits"
            if question.kind == "multi"
            else "Choose one · space picks · s submits"
        )
        options.display = True
        options.add_options([Selection(f"{LETTERS[i]}. {text}", i) for i, text in enumerate(question.options)])
        options.highlighted = 0
        options.focus()

    def _score(self) -> None:
        topic = self.topic or "all topics"
        score = f"score {self.correct}/{self.answered}" if self.answered else "no answers yet"
        self.query_one("#score", Label).update(f"Quiz · {topic} · {score} this sitting · {self.due} due")

    # -- answering ---------------------------------------------------------------

    @on(SelectionList.SelectionToggled, "#options")
    def _single_choice(self, event: SelectionList.SelectionToggled[int]) -> None:
        """A single-answer question keeps only the latest pick."""
        options = self.query_one("#options", SelectionList)
        if self.question and self.question.kind == "single" and event.selection.value in options.selected:
            for value in list(options.selected):
                if value != event.selection.value:
                    options.deselect(value)

    async def action_submit(self) -> None:
        question = self.question
        if question is None or self.grade is not None:
            return
        if question.kind == "card":
            self.revealed = True
            self.query_one("#instruction", Label).update("How well did you recall it? 1 Again · 2 Hard · 3 Good · 4 Easy")
            await self.query_one("#explanation", CitedMarkdown).update(card_back_markdown(question))
            return
        chosen = sorted(self.query_one("#options", SelectionList).selected)
        if not chosen:
            self.notify("Pick an option first (space).")
            return
        if question.kind == "multi" and len(chosen) != len(question.keys):
            many = len(question.keys)
            self.notify(f"Choose exactly {NUMBER_WORDS.get(many, many)} options.")
            return
        try:
            self.grade = await self.app.core.run(bank_calls.grade, self.app.workspace, question.id, chosen)
        except TutorError as exc:
            self.notify(str(exc), severity="error")
            return
        self.chosen = chosen
        self.answered += 1
        self.correct += self.grade.correct
        self.due = max(0, self.due - 1)
        self._score()
        self.query_one("#options", SelectionList).disabled = True
        explanation = self.query_one("#explanation", CitedMarkdown)
        await explanation.update(explanation_markdown(question, self.grade, chosen))
        # Anchored, not scrolled once: the explanation's Markdown may lay out over more than one
        # refresh, and a single scroll_end could land a line short of its end.
        self.query_one("#card", VerticalScroll).anchor()

    async def action_rate(self, rating: int) -> None:
        """Rate a revealed flashcard (1 Again ... 4 Easy), then on to the next one."""
        question = self.question
        if question is None or question.kind != "card" or not self.revealed:
            return
        try:
            await self.app.core.run(bank_calls.rate, self.app.workspace, question.id, rating)
        except TutorError as exc:
            self.notify(str(exc), severity="error")
            return
        self.answered += 1
        self.correct += rating > 1
        self.due = max(0, self.due - 1)
        self.load_next()

    def action_next(self) -> None:
        self.load_next()

    async def action_flag(self) -> None:
        """Mark this question for a second look (it is still served)."""
        if self.question is not None:
            await self._mark(bank_calls.flag, f"Flagged {self.question.id} for a second look.")

    async def action_retire(self) -> None:
        """Never serve this question again: it is wrong or useless. On to the next one."""
        if self.question is not None:
            await self._mark(bank_calls.retire, f"Retired {self.question.id}: it will not be asked again.")
            self.load_next()

    async def _mark(self, call: Callable[[Workspace, str], None], note: str) -> None:
        assert self.question is not None
        try:
            await self.app.core.run(call, self.app.workspace, self.question.id)
        except TutorError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(note)

    def action_ask_about(self) -> None:
        """Have the chat explain this question from its citations; follow-ups go on from there."""
        if self.question is not None:
            self.post_message(self.AskAbout(self.question))

    # -- generating --------------------------------------------------------------

    def action_generate(self) -> None:
        self._generate()

    @work(exclusive=True, group="quiz")
    async def _generate(self) -> None:
        await self.query_one("#stem", Markdown).update(f"Writing {GENERATE_BATCH} questions from your notes…")
        try:
            report = await self.app.core.run(
                bank_calls.write_questions, self.app.workspace, self.topic, GENERATE_BATCH, self.app.collection, self.app.model
            )
        except TutorError as exc:
            note = f"Could not write questions: {exc}"
        else:
            note = f"Wrote {len(report.accepted)} questions ({len(report.rejected)} failed the checks)."
        self.load_next(note)

"""Every action of the app in the command palette (ctrl+p), found by fuzzy search."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, app action) — chat('x') runs the chat screen's action x from anywhere.
COMMANDS: list[tuple[str, str, str]] = [
    ("Chat", "Back to the conversation", "switch_mode('chat')"),
    ("Quiz", "One exam-style question at a time, with cited explanations", "switch_mode('quiz')"),
    ("Progress", "Accuracy per topic and what is due for review", "switch_mode('progress')"),
    ("Ingest a folder", "Add notes to a collection, with a progress bar", "ingest"),
    ("Pick model", "Answer with another configured model or the offline engine", "pick_model"),
    ("New session", "Start an empty conversation", "chat('new_session')"),
    ("Rename session", "Rename the open (or highlighted) session", "chat('rename_session')"),
    ("Delete session", "Delete the open (or highlighted) session", "chat('delete_session')"),
    ("Export session to Markdown", "Write the conversation, with citations, to a .md file", "chat('export_session')"),
    ("Toggle sessions sidebar", "Show or hide saved sessions", "chat('toggle_sessions')"),
    ("Toggle sources panel", "Show or hide the cited passages", "chat('toggle_sources')"),
    ("Cancel answer", "Stop the answer being written", "chat('cancel')"),
    ("Copy last answer", "Copy the latest answer's markdown", "chat('copy_last')"),
]


class TutorCommands(Provider):
    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action), help=help_text)

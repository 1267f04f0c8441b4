"""The Textual study app: chat with live sources, quiz and progress screens.

A thin shell over the core's public API (:class:`tutor.workspace.Workspace`,
:mod:`tutor.answer`, :mod:`tutor.questions`); no retrieval or LLM logic lives here.
"""

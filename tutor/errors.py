"""One exception type for everything a user can cause or fix.

The CLI prints ``TutorError`` as a single line and exits non-zero; anything else
is a bug and keeps its traceback.
"""


class TutorError(Exception):
    """A problem the user can act on; ``str(err)`` is the whole message."""


class ModelMismatchError(TutorError):
    """The collection was embedded with a different model than the one configured."""

"""tutor: a terminal study tutor that answers from your notes, with citations."""

__version__ = "0.1.0"

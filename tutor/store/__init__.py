"""Persistence: SQLite for state, Chroma for vectors, bm25s for keywords."""

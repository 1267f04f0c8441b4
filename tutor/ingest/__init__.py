"""Files on disk -> clean, structure-aware chunks -> the index."""

from tutor.ingest.pipeline import IngestReport, ProgressEvent, ingest_paths

__all__ = ["IngestReport", "ProgressEvent", "ingest_paths"]

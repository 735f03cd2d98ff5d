"""One small error hierarchy, so the batch runner can record a failure and go on.

Every message names the file and the cause: a librarian reading errors.jsonl for page 40 213 of a
run must know which scan to look at without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LayoutkitError(Exception):
    """Base of every error layoutkit raises on purpose."""


class InputError(LayoutkitError):
    """An input file that cannot be read as a page image."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = str(path)
        self.cause = cause
        super().__init__(f"{path}: {cause}")


class ModelError(LayoutkitError):
    """A model file that is missing, corrupt or not the one recorded in the manifest."""


class OutputError(LayoutkitError):
    """An output that cannot be written."""

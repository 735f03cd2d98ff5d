"""What a recognition engine is to layoutkit: line crops in, characters with positions out.

Layout, reading order and structure stay layoutkit's whatever the engine, so an engine only ever
sees line images cut by layoutkit and answers with text and where each character sits along the
line. Line detection is layoutkit's own (PP-OCR DB on onnxruntime) for every engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


@dataclass(slots=True)
class CharSpan:
    """One recognised character and its extent along the line crop, in crop pixels."""

    char: str
    x0: float
    x1: float
    confidence: float


@dataclass(slots=True)
class Recognition:
    chars: list[CharSpan] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)


class Recognizer(Protocol):
    name: str

    def describe(self) -> dict[str, str]:
        """Engine version and model identities, for ALTO's Processing record."""
        ...

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        """Recognise horizontal line crops (BGR, text left to right)."""
        ...

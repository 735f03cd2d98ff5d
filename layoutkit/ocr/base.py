"""What a recognition engine is to layoutkit: line crops in, characters with positions out.

Layout, reading order and structure stay layoutkit's whatever the engine, so an engine only ever
sees line images cut by layoutkit and answers with text and where each character sits along the
line. Line detection is layoutkit's own (PP-OCR DB on onnxruntime) for every engine; engines
are made by name in `engines.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .crops import LineCrop


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

    def letters(self) -> tuple[float, int]:
        """Mean confidence over letters and digits, and their count. Spaces and symmetric
        punctuation read with high confidence whatever the crop, so they are left out."""
        scores = [c.confidence for c in self.chars if c.char.isalnum()]
        return (sum(scores) / len(scores) if scores else 0.0), len(scores)


def spread(chars: Sequence[tuple[str, float]], width: float) -> Recognition:
    """Characters laid along [0, width] in proportion to their advance, for engines that give text
    but no positions: full-width CJK 1, Latin 0.55, space 0.35 of the line height."""
    from .strings import is_wide

    if not chars:
        return Recognition()
    adv = [0.35 if c.isspace() else 1.0 if is_wide(c) else 0.55 for c, _ in chars]
    unit = width / sum(adv)
    spans, x = [], 0.0
    for (c, conf), a in zip(chars, adv, strict=True):
        spans.append(CharSpan(c, x, x + a * unit, conf))
        x += a * unit
    return Recognition(spans)


class Recognizer(Protocol):
    name: str

    def describe(self) -> dict[str, str]:
        """Engine version and model identities, for ALTO's Processing record."""
        ...

    def recognize(self, crops: Sequence[LineCrop]) -> list[Recognition]:
        """Recognise line crops (BGR, turned so text runs left to right; `vertical` says if it was
        a top-to-bottom column); character spans are along the crop's x axis."""
        ...

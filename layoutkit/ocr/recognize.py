"""The OCR stage: every text line of every block, recognised in one batched call."""

from __future__ import annotations

import numpy as np

from ..model import Page, TextLine
from .base import Recognizer
from .crops import cut
from .strings import to_strings

#: A line of this many characters or fewer ...
NOISE_CHARS = 3
#: ... read with less mean confidence than this is a speck, not text.
NOISE_CONFIDENCE = 0.6


def is_noise(line: TextLine) -> bool:
    """A line the recogniser read as nothing, or as a character or three it is unsure of, is dirt
    or a speck of show-through the detector picked up ("の" at 0.19 on a Fraktur page), not text."""
    if not line.strings:
        return True
    return len(line.text.replace(" ", "")) <= NOISE_CHARS and line.confidence < NOISE_CONFIDENCE


def recognise_page(page: Page, bgr: np.ndarray, recognizer: Recognizer) -> Page:
    jobs = [(line, cut(bgr, np.asarray(line.polygon, dtype=np.float32)))
            for block in page.blocks for line in block.lines]
    results = recognizer.recognize([crop for _, crop in jobs])
    for (line, crop), rec in zip(jobs, results, strict=True):
        line.strings = to_strings(rec, crop)
    for block in page.blocks:
        block.lines = [ln for ln in block.lines if not is_noise(ln)]
        if block.lines:
            block.confidence = sum(ln.confidence for ln in block.lines) / len(block.lines)
    page.blocks = [b for b in page.blocks if b.lines or not b.type.is_text]
    return page

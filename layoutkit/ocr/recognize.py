"""The OCR stage: every text line of every block, recognised in one batched call."""

from __future__ import annotations

import numpy as np

from ..model import Page
from .base import Recognizer
from .crops import cut
from .strings import to_strings


def recognise_page(page: Page, bgr: np.ndarray, recognizer: Recognizer) -> Page:
    jobs = [(line, cut(bgr, np.asarray(line.polygon, dtype=np.float32)))
            for block in page.blocks for line in block.lines]
    results = recognizer.recognize([crop for _, crop in jobs])
    for (line, crop), rec in zip(jobs, results, strict=True):
        line.strings = to_strings(rec, crop)
    for block in page.blocks:
        # A line the recogniser read as nothing is noise the detector picked up, not text.
        block.lines = [ln for ln in block.lines if ln.strings]
        if block.lines:
            block.confidence = sum(ln.confidence for ln in block.lines) / len(block.lines)
    page.blocks = [b for b in page.blocks if b.lines or not b.type.is_text]
    return page

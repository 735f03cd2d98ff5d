"""Which way up the page is: 0, 90, 180 or 270 degrees, from the lines the detector found.

A page scanned on its side gives lines taller than wide; PP-OCR's text direction classifier then
says, for each line turned to read left to right, whether the text stands upright or upside down.
Measured on rendered Chinese and German pages turned all four ways: the classifier's share of
"upside down" is 0.00-0.04 where the text is upright and 0.96-1.00 where it is not.

A Chinese page with vertical columns also has tall lines, but keeps its horizontal headlines,
captions and masthead: the page counts as turned only when nearly all its text runs vertically.

The classifier was trained on modern type; on a page of 1880s Fraktur adverts it read 19th-century
display faces as upside down and the page was read turned. So a half turn is only made when the
recogniser, too, reads the lines turned better than as they stand.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from .base import Recognizer
from .crops import LineCrop, cut, is_vertical
from .models import model_path
from .ppocr import make_session, to_chw

CLS_HEIGHT, CLS_WIDTH = 48, 192
#: Share of the page's line length that must run vertically for the page to count as turned.
TURNED_SHARE = 0.85
#: The longest lines are the surest; this many are enough for a page.
SAMPLE = 24
#: Mean character confidence by which the turned lines must read better.
TURN_MARGIN = 0.05


class OrientationClassifier:
    def __init__(self, model_dir: Path | None = None, threads: int | None = None) -> None:
        self.session = make_session(model_path("ppocr-cls", model_dir), threads)
        self.input_name = self.session.get_inputs()[0].name

    def upside_down(self, crops: list[np.ndarray]) -> float:
        """Share of the crops the classifier reads as turned 180 degrees."""
        if not crops:
            return 0.0
        batch = np.zeros((len(crops), 3, CLS_HEIGHT, CLS_WIDTH), dtype=np.float32)
        for i, c in enumerate(crops):
            w = min(CLS_WIDTH, max(1, round(CLS_HEIGHT * c.shape[1] / max(1, c.shape[0]))))
            batch[i, :, :, :w] = to_chw(cv2.resize(c, (w, CLS_HEIGHT)))
        probs = self.session.run(None, {self.input_name: batch})[0]
        return float((probs[:, 1] > 0.5).mean())

    def quarter_turns(self, bgr: np.ndarray, quads: list[np.ndarray], recognizer: Recognizer | None = None) -> int:
        """Counter-clockwise quarter turns that stand the page upright (np.rot90's k)."""
        if not quads:
            return 0
        lengths = [max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[3] - q[0])) for q in quads]
        sample = [quads[i] for i in np.argsort(lengths)[::-1][:SAMPLE]]
        crops = [cut(bgr, q) for q in sample]
        vertical = sum(ln for ln, q in zip(lengths, quads, strict=True) if is_vertical(q))
        if vertical >= TURNED_SHARE * sum(lengths):
            # Lines were cut turned a quarter counter-clockwise: upright now means the page lay
            # a quarter clockwise (turn it back counter-clockwise), upside down the other way.
            tall = [c for c in crops if c.vertical]
            return 3 if self._turned(tall, recognizer) else 1
        return 2 if self._turned([c for c in crops if not c.vertical], recognizer) else 0

    def _turned(self, crops: list[LineCrop], recognizer: Recognizer | None) -> bool:
        if self.upside_down([c.image for c in crops]) <= 0.5:
            return False
        return recognizer is None or reads_better_turned(recognizer, crops)


def reads_better_turned(recognizer: Recognizer, crops: list[LineCrop]) -> bool:
    """The recogniser is surer of the lines turned half round than of them as they stand."""
    return _confidence(recognizer, [c.turned() for c in crops]) > _confidence(recognizer, crops) + TURN_MARGIN


def _confidence(recognizer: Recognizer, crops: list[LineCrop]) -> float:
    confidences = [ch.confidence for r in recognizer.recognize(crops) for ch in r.chars]
    return float(np.mean(confidences)) if confidences else 0.0

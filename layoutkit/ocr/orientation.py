"""Which way up the page is: 0, 90, 180 or 270 degrees, from how its characters stand.

A page is turned when its characters lie on their side or stand on their heads, whichever way
its lines run: a page set in vertical columns has tall lines and is upright, and the share of tall
lines says nothing about the page's orientation. So each of the longest lines is read, and the
recogniser says how its characters stand:

- upside down or not: PP-OCR's direction classifier picks the lines that may stand on their
  heads; such a line counts as turned only when the recogniser reads it surer turned half round.
  (The classifier was trained on modern type: on a page of 1880s Fraktur adverts it read the
  display faces as upside down, which the recogniser did not.)
- upright or lying: the recogniser reads a vertical column's crop (turned a quarter so that it
  runs left to right) as well as an upright line, so a line's reading cannot tell a page of
  columns from a page of lines lying on its side. Its characters can: each is cut out and turned
  a quarter clockwise and a quarter counter-clockwise on its own. Characters that stood upright
  read well turned counter-clockwise (as in a column's crop) and badly clockwise; characters that
  lay (a column's, or a lying page's) the other way round. Latin script is never set in columns,
  so its lines are only asked upside down or not.

How a line's characters stand on the page is how the page is turned; the lines vote by the
characters they hold, and the page is turned only when the turned stand has clearly more votes.
Reading costs: the longest lines are asked a few at a time, and asking stops once the vote is clear.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from .base import Recognition, Recognizer
from .cache import CachedRecognizer, PageCache
from .crops import LineCrop, cut
from .models import model_path
from .ppocr import PPOCRRecognizer, make_session, to_chw
from .strings import is_cjk, mostly_cjk

CLS_HEIGHT, CLS_WIDTH = 48, 192
#: The longest lines are the surest; at most this many are asked ...
SAMPLE = 12
#: ... this many at a time, until the characters that voted for one stand are this many and
#: TURN_VOTES times those for any other.
ROUND = 4
CLEAR_VOTES = 24
#: Each line is read over this many line heights from its start: enough characters to vote.
WINDOW = 10
#: Mean character confidence by which a line must read better turned half round to count as turned.
TURN_MARGIN = 0.05
#: Characters of a line that are cut out and turned to see how they stand ...
STAND_CHARS = 8
#: ... and the difference in confidence per character between the two quarter turns that decides.
#: Measured on rendered Chinese pages: 0.4-0.9 either way; scanned vertical folds of 1919-1940 alike.
STAND_MARGIN = 0.2
#: A page is turned when its turned stand has this many times the characters of the upright one.
TURN_VOTES = 2.0


class OrientationClassifier:
    """The packaged direction classifier and recogniser: which way up a page stands is theirs to
    say whatever engine reads the text, since only their confidences were measured for it."""

    def __init__(self, model_dir: Path | None = None, threads: int | None = None,
                 reader: Recognizer | None = None) -> None:
        self.session = make_session(model_path("ppocr-cls", model_dir), threads)
        self.input_name = self.session.get_inputs()[0].name
        self.reader: Recognizer = reader or PPOCRRecognizer(model_dir, threads)

    def describe(self) -> dict[str, str]:
        """The models whose readings orientation asks for (the line cache's key)."""
        return self.reader.describe()

    def upside_down(self, crops: list[np.ndarray]) -> np.ndarray:
        """For each crop, whether the classifier reads it as turned 180 degrees."""
        if not crops:
            return np.zeros(0, dtype=bool)
        batch = np.zeros((len(crops), 3, CLS_HEIGHT, CLS_WIDTH), dtype=np.float32)
        for i, c in enumerate(crops):
            w = min(CLS_WIDTH, max(1, round(CLS_HEIGHT * c.shape[1] / max(1, c.shape[0]))))
            batch[i, :, :, :w] = to_chw(cv2.resize(c, (w, CLS_HEIGHT)))
        probs = self.session.run(None, {self.input_name: batch})[0]
        return probs[:, 1] > 0.5

    def quarter_turns(self, bgr: np.ndarray, quads: list[np.ndarray], cache: PageCache | None = None) -> int:
        """Counter-clockwise quarter turns that stand the page upright (np.rot90's k); `cache` keeps
        the readings (it must be a cache of this classifier's reader, see `describe`)."""
        if not quads:
            return 0
        recognizer: Recognizer = CachedRecognizer(self.reader, cache) if cache else self.reader
        lengths = [max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[3] - q[0])) for q in quads]
        longest = np.argsort(lengths)[::-1][:SAMPLE]
        votes: Counter[int] = Counter()
        for start in range(0, len(longest), ROUND):
            crops = [_window(cut(bgr, quads[i])) for i in longest[start:start + ROUND]]
            for crop, stand, weight in line_stands(crops, recognizer, self.upside_down([c.image for c in crops])):
                # A column's crop was turned a quarter counter-clockwise from the page.
                votes[(stand - (90 if crop.vertical else 0)) % 360] += weight
            ranked = [*votes.most_common(2), (0, 0)]
            if ranked[0][1] >= CLEAR_VOTES and ranked[0][1] >= TURN_VOTES * ranked[1][1]:
                break
        turned, count = max(((a, n) for a, n in votes.items() if a), key=lambda an: an[1], default=(0, 0))
        if not turned or count < TURN_VOTES * votes[0]:
            return 0
        return (360 - turned) // 90 % 4


def _window(crop: LineCrop) -> LineCrop:
    """The line's first WINDOW line heights: a long line reads no surer than its start."""
    h, w = crop.image.shape[:2]
    if w <= WINDOW * h:
        return crop
    return LineCrop(np.ascontiguousarray(crop.image[:, :WINDOW * h]), crop.to_page, crop.vertical)


def line_stands(crops: list[LineCrop], recognizer: Recognizer,
                doubted: np.ndarray) -> list[tuple[LineCrop, int, int]]:
    """(crop, degrees counter-clockwise its characters stand at in it, characters that say so)
    for each crop whose stand is clear; `doubted` marks the crops that may stand on their heads."""
    crops = list(crops)
    readings = recognizer.recognize(crops)
    flipped = [False] * len(crops)
    doubt = [i for i in range(len(crops)) if doubted[i]]
    for i, turned in zip(doubt, recognizer.recognize([crops[i].turned() for i in doubt]), strict=True):
        if turned.letters()[0] > readings[i].letters()[0] + TURN_MARGIN:
            crops[i], readings[i], flipped[i] = crops[i].turned(), turned, True
    cjk = [i for i, r in enumerate(readings) if mostly_cjk(r)]
    cells = [_cells(crops[i], readings[i]) for i in cjk]
    clockwise = recognizer.recognize([LineCrop(np.hstack([np.rot90(c, -1) for c in cs]), np.eye(3), False)
                                      for cs in cells])
    counter = recognizer.recognize([LineCrop(np.hstack([np.rot90(c, 1) for c in cs]), np.eye(3), False)
                                    for cs in cells])
    lying: dict[int, bool | None] = {}
    for i, cs, cw, ccw in zip(cjk, cells, clockwise, counter, strict=True):
        difference = (_sure_cjk(cw) - _sure_cjk(ccw)) / len(cs)
        lying[i] = True if difference > STAND_MARGIN else False if difference < -STAND_MARGIN else None
    out = []
    for i, (crop, reading) in enumerate(zip(crops, readings, strict=True)):
        lies = lying.get(i, False)
        if lies is None or not reading.chars:
            continue
        out.append((crop, (180 if flipped[i] else 0) + (90 if lies else 0), reading.letters()[1]))
    return out


def _sure_cjk(reading: Recognition) -> float:
    return sum(c.confidence for c in reading.chars if is_cjk(c.char))


def _cells(crop: LineCrop, reading: Recognition) -> list[np.ndarray]:
    """Square cells of the line's height around its first CJK characters, one character each: as
    wide as the characters' pitch, so that no neighbour's strokes come in, and filled to a square
    with the line's paper."""
    image = crop.image
    h, w = image.shape[:2]
    centres = [(c.x0 + c.x1) / 2 for c in reading.chars if is_cjk(c.char)]
    pitch = float(np.median(np.diff(centres))) if len(centres) > 1 else float(h)
    half = max(1, int(min(pitch, h) // 2))
    paper = np.median(image.reshape(-1, image.shape[2]), axis=0).astype(image.dtype)
    cells = []
    for cx in centres[:STAND_CHARS]:
        cell = np.empty((h, h, image.shape[2]), dtype=image.dtype)
        cell[:] = paper
        x0, x1 = max(0, round(cx) - half), min(w, round(cx) + half)
        left = (h - (x1 - x0)) // 2
        cell[:, left:left + x1 - x0] = image[:, x0:x1]
        cells.append(cell)
    return cells

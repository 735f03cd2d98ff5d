"""Column gutters as vertical rivers of white, found once per page.

The line detector joins lines of neighbouring columns across a narrow gutter (old papers set
columns less than a character apart). A gap inside a line is a gutter when the paper above and
below it stays white for several lines: word spaces and the white after a CJK comma line up for a
line or two, a gutter for the length of the column.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..model import Box

#: A gutter is white at least this many line heights up and down in total.
GUTTER_REACH = 5.0
#: ... with ink on no more than this share of its rows (a hyphen reaching into the gutter) ...
SPECKS = 0.06
#: ... and at least this wide, in line heights.
GUTTER_MIN_WIDTH = 0.2
#: Columns on both sides of a gutter are at least this wide, in line heights.
COLUMN_MIN_WIDTH = 5.0
#: A piece cut from a line is no wider than this share of its column's widest line.
MEASURE_SLACK = 1.2


@dataclass(slots=True)
class WhiteRuns:
    """Ink counted down each pixel column of a reduced page (cumulative), to ask how far the paper
    stays white above and below a gap in a line."""

    ink_above: np.ndarray  # ink_above[y, x]: ink pixels in column x above row y
    scale: float

    @staticmethod
    def of(binary: np.ndarray, text_height: float) -> WhiteRuns:
        scale = float(min(1.0, 6.0 / max(text_height, 1.0)))
        small = binary
        if scale < 1.0:
            size = (max(1, round(binary.shape[1] * scale)), max(1, round(binary.shape[0] * scale)))
            small = cv2.resize(binary, size, interpolation=cv2.INTER_AREA)
        ink = (small > 32).astype(np.int32)
        cum = np.zeros((ink.shape[0] + 1, ink.shape[1]), dtype=np.int32)
        np.cumsum(ink, axis=0, out=cum[1:])
        return WhiteRuns(cum, scale)

    def _reach(self, start: int, step: int, h: float, x0: int, x1: int) -> np.ndarray:
        """How many line heights the paper stays white from row `start` going `step` (+1 down,
        -1 up) in each column x0..x1: white meaning ink on no more than SPECKS of the rows, so a
        hyphen or a letter's tail reaching into a gutter does not close it."""
        rows = self.ink_above.shape[0] - 1
        reach = np.zeros(x1 - x0)
        open_ = np.ones(x1 - x0, dtype=bool)
        for k in range(1, int(GUTTER_REACH) + 2):
            end = int(np.clip(round(start + step * k * h), 0, rows))
            lo, hi = sorted((start, end))
            if hi - lo < 1:
                break
            ink = self.ink_above[hi, x0:x1] - self.ink_above[lo, x0:x1]
            open_ &= ink <= max(1.0, SPECKS * (hi - lo))
            reach[open_] = (hi - lo) / h
        return reach

    def cuts(self, line: Box) -> list[tuple[float, float, float, float]]:
        """Gaps inside `line` where white runs far up and down: (x0, x1, top, bottom), page pixels."""
        s = self.scale
        h = max(line.height * s, 1.0)
        rows, cols = self.ink_above.shape[0] - 1, self.ink_above.shape[1]
        x0 = int(np.clip(line.x0 * s, 0, cols))
        x1 = int(np.clip(line.x1 * s, 0, cols))
        if x1 - x0 < 3:
            return []
        y0 = int(np.clip(round(line.y0 * s), 0, rows))
        y1 = int(np.clip(round(line.y1 * s), 0, rows))
        inside = self.ink_above[y1, x0:x1] - self.ink_above[y0, x0:x1]
        up, down = self._reach(y0, -1, h, x0, x1), self._reach(y1, 1, h, x0, x1)
        white = (inside <= max(1.0, SPECKS * (y1 - y0))) & (up + down >= GUTTER_REACH)
        cuts: list[tuple[float, float, float, float]] = []
        padded = np.concatenate(([False], white, [False])).astype(np.int8)
        edges = np.diff(padded)
        for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            # A run may touch the line's end: the sliver of ink beyond it (a hyphen or a letter
            # of the next column) is dropped when the line is cut.
            if b - a < max(1.0, GUTTER_MIN_WIDTH * h):
                continue
            mid = (a + b) // 2
            cuts.append(((x0 + a) / s, (x0 + b) / s, y0 / s - up[mid] * h / s, y1 / s + down[mid] * h / s))
        return cuts


def supported(cut: tuple[float, float, float, float], lines: list[Box], h: float, need: int = 6) -> bool:
    """A gutter runs beside many lines; a chance alignment of white beside two or three.

    Counts the lines lying within the white run's height and reaching to within two line heights
    of the gap, from either side or across it (the detector may have joined them over it). The
    white after a CJK comma can line up with the commas of a line or two above and open paper
    below, but the next line with ink there ends the run.
    """
    a, b, top, bottom = cut
    near = [ln for ln in lines if top - h / 2 <= ln.cy <= bottom + h / 2 and ln.x1 >= a - 2 * h and ln.x0 <= b + 2 * h]
    if len(near) < need:
        return False
    # Justified CJK sets every character on one grid, so the white between two glyphs can run
    # down a whole column a few characters in from its edge; a gutter has a column each side.
    left = max(a - ln.x0 for ln in near)
    right = max(ln.x1 - b for ln in near)
    return min(left, right) >= COLUMN_MIN_WIDTH * h


def _measures(cut: tuple[float, float, float, float], lines: list[Box], h: float) -> tuple[float, float]:
    """Widest line of the column left of a gutter and of the column right of it."""
    a, b, top, bottom = cut
    beside = [ln for ln in lines if top - h / 2 <= ln.cy <= bottom + h / 2]
    left = [ln.width for ln in beside if a - 2 * h <= ln.x1 <= b]
    right = [ln.width for ln in beside if a <= ln.x0 <= b + 2 * h]
    return max(left, default=float("inf")), max(right, default=float("inf"))


def gutter_cuts(line: Box, rivers: WhiteRuns, lines: list[Box]) -> list[tuple[float, float]]:
    """The gutters a detected line runs across, as x-ranges to cut it at.

    Each piece between cuts must fit its column: a subheadline standing over the columns can have
    a word space just where a gutter runs below it, and cut there its far
    piece would be twice as wide as any line of the column it would stand in.
    """
    h = line.height
    found = [c for c in rivers.cuts(line) if supported(c, lines, h)]
    edges = [line.x0] + [x for c in found for x in c[:2]] + [line.x1]
    out = []
    for k, cut in enumerate(found):
        left, right = _measures(cut, lines, h)
        if cut[0] - edges[2 * k] <= MEASURE_SLACK * left and edges[2 * k + 3] - cut[1] <= MEASURE_SLACK * right:
            out.append((cut[0], cut[1]))
    return out

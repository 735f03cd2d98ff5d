"""A detected line's box shrunk to its own ink.

The detector grows every box by a margin in proportion to the type's size: for body text a few
pixels, for a masthead title set ten times larger a fifth of the title's height on every side,
enough to swallow the date line above it and the ears' first lines below. Layout, reading order
and the ALTO coordinates all need the line where its ink is.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..model import Box
from .linebox import LineBox

#: Margin left round a line trimmed to its own ink, in its ink's height: enough to keep the
#: recogniser's crop clear of the letters' edges (read as well as with the detector's margin or
#: better: the NZZ 1890 title "Rene Jürder-3eitung" with it, "Neue Zürcher-Zeitung" trimmed).
MARGIN = 0.05
#: Marks smaller than this share of a line's tallest letter (dots, specks) do not set its extent.
MARK = 0.15


def trim_to_ink(line: LineBox, binary: np.ndarray) -> LineBox:
    """Shrink a horizontal line's ends to its ink.

    The detector's box is grown on every side and can reach into the gutter, which would hide the
    gutter from the column cut.
    """
    b = line.box
    y0, y1 = max(0, int(b.y0)), min(binary.shape[0], int(b.y1))
    x0, x1 = max(0, int(b.x0)), min(binary.shape[1], int(b.x1))
    cols = np.flatnonzero(binary[y0:y1, x0:x1].any(axis=0)) if y1 > y0 and x1 > x0 else np.array([])
    if cols.size == 0:
        return line
    pad = b.height * 0.05
    nx0, nx1 = max(b.x0, x0 + cols[0] - pad), min(b.x1, x0 + cols[-1] + 1 + pad)
    if (nx0 - b.x0) + (b.x1 - nx1) < 1.0:
        return line
    return _boxed(Box(float(nx0), b.y0, float(nx1), b.y1))


def swallows(line: LineBox, other: LineBox) -> bool:
    """A line's box holds another line's centre: the detector's margin has grown over it."""
    b, o = line.box, other.box
    return other is not line and b.x0 <= o.cx <= b.x1 and b.y0 <= o.cy <= b.y1


def trim_to_own_ink(line: LineBox, others: list[Box], binary: np.ndarray) -> LineBox:
    """Shrink a horizontal line's box to the ink that is its own, on every side.

    Its own ink is the marks inside its box that lie mostly outside every other line's box; a
    mark cut by the box's top or bottom edge runs on outside it (a rule, the page's edge, a
    neighbour's tall letter) and is not the line's.
    """
    b = line.box
    y0, y1 = max(0, int(b.y0)), min(binary.shape[0], int(b.y1))
    x0, x1 = max(0, int(b.x0)), min(binary.shape[1], int(b.x1))
    if y1 <= y0 or x1 <= x0:
        return line
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary[y0:y1, x0:x1], connectivity=8)
    marks: list[Box] = []
    for x, y, w, h, _area in stats[1:count]:
        if y == 0 or y + h >= y1 - y0:
            continue
        mark = Box(float(x0 + x), float(y0 + y), float(x0 + x + w), float(y0 + y + h))
        if not any(o.intersection_area(mark) > 0.5 * mark.area for o in others):
            marks.append(mark)
    if not marks:
        return line
    tallest = max(m.height for m in marks)
    ink = Box.enclosing([m for m in marks if m.height >= MARK * tallest])
    pad = MARGIN * ink.height
    box = Box(max(b.x0, ink.x0 - pad), max(b.y0, ink.y0 - pad), min(b.x1, ink.x1 + pad), min(b.y1, ink.y1 + pad))
    return _boxed(box)


def _boxed(box: Box) -> LineBox:
    return LineBox(np.array(box.polygon(), dtype=np.float32), box, False)

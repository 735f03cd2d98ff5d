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
from .linebox import LineBox, boxed_line

#: Margin left round a line trimmed to its own ink, in its ink's height: enough to keep the
#: recogniser's crop clear of the letters' edges (a display title reads as well as with the
#: detector's margin, or better, once the neighbouring lines' letters are out of its crop).
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
    return boxed_line(Box(float(nx0), b.y0, float(nx1), b.y1))


def trimmed(lines: list[LineBox], binary: np.ndarray) -> list[LineBox]:
    """Each horizontal line trimmed: its ends to its ink, or every side to its own ink where its
    box holds another line's centre (the detector's margin has grown over that line)."""
    boxes = Box.rows([ln.box for ln in lines])
    cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    holds = ((boxes[:, None, 0] <= cx) & (cx <= boxes[:, None, 2])
             & (boxes[:, None, 1] <= cy) & (cy <= boxes[:, None, 3]))
    np.fill_diagonal(holds, False)
    out = []
    for i, ln in enumerate(lines):
        if ln.vertical:
            out.append(ln)
        elif holds[i].any():
            out.append(trim_to_own_ink(ln, np.delete(boxes, i, axis=0), binary))
        else:
            out.append(trim_to_ink(ln, binary))
    return out


def trim_to_own_ink(line: LineBox, others: np.ndarray, binary: np.ndarray) -> LineBox:
    """Shrink a horizontal line's box to the ink that is its own, on every side.

    Its own ink is the marks inside its box that lie mostly outside every other line's box
    (`others`: x0, y0, x1, y1 rows); a mark cut by the box's top or bottom edge runs on outside it
    (a rule, the page's edge, a neighbour's tall letter) and is not the line's.
    """
    b = line.box
    y0, y1 = max(0, int(b.y0)), min(binary.shape[0], int(b.y1))
    x0, x1 = max(0, int(b.x0)), min(binary.shape[1], int(b.x1))
    if y1 <= y0 or x1 <= x0:
        return line
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary[y0:y1, x0:x1], connectivity=8)
    x, y, w, h = (stats[1:count, k].astype(np.float64) for k in range(4))
    mx0, my0 = x0 + x, y0 + y
    mx1, my1 = mx0 + w, my0 + h
    near = others[(others[:, 0] < b.x1) & (others[:, 2] > b.x0) & (others[:, 1] < b.y1) & (others[:, 3] > b.y0)]
    iw = np.clip(np.minimum(mx1[:, None], near[:, 2]) - np.maximum(mx0[:, None], near[:, 0]), 0, None)
    ih = np.clip(np.minimum(my1[:, None], near[:, 3]) - np.maximum(my0[:, None], near[:, 1]), 0, None)
    theirs = (iw * ih > 0.5 * (w * h)[:, None]).any(axis=1)
    own = (y > 0) & (y + h < y1 - y0) & ~theirs
    if not own.any():
        return line
    own &= h >= MARK * h[own].max()
    ink = Box(float(mx0[own].min()), float(my0[own].min()), float(mx1[own].max()), float(my1[own].max()))
    pad = MARGIN * ink.height
    return boxed_line(Box(max(b.x0, ink.x0 - pad), max(b.y0, ink.y0 - pad),
                          min(b.x1, ink.x1 + pad), min(b.y1, ink.y1 + pad)))

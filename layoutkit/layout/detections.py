"""Which of the line detector's boxes are lines of type printed on this side of the sheet.

The detector is trained to find text wherever it is faintly visible, so on a scan it also
finds print showing through from the back of the sheet, and merges faint print or a picture's
texture into blobs. Both would be read into the page as garbage in the middle of an article.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..model import Box
from ..preprocess import WorkingImage

#: No line of type is thicker than this share of the page's longer side (a masthead title: 4-6 %).
LINE_MAX_THICKNESS = 0.08
#: A line whose darkest ink is lighter than this share of the way from the page's type to its
#: paper is show-through. Measured darkest ink (5th percentile of grey): type 0-96, show-through
#: 140-194 (NZZ 1850, the degraded samples), against paper at 238-255.
SHOW_THROUGH = 0.5
#: The lower of two pieces of one display line is at least this share of the higher's height
#: (NZZ 1890 title pieces: 0.69-0.92).
PIECE_HEIGHTS = 0.5


def is_line_shaped(box: Box, shape: tuple[int, ...]) -> bool:
    """A detection as thick as it is long, and thicker than any type, is a blob."""
    thick, long = sorted((box.width, box.height))
    return thick <= LINE_MAX_THICKNESS * max(shape[:2]) or long >= 2 * thick


def printed_lines(quads: list[np.ndarray], boxes: list[Box], work: WorkingImage) -> list[np.ndarray]:
    joined = _join_display_type(list(zip(quads, boxes, strict=True)))
    shaped = [(q, b) for q, b in joined if is_line_shaped(b, work.binary.shape)]
    if not shaped:
        return []
    grey = cv2.cvtColor(work.bgr, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    darkest = []
    for _q, b in shaped:
        crop = grey[max(0, int(b.y0)):min(h, int(b.y1)), max(0, int(b.x0)):min(w, int(b.x1))]
        darkest.append(float(np.percentile(crop, 5)) if crop.size else 255.0)
    type_grey = float(np.median(darkest))
    paper = float(np.percentile(grey, 90))
    limit = type_grey + SHOW_THROUGH * (paper - type_grey)
    return [q for (q, _b), dark in zip(shaped, darkest, strict=True) if dark <= limit]


def _join_display_type(lines: list[tuple[np.ndarray, Box]]) -> list[tuple[np.ndarray, Box]]:
    """One line of display type (a masthead title several times the body size) comes out of the
    detector as overlapping pieces; each piece would be read, and drawn, on its own."""
    if not lines:
        return lines
    heights = sorted(b.height for _q, b in lines)
    big = 2 * heights[len(heights) // 2]
    out = [(q, b) for q, b in lines if b.height <= big or b.height < b.width / 8]
    pieces = [b for _q, b in lines if b.height > big and b.height >= b.width / 8]
    merged: list[Box] = []
    for box in sorted(pieces, key=lambda b: b.x0):
        k = next((k for k, m in enumerate(merged) if _one_display_line(m, box)), None)
        if k is None:
            merged.append(box)
        else:
            merged[k] = merged[k].union(box)
    return out + [(np.array(b.polygon(), dtype=np.float32), b) for b in merged]


def _one_display_line(a: Box, b: Box) -> bool:
    """Overlapping pieces of one line of display type. They are of a height: a date line printed
    over a title's flourishes is a fifth of it and stays a line of its own."""
    rows = min(a.y1, b.y1) - max(a.y0, b.y0)
    cols = min(a.x1, b.x1) - max(a.x0, b.x0)
    low = min(a.height, b.height)
    return rows >= 0.8 * low and cols >= 0.1 * low and low >= PIECE_HEIGHTS * max(a.height, b.height)

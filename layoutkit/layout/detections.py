"""Which of the line detector's boxes are lines of type printed on this side of the sheet.

The detector is trained to find text wherever it is faintly visible, so on a scan it also
finds print showing through from the back of the sheet, and merges faint print or a picture's
texture into blobs. Both would be read into the page as garbage in the middle of an article.
Show-through is told by its lightness and its colour, the paper's own; what stays doubtful is
read mirrored later (ocr.recognize), where print from the back reads better.
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
#: 140-194 (historical Fraktur pages and the degraded scans), against paper at 238-255.
SHOW_THROUGH = 0.5
#: ... unless its ink is this far in colour (Lab a*b*) from the paper round it: yellow type on
#: white 70-80, light pink and light green 30-50, sky blue 35; grey show-through 0-3.
INK_CHROMA = 15.0
#: The lower of two pieces of one display line is at least this share of the higher's height
#: (pieces of Fraktur title lines: 0.69-0.92).
PIECE_HEIGHTS = 0.5


def is_line_shaped(box: Box, shape: tuple[int, ...]) -> bool:
    """A detection as thick as it is long, and thicker than any type, is a blob."""
    thick, long = sorted((box.width, box.height))
    return thick <= LINE_MAX_THICKNESS * max(shape[:2]) or long >= 2 * thick


def printed_lines(quads: list[np.ndarray], boxes: list[Box], work: WorkingImage) -> list[np.ndarray]:
    """The detections that are lines printed on this side: ink about as dark as the page's type,
    or ink of a colour of its own (see `ink_chroma`)."""
    joined = _join_display_type(list(zip(quads, boxes, strict=True)))
    shaped = [(q, b) for q, b in joined if is_line_shaped(b, work.binary.shape)]
    if not shaped:
        return []
    grey = cv2.cvtColor(work.bgr, cv2.COLOR_BGR2GRAY)
    lab = cv2.cvtColor(work.bgr, cv2.COLOR_BGR2LAB)
    h, w = grey.shape
    darkest, chroma = [], []
    for _q, b in shaped:
        rows, cols = slice(max(0, int(b.y0)), min(h, int(b.y1))), slice(max(0, int(b.x0)), min(w, int(b.x1)))
        crop = grey[rows, cols]
        darkest.append(float(np.percentile(crop, 5)) if crop.size else 255.0)
        chroma.append(ink_chroma(lab[rows, cols].reshape(-1, 3)))
    type_dark = float(np.median(darkest))
    paper = float(np.percentile(grey, 90))
    limit = type_dark + SHOW_THROUGH * (paper - type_dark)
    return [q for (q, _b), dark, c in zip(shaped, darkest, chroma, strict=True) if dark <= limit or c >= INK_CHROMA]


def ink_chroma(lab: np.ndarray) -> float:
    """How far the colour of the darkest tenth of these Lab pixels (a line's ink) lies from that
    of their lighter half (the paper round it, or the box it is printed on), in a*b* units.

    Print showing through from the back is the paper's own colour darkened, wherever it shows:
    on white, on yellowed newsprint, on a tinted box. Yellow, light pink or light green type is
    nearly as light but of a colour of its own.
    """
    if len(lab) < 10:
        return 0.0
    lightness = lab[:, 0]
    ink = lab[lightness <= np.percentile(lightness, 10), 1:].astype(np.float64)
    paper = lab[lightness >= np.percentile(lightness, 50), 1:].astype(np.float64)
    return float(np.linalg.norm(np.median(ink, axis=0) - np.median(paper, axis=0)))


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

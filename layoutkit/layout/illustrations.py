"""Photos and graphics: large areas of ink that are neither text lines nor rules."""

from __future__ import annotations

import cv2
import numpy as np

from ..model import Box

#: A picture's light parts (a sky, a pale wall) are darker than the paper by at least this share
#: of the way from paper to ink, and fill at least TONE_FILL of what they add to its box.
TONE, TONE_FILL = 0.12, 0.6


def find_illustrations(ink: np.ndarray, text_height: float, tone: np.ndarray | None = None) -> list[Box]:
    """Boxes of dense non-text ink at least a few text lines tall and wide.

    `ink` must already have text lines and rules removed; halftone dots and hatching are closed
    into one mass so a photo comes out as one region. `tone` (the same, for every pixel darker
    than the paper at all; `toned`) lets a box grow over the picture's light parts, which a
    binarisation leaves out.
    """
    th = max(text_height, 8.0)
    k = max(3, int(th * 0.6))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel)
    _n, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    regions = None
    if tone is not None:
        _m, labels, tone_stats, _ = cv2.connectedComponentsWithStats(cv2.morphologyEx(tone, cv2.MORPH_CLOSE, kernel),
                                                                      connectivity=8)
        regions = (labels, tone_stats)
    boxes: list[Box] = []
    for x, y, w, h, _area in stats[1:]:
        if w < th * 4 or h < th * 4:
            continue
        density = float(np.count_nonzero(ink[y:y + h, x:x + w])) / (w * h)
        if density < 0.08:
            continue
        box = Box(float(x), float(y), float(x + w), float(y + h))
        boxes.append(_grown(box, tone, regions) if tone is not None and regions is not None else box)
    # Two dark parts of one picture grow into it both: keep it once.
    boxes.sort(key=lambda b: -b.area)
    return [b for i, b in enumerate(boxes) if not any(a.intersection_area(b) > 0.8 * b.area for a in boxes[:i])]


def toned(grey: np.ndarray, keep_out: np.ndarray) -> np.ndarray:
    """255 where the page is darker than the paper round it by TONE of the way to its ink,
    outside `keep_out` (text lines and rules, as 255). The paper's level is the brightest the page
    gets within a tenth of its size, so a scan's uneven light does not read as tone."""
    h, w = grey.shape
    small = cv2.resize(grey, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    reach = max(3, min(small.shape) // 10) | 1
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    paper = cv2.resize(cv2.blur(paper, (reach, reach)), (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    ink = float(np.percentile(grey, 2))
    mask = (grey < paper - TONE * np.maximum(paper - ink, 1.0)).astype(np.uint8) * 255
    mask[keep_out > 0] = 0
    return mask


def _grown(box: Box, tone: np.ndarray, regions: tuple[np.ndarray, np.ndarray]) -> Box:
    """The box grown to the toned region it lies in (`regions`: the page's toned regions, labels
    and their stats), where that region is solidly toned."""
    labels, stats = regions
    inner = labels[int(box.y0):int(box.y1), int(box.x0):int(box.x1)]
    ids, counts = np.unique(inner[inner > 0], return_counts=True)
    if not len(ids):
        return box
    rx, ry, rw, rh, _ = stats[int(ids[np.argmax(counts)])]
    grown = box.union(Box(float(rx), float(ry), float(rx + rw), float(ry + rh)))
    added = grown.area - box.area
    if added <= 0:
        return box
    region = tone[int(grown.y0):int(grown.y1), int(grown.x0):int(grown.x1)]
    core = tone[int(box.y0):int(box.y1), int(box.x0):int(box.x1)]
    fill = (np.count_nonzero(region) - np.count_nonzero(core)) / added
    return grown if fill >= TONE_FILL else box

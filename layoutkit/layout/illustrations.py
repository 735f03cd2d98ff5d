"""Photos and graphics: large areas of ink that are neither text lines nor rules."""

from __future__ import annotations

import cv2
import numpy as np

from ..model import Box


def find_illustrations(ink: np.ndarray, text_height: float) -> list[Box]:
    """Boxes of dense non-text ink at least a few text lines tall and wide.

    `ink` must already have text lines and rules removed; halftone dots and hatching are closed
    into one mass so a photo comes out as one region.
    """
    th = max(text_height, 8.0)
    k = max(3, int(th * 0.6))
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    _n, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    boxes: list[Box] = []
    for x, y, w, h, _area in stats[1:]:
        if w < th * 4 or h < th * 4:
            continue
        density = float(np.count_nonzero(ink[y:y + h, x:x + w])) / (w * h)
        if density < 0.08:
            continue
        boxes.append(Box(float(x), float(y), float(x + w), float(y + h)))
    return boxes

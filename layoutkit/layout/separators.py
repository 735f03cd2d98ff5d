"""Rules and box frames: long thin runs of ink, found by morphological opening.

A rule is a hard boundary for everything after: no text line, block or column crosses one.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..model import Box, Separator


def find_separators(binary: np.ndarray, text_height: float) -> list[Separator]:
    th = max(text_height, 8.0)
    h, w = binary.shape
    found: list[Separator] = []
    for orientation, kernel_len in (("horizontal", max(int(th * 8), w // 40)),
                                    ("vertical", max(int(th * 8), h // 40))):
        shape = (kernel_len, 1) if orientation == "horizontal" else (1, kernel_len)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
        opened = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
        _n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        for x, y, bw, bh, _area in stats[1:]:
            thickness, length = (bh, bw) if orientation == "horizontal" else (bw, bh)
            if thickness > th * 0.8 or length < kernel_len:
                continue
            box = Box(float(x), float(y), float(x + bw), float(y + bh))
            found.append(Separator(f"sep{len(found) + 1}", box.polygon(), orientation))
    return found


def ink_without(binary: np.ndarray, boxes: list[Box], pad: float = 0.0) -> np.ndarray:
    """A copy of the ink with the given boxes blanked out."""
    out = binary.copy()
    h, w = out.shape
    for b in boxes:
        x0, y0 = max(0, int(b.x0 - pad)), max(0, int(b.y0 - pad))
        x1, y1 = min(w, int(b.x1 + pad + 1)), min(h, int(b.y1 + pad + 1))
        out[y0:y1, x0:x1] = 0
    return out

"""Cut line images out of the page and map positions along them back to page pixels.

Crops are cut at full resolution whatever scale detection ran at: recognition accuracy on small
body text depends on it; on a page of small type (an e-paper render) they are cut enlarged to the
height the recogniser reads at, from the page's own pixels. A vertical CJK line is turned a
quarter turn counter-clockwise so the recogniser reads it left to right, and the way back is kept
for its character boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..model import Box
from ..preprocess import binarise

#: A line this much taller than wide is read top to bottom.
VERTICAL_RATIO = 1.5
#: On a page of type smaller than this (text height, px) lines are cut at READ_HEIGHT: the height
#: PP-OCR's recogniser reads at (and a good one for Tesseract's).
SMALL_TYPE = 12.0
READ_HEIGHT = 48.0


@dataclass(slots=True)
class LineCrop:
    image: np.ndarray      # horizontal crop, BGR
    to_page: np.ndarray    # 3x3 homography, crop pixels -> page pixels
    vertical: bool

    def span_box(self, x0: float, x1: float) -> Box:
        """Page box of the crop's columns x0..x1 over the crop's full height."""
        h = self.image.shape[0]
        pts = np.array([[[x0, 0.0]], [[x1, 0.0]], [[x1, float(h)]], [[x0, float(h)]]], dtype=np.float64)
        mapped = cv2.perspectiveTransform(pts, self.to_page)[:, 0, :]
        return Box(float(mapped[:, 0].min()), float(mapped[:, 1].min()),
                   float(mapped[:, 0].max()), float(mapped[:, 1].max()))

    def ink_columns(self) -> np.ndarray:
        """Whether each column of the crop holds ink, by the page's own binarisation."""
        return binarise(cv2.cvtColor(self.image, cv2.COLOR_BGR2GRAY)).any(axis=0)

    def turned(self) -> LineCrop:
        """The crop turned half round: what an upside-down line looks like read upright."""
        return LineCrop(np.ascontiguousarray(self.image[::-1, ::-1]), self.to_page, self.vertical)

    def mirrored(self) -> LineCrop:
        """The crop mirrored left to right on the page: print on the sheet's other side, seen
        through the paper, reads right way round. A vertical crop lies turned, so its rows flip."""
        image = self.image[::-1, :] if self.vertical else self.image[:, ::-1]
        return LineCrop(np.ascontiguousarray(image), self.to_page, self.vertical)


def is_vertical(quad: np.ndarray) -> bool:
    w = float(np.linalg.norm(quad[1] - quad[0]))
    h = float(np.linalg.norm(quad[3] - quad[0]))
    return h >= VERTICAL_RATIO * w and h > 0


def cut(bgr: np.ndarray, quad: np.ndarray, min_height: float = 0.0) -> LineCrop:
    """Perspective crop of a quad (TL, TR, BR, BL); vertical lines come back turned.

    A line lower than `min_height` (across its run) is cut enlarged to it, in one linear
    resampling from the page: measured on a 992x1419 page with 8 px type, the recogniser's
    character error falls from 4.2 % (cut at the page's size, then enlarged to its input) to 1.4 %;
    cubic resampling did worse (2.2 %), and so did cutting at 2 or 6 times (1.7 %).
    """
    quad = quad.astype(np.float32)
    w = max(1, round(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3]))))
    h = max(1, round(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1]))))
    vertical = h >= VERTICAL_RATIO * w
    across = w if vertical else h
    scale = min_height / across if across < min_height else 1.0
    w, h = max(1, round(w * scale)), max(1, round(h * scale))
    if vertical:
        # A quarter turn counter-clockwise: the column's top goes to the crop's left, its left
        # edge to the crop's bottom (as PP-OCR's own pipeline turns vertical lines).
        src = np.array([quad[0], quad[3], quad[2], quad[1]], dtype=np.float32)
        w, h = h, w
        dst = np.array([[0, h], [w, h], [w, 0], [0, 0]], dtype=np.float32)
    else:
        src = quad
        dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    forward = cv2.getPerspectiveTransform(src, dst)
    flags = cv2.INTER_LINEAR if scale > 1.0 else cv2.INTER_CUBIC
    crop = cv2.warpPerspective(bgr, forward, (w, h), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    return LineCrop(crop, np.linalg.inv(forward), vertical)

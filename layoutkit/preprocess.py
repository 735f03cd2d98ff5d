"""Deskew and binarise the page, keeping the way back to original pixels.

Layout analysis needs straight rules and gutters, so it looks at a deskewed working image; ALTO
must point into the scan the library holds, so every coordinate found on the working image is
mapped back through the affine transform recorded here.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .model import Box, Page, Point, Transform

#: Below this the estimate is noise (measured: up to 0.07 degrees on a straight rendered page).
SKEW_MIN_DEG = 0.1


@dataclass(slots=True)
class WorkingImage:
    bgr: np.ndarray      # upright, deskewed page (width and height swap after a quarter turn)
    binary: np.ndarray   # uint8, 255 = ink
    to_original: np.ndarray  # 2x3 affine, working -> original pixels
    transform: Transform
    text_height: float   # median height of character-sized components, in pixels

    def map_points(self, points: list[Point]) -> list[Point]:
        if not points:
            return []
        pts = np.asarray(points, dtype=np.float64)
        out = pts @ self.to_original[:, :2].T + self.to_original[:, 2]
        return [(float(x), float(y)) for x, y in out]


def ink_lightness(bgr: np.ndarray) -> np.ndarray:
    """Each pixel's darkest channel: black and grey print as their grey, coloured print as dark as
    the channels its ink takes away. Yellow type on white is 0 in blue where its grey is 190, as
    light as print showing through from the back; binarised by grey, its lines would fall apart
    into pieces at the white the layout sees in them."""
    return bgr.min(axis=2)


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink = 255. Adaptive so uneven light and yellowed paper do not swallow thin strokes."""
    h, w = grey.shape
    block = max(31, (min(h, w) // 40) | 1)
    adaptive = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    level, otsu = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Adaptive thresholding alone speckles flat paper, so ink must be dark globally as well as
    # locally; and it hollows out solid black (rules, scan borders), so very dark is always ink.
    solid = (grey < level * 0.6).astype(np.uint8) * 255
    return cv2.bitwise_and(cv2.bitwise_or(adaptive, solid), otsu)


def clear_borders(binary: np.ndarray, max_share: float = 0.06) -> np.ndarray:
    """Blank the dark bands a scanner leaves along the page edges.

    A band is the run of rows or columns, from an edge inwards, that are mostly ink; left in, it
    reads as a page-high illustration and hides the page's own margins from layout analysis.
    """
    h, w = binary.shape
    ink = binary > 0
    col_share, row_share = ink.mean(axis=0), ink.mean(axis=1)
    out = binary.copy()
    for share, size, is_col in ((col_share, w, True), (row_share, h, False)):
        limit = max(1, int(size * max_share))
        for from_start in (True, False):
            edge = share[:limit] if from_start else share[::-1][:limit]
            light = np.flatnonzero(edge < 0.5)
            depth = int(light[0]) if light.size else limit
            if depth == 0:
                continue
            depth = min(limit, depth + 3)  # the band's inner edge is ragged
            sl = slice(0, depth) if from_start else slice(size - depth, size)
            if is_col:
                out[:, sl] = 0
            else:
                out[sl, :] = 0
    return out


def estimate_skew(binary: np.ndarray, max_deg: float = 5.0) -> float:
    """The page's skew in degrees, counter-clockwise positive (rotating by its negative levels it).

    Projection-profile search on a reduced image: the sharpest row profile is the one where text
    lines and rules are level. Coarse 0.25 degree steps, then 0.02 around the best.
    """
    h, w = binary.shape
    factor = min(1.0, 1200.0 / max(h, w))
    small = cv2.resize(binary, (max(1, int(w * factor)), max(1, int(h * factor))), interpolation=cv2.INTER_AREA)
    if small.sum() == 0:
        return 0.0
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(small, m, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        profile = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = np.arange(-max_deg, max_deg + 1e-9, 0.25)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.02)
    return -round(float(max(fine, key=sharpness)), 2)


def text_height(binary: np.ndarray) -> float:
    """Median height of components the size of characters; 0 when the page has no ink."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n <= 1:
        return 0.0
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    ws = stats[1:, cv2.CC_STAT_WIDTH]
    keep = (hs >= 6) & (hs <= binary.shape[0] / 10) & (ws <= hs * 4) & (ws >= 2)
    return float(np.median(hs[keep])) if keep.any() else 0.0


def quarter_turn_matrix(k: int, width: int, height: int) -> np.ndarray:
    """3x3 map from original pixels to those of np.rot90(image, k) (k counter-clockwise turns)."""
    k %= 4
    return np.array([[[1, 0, 0], [0, 1, 0]], [[0, 1, 0], [-1, 0, width]],
                     [[-1, 0, width], [0, -1, height]], [[0, -1, height], [1, 0, 0]]][k] + [[0, 0, 1]],
                    dtype=np.float64)


def prepare(bgr: np.ndarray, *, deskew: bool = True, quarter_turns: int = 0) -> WorkingImage:
    """The working image: turned upright by `quarter_turns` counter-clockwise quarter turns (the
    page's orientation, found by ocr.orientation), then deskewed."""
    h0, w0 = bgr.shape[:2]
    turn = quarter_turn_matrix(quarter_turns, w0, h0)
    if quarter_turns % 4:
        bgr = np.ascontiguousarray(np.rot90(bgr, quarter_turns % 4))
    binary = clear_borders(binarise(ink_lightness(bgr)))
    skew = estimate_skew(binary) if deskew else 0.0
    h, w = binary.shape
    forward = np.eye(3)
    if abs(skew) >= SKEW_MIN_DEG:
        centre = (w / 2, h / 2)
        forward[:2] = cv2.getRotationMatrix2D(centre, -skew, 1.0)
        bgr = cv2.warpAffine(bgr, forward[:2], (w, h), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
        binary = cv2.warpAffine(binary, forward[:2], (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    else:
        skew = 0.0
    to_original = np.linalg.inv(forward @ turn)[:2]
    return WorkingImage(bgr, binary, to_original, Transform(rotation=90 * (quarter_turns % 4), skew_deg=skew),
                        text_height(binary))


def _map_page(page: Page, move) -> None:
    """Every coordinate of the page through `move` (a list of points to a list of points)."""
    def box(b: Box) -> Box:
        return Box.of(move(b.polygon()))

    for block in page.blocks:
        block.polygon = move(block.polygon)
        for line in block.lines:
            line.polygon = move(line.polygon)
            if line.baseline:
                line.baseline = move(line.baseline)
            for s in line.strings:
                s.box = box(s.box)
                for g in s.glyphs:
                    g.box = box(g.box)
    for sep in page.separators:
        sep.polygon = move(sep.polygon)
    page.columns = [box(c) for c in page.columns]


def restore(page: Page, work: WorkingImage) -> Page:
    """Map every coordinate found on the working image back to original-image pixels."""
    if work.transform.skew_deg == 0.0 and work.transform.rotation == 0:
        return page
    _map_page(page, work.map_points)
    page.transform = work.transform
    return page


def into_working(page: Page, work: WorkingImage) -> Page:
    """The inverse of `restore`: a page drawn on the original image (ground truth) moved into the
    working image's frame, where the pipeline's own pages are before `restore`. A box turned by
    the deskew becomes the quad it is there, its upright box taken only where a box is kept."""
    if work.transform.skew_deg == 0.0 and work.transform.rotation == 0:
        return page
    forward = np.linalg.inv(np.vstack([work.to_original, [0.0, 0.0, 1.0]]))[:2]

    def move(points: list[Point]) -> list[Point]:
        if not points:
            return []
        out = np.asarray(points, dtype=np.float64) @ forward[:, :2].T + forward[:, 2]
        return [(float(x), float(y)) for x, y in out]

    _map_page(page, move)
    return page

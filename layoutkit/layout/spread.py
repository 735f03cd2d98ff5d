"""Two facing pages in one image (a spread, or a newspaper's fold): where the fold runs.

Archives often scan a fold of a newspaper as one image, and read as one page its columns of page 6
and page 7 join across the fold. Two printed pages are told apart by the white (or the fold's
shadow) between their print areas: a band of columns near the middle of the image that no print
crosses over the whole height of the print, with a print area each side as wide as a page is for
its height. A single page has no such band: its masthead and headlines run across its columns,
and where none does, its halves are too narrow for pages (or, a few lines across a wide page whose
characters stand in a grid, too wide). Lengths are in text heights.

Each page is then read on its own (stood upright and deskewed by itself: the two halves of a fold
seldom lie at one angle) and the two are put in the paper's order.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..io.images import PageImage
from ..model import Box, Direction, Page
from ..preprocess import prepare

#: The fold is searched for in this middle share of the image's width; gutters this share of the
#: width apart count as as near its middle.
MIDDLE = 1 / 3
NEAR = 0.05
#: A column of the fold holds no more ink than this many text heights, and this share of the
#: print's height (specks, the scan's dark edges, a crease) ...
GUTTER_INK = 4.0
GUTTER_SHARE = 0.03
#: ... or is ink over all but this share of it (the fold's shadow, the pages' frame rules).
SHADOW_GAP = 0.1
#: The band is at least this many text heights wide (a 1939 fold: 0.4-0.6 between its pages'
#: frames and the ads set in the fold) ...
GUTTER_WIDTH = 0.3
#: ... and leans by no more than this many degrees, tried in steps that move its ends by this many
#: text heights.
MAX_LEAN = 1.0
LEAN_STEP = 0.25
#: Each side's print area is this wide for its height: a page (broadsheets and tabloids:
#: 0.6-0.75; Republican-era folds' 0.62-0.73), not a column of a two-column page (a near-square page's:
#: 0.5) nor a wide strip of lines ...
PAGE_SHAPE = (0.55, 1.0)
#: ... and the print this many text heights high: a page, not a few lines.
PAGE_LINES = 15.0


def find_fold(binary: np.ndarray, text_height: float) -> int | None:
    """The x where the fold between two pages of `binary` (255 = ink) crosses the middle of the
    print's height, or None for a single page.

    Two pages of a fold lie at slightly different angles and the white between them is narrow
    (half a text height on a 1939 fold), so the fold is looked for along leaning lines too.
    """
    if text_height <= 0:
        return None
    ink = binary > 0
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return None
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    height = bottom - top
    if height < PAGE_LINES * text_height:
        return None
    allowed = min(GUTTER_INK * text_height, GUTTER_SHARE * height)
    w = binary.shape[1]
    lo, hi = round(w * (1 - MIDDLE) / 2), round(w * (1 + MIDDLE) / 2)
    ys, xs = np.nonzero(ink[top:bottom, lo:hi])
    offsets = (ys - height / 2).astype(np.float64)
    reach = int(np.ceil(np.tan(np.radians(MAX_LEAN)) * height / 2))
    steps = max(1, int(np.ceil(reach / (LEAN_STEP * text_height))))
    columns = np.flatnonzero(ink[top:bottom].any(axis=0))
    first, last = int(columns[0]), int(columns[-1]) + 1
    best: tuple[float, int] | None = None
    for shift in np.linspace(-reach, reach, 2 * steps + 1):
        # Each ink pixel moved along the leaning line through it to where that line crosses the middle.
        moved = np.round(xs - offsets * shift / (height / 2)).astype(np.int64)
        inside = (moved >= reach) & (moved < hi - lo - reach)
        per_column = np.bincount(moved[inside], minlength=hi - lo)[reach:hi - lo - reach]
        free = (per_column <= allowed) | (per_column >= (1 - SHADOW_GAP) * height)
        for start, end in _runs(free):
            a, b = lo + reach + start, lo + reach + end
            sides = (a - first, last - b)
            if b - a < GUTTER_WIDTH * text_height or not all(
                    PAGE_SHAPE[0] * height <= side <= PAGE_SHAPE[1] * height for side in sides):
                continue
            middle = (a + b) // 2
            # Near the image's middle (a fold's ads stand between two gutters: the nearer), and
            # the widest (of one gutter's leans, the one it runs straightest along).
            rank = (abs(middle - w / 2) // (NEAR * w), -(b - a))
            if best is None or rank < best[0]:
                best = (rank, middle)
    return None if best is None else best[1]

def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a 1-D boolean array."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def split_spread(image: PageImage, deskew: bool = True) -> list[PageImage]:
    """The image's two pages, left then right, each with its box in the image; [] for one page."""
    work = prepare(image.pixels, deskew=deskew)
    fold = find_fold(work.binary, work.text_height)
    if fold is None:
        return []
    ((x, _y),) = work.map_points([(float(fold), work.binary.shape[0] / 2)])
    cut = int(np.clip(round(x), 1, image.width - 1))
    boxes = (Box(0, 0, cut, image.height), Box(cut, 0, image.width, image.height))
    return [replace(image, pixels=np.ascontiguousarray(image.pixels[:, int(b.x0):int(b.x1)]), crop=b) for b in boxes]


def page_order(left: Page, right: Page) -> list[Page]:
    """The two pages of a spread in the paper's order: by the page numbers they print (第二版,
    read by structure.masthead) where both are read; else right first when the paper reads right
    to left, as a paper set in vertical columns does, and left first otherwise. (A fold's outer
    sheet holds the first and last pages: a vertical paper's page 1 lies left of its page 4.)"""
    folios = [next((f.value for f in p.masthead if f.name == "page"), "") for p in (left, right)]
    if all(f.isdigit() for f in folios) and folios[0] != folios[1]:
        return [left, right] if int(folios[0]) < int(folios[1]) else [right, left]
    chars = {d: 0 for d in Direction}
    for page in (left, right):
        for line in page.text_lines:
            chars[line.direction] += len(line.text)
    return [right, left] if chars[Direction.TTB] > 0.5 * sum(chars.values()) else [left, right]

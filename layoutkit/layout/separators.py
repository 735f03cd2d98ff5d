"""Rules and box frames: long thin runs of ink, solid or printed in dashes.

A rule is a hard boundary for everything after: no text line, block or column crosses one. Rules
are found on an upright copy of the page (turned for horizontal ones), each returned as a thin
four-point polygon along its course, since on warped paper a rule leans against the deskewed page.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..model import Box, Point, Polygon, Separator

#: The most a rule may lean against the deskewed page (tangent; 2 degrees).
MAX_LEAN = 0.035
#: A dash is at most this thick, in text heights (a letter's stem is as thin, but not alone).
DASH_THICKNESS = 0.4
#: White kept on both sides of a dash, in text heights: a rule stands clear of the type.
DASH_CLEARANCE = 0.3
#: The widest break between two dashes of one rule, in text heights.
DASH_GAP = 2.5

#: A rule on the upright page: top x, bottom x, top y, bottom y, thickness.
Upright = tuple[float, float, float, float, float]


def find_separators(binary: np.ndarray, text_height: float) -> list[Separator]:
    th = max(text_height, 8.0)
    h, w = binary.shape
    found: list[Separator] = []
    for orientation, kernel_len in (("horizontal", max(int(th * 8), w // 40)),
                                    ("vertical", max(int(th * 8), h // 40))):
        upright = binary if orientation == "vertical" else np.ascontiguousarray(binary.T)
        solid = _solid_rules(upright, th, kernel_len)
        for rule in solid + _dashed_rules(upright, th, kernel_len, solid):
            found.append(Separator(f"sep{len(found) + 1}", _polygon(rule, orientation), orientation))
    return found


def _polygon(rule: Upright, orientation: str) -> Polygon:
    """Top-left, top-right, bottom-right, bottom-left, like a box's polygon."""
    top, bottom, y0, y1, thick = rule
    half = thick / 2
    pts: list[Point] = [(top - half, y0), (top + half, y0), (bottom + half, y1), (bottom - half, y1)]
    if orientation == "vertical":
        return pts
    # Turned back: the upright rule's left side is the horizontal rule's top side.
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = pts
    return [(ay, ax), (dy, dx), (cy, cx), (by, bx)]


def _solid_rules(upright: np.ndarray, th: float, kernel_len: int) -> list[Upright]:
    """Unbroken vertical runs of ink at least `kernel_len` long.

    A rule that leans has a box wider than the rule is thick, so thickness is its ink over its
    length, and its course is the line through the middle of its top and bottom rows.
    """
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, kernel_len))
    opened = cv2.morphologyEx(upright, cv2.MORPH_OPEN, kernel)
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    rules: list[Upright] = []
    for k, (x, y, bw, bh, area) in enumerate(stats[1:], start=1):
        if bh < kernel_len or area / bh > th * 0.8 or bw > th * 0.8 + bh * MAX_LEAN:
            continue
        mine = labels[y:y + bh, x:x + bw] == k
        ends = max(1, bh // 20)
        top = x + float(np.flatnonzero(mine[:ends].any(axis=0)).mean())
        bottom = x + float(np.flatnonzero(mine[-ends:].any(axis=0)).mean())
        rules.append((top + 0.5, bottom + 0.5, float(y), float(y + bh), float(area / bh)))
    return rules


def _dashed_rules(upright: np.ndarray, th: float, kernel_len: int, solid: list[Upright]) -> list[Upright]:
    """Vertical rules printed in dashes, or solid ones broken by wear or a weak scan.

    Every dash is a thin upright stroke with white on both sides; a stroke of a letter is as
    thin but has the rest of its word beside it. Dashes stacked at one x, with short breaks
    between them, make a rule when together they are as long as a solid rule must be.
    """
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(th * 0.8))))
    strokes = cv2.morphologyEx(upright, cv2.MORPH_OPEN, kernel)
    _n, _, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    x, y, bw, bh = (stats[1:, k].astype(np.int64) for k in range(4))
    keep = bw <= max(2.0, th * DASH_THICKNESS)
    x, y, bw, bh = x[keep], y[keep], bw[keep], bh[keep]
    if x.size == 0:
        return []
    # Ink beside each stroke, over its height, from an integral image of the whole page. The
    # opening thins a dash that wavers, so the bands start a little way out from it.
    ink = cv2.integral((upright > 0).astype(np.uint8))
    clear = max(2, int(th * DASH_CLEARANCE))
    off = max(2, int(th * 0.15))
    width = upright.shape[1]

    def ink_in(x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        x0, x1 = np.clip(x0, 0, width), np.clip(x1, 0, width)
        y0, y1 = y, y + bh
        return ink[y1, x1] - ink[y0, x1] - ink[y1, x0] + ink[y0, x0]

    alone = (ink_in(x - off - clear, x - off) + ink_in(x + bw + off, x + bw + off + clear)) <= 0.05 * bh * 2 * clear
    pieces = np.stack([x, y, x + bw, y + bh], axis=1)[alone]
    pieces = pieces[np.argsort(pieces[:, 1], kind="stable")]
    rules: list[Upright] = []
    for chain in _stack(pieces, max(3.0, th * 0.15), th * DASH_GAP, th):
        span = chain[:, 3].max() - chain[:, 1].min()
        if len(chain) < 2 or span < kernel_len or (chain[:, 3] - chain[:, 1]).sum() < 0.5 * span:
            continue
        y0, y1 = float(chain[:, 1].min()), float(chain[:, 3].max())
        # Parts of the rule that are solid enough were found already; add only what they miss.
        if any(min(y1, s[3]) - max(y0, s[2]) > 0.8 * (y1 - y0)
               and abs((s[0] + s[1]) / 2 - (chain[:, 0].mean() + chain[:, 2].mean()) / 2) <= th for s in solid):
            continue
        centres = (chain[:, 0] + chain[:, 2]) / 2
        mids = (chain[:, 1] + chain[:, 3]) / 2
        slope, at = np.polyfit(mids, centres, 1) if len(chain) > 2 else (0.0, float(centres.mean()))
        thick = float((chain[:, 2] - chain[:, 0]).mean())
        rules.append((float(slope * y0 + at), float(slope * y1 + at), y0, y1, thick))
    return rules


def _stack(pieces: np.ndarray, tol: float, max_gap: float, overlap: float) -> list[np.ndarray]:
    """Chains of pieces (sorted by top) each below the last at about its x, with gaps of at most
    `max_gap`. Chains waiting for their next piece are kept in buckets of x, so each piece looks
    at a handful of chains and not at all of them."""
    chains: list[list[np.ndarray]] = []
    waiting: dict[int, list[int]] = {}
    for piece in pieces:
        xc = (piece[0] + piece[2]) / 2
        bucket = int(xc // tol)
        found = next((k for b in (bucket - 1, bucket, bucket + 1) for k in waiting.get(b, [])
                      if abs((chains[k][-1][0] + chains[k][-1][2]) / 2 - xc) <= tol
                      and -overlap < piece[1] - chains[k][-1][3] <= max_gap), None)
        if found is None:
            chains.append([piece])
            found = len(chains) - 1
        else:
            last = chains[found][-1]
            waiting[int(((last[0] + last[2]) / 2) // tol)].remove(found)
            chains[found].append(piece)
        waiting.setdefault(bucket, []).append(found)
    return [np.array(c) for c in chains]


def ink_without(binary: np.ndarray, boxes: list[Box], pad: float = 0.0) -> np.ndarray:
    """A copy of the ink with the given boxes blanked out."""
    out = binary.copy()
    h, w = out.shape
    for b in boxes:
        x0, y0 = max(0, int(b.x0 - pad)), max(0, int(b.y0 - pad))
        x1, y1 = min(w, int(b.x1 + pad + 1)), min(h, int(b.y1 + pad + 1))
        out[y0:y1, x0:x1] = 0
    return out


def rule_rows(separators: list[Separator], tol: float) -> list[Box]:
    """Horizontal rules printed or scanned in pieces (worn, broken by a picture's edge, run
    together from dashes) as whole rules: pieces whose middles lie within `tol` of each other and
    whose ink covers at least half the stretch from the first's left end to the last's right end."""
    pieces = sorted((s.box for s in separators if s.orientation == "horizontal"), key=lambda b: b.cy)
    rows: list[list[Box]] = []
    for box in pieces:
        if rows and abs(box.cy - rows[-1][-1].cy) <= tol:
            rows[-1].append(box)
        else:
            rows.append([box])
    out = []
    for row in rows:
        span = Box.enclosing(row)
        if sum(b.width for b in row) >= 0.5 * span.width:
            out.append(span)
    return out

"""Lines into blocks, bottom up: each line joins the line that follows it in its own column.

Cutting the page top-down at white (XY-cut) fails where a gutter is narrower than the detector's
reach, leans on warped paper, or is crossed by one line run over it: no cut is found and the reader
goes line by line across the columns. Here a line only joins its nearest neighbour below (left of
it, for vertical text), and only when each is the other's only near neighbour, they share most of
the narrower one's width and no rule or picture lies between — a local relation that no gutter,
narrow or leaning, disturbs. Whether that neighbour goes on in the same block is the same-block
relation (type size, the white between, an indent). Blocks are put in reading order later
(`structure.order`); here only their lines are.
"""

from __future__ import annotations

import numpy as np

from ..model import Box
from .linebox import LineBox

#: Two lines are neighbours in a column when they share this much of the narrower one's width ...
SHARE = 0.5
#: ... and a third line is near enough to make that ambiguous when it shares this much of either.
TOUCH = 0.2
#: Lines whose gaps to a line differ by less than this many type sizes stand equally near it.
TIE = 0.5


def _frame(lines: list[LineBox], width: float) -> np.ndarray:
    """Boxes as (x0, y0, x1, y1) in a frame where each line's successor lies below it: vertical
    lines (read top to bottom, columns right to left) are turned so that their next column is."""
    return Box.rows([ln.box.turned(width) if ln.vertical else ln.box for ln in lines])


def _blocked(a: np.ndarray, b: np.ndarray, obstacles: np.ndarray) -> bool:
    """A rule or picture lies across the white between box a and box b below it."""
    if not len(obstacles):
        return False
    x0, x1 = max(a[0], b[0]), min(a[2], b[2])
    top, bottom = a[3] - 0.5 * (a[3] - a[1]), b[1] + 0.5 * (b[3] - b[1])
    return bool(np.any((obstacles[:, 0] < x1) & (obstacles[:, 2] > x0)
                       & (obstacles[:, 1] < bottom) & (obstacles[:, 3] > top)))


def successors(lines: list[LineBox], obstacles: list[Box], width: float) -> list[int | None]:
    """For each line, the line that follows it in its column, or None.

    b follows a when b is below a (in the turned frame for vertical lines), the nearest line under
    a sharing width with it, the only one that near, a is likewise the only near line above b,
    they share SHARE of the narrower one's width, and no obstacle lies between. A line run over a
    gutter stands over lines of two columns and so joins neither; nor does a headline centred over
    several columns.
    """
    n = len(lines)
    out: list[int | None] = [None] * n
    if n < 2:
        return out
    frame = _frame(lines, width)
    vertical = np.array([ln.vertical for ln in lines])
    size = np.array([max(ln.size, 1.0) for ln in lines])
    obs_by_direction = {False: Box.rows(obstacles), True: Box.rows([o.turned(width) for o in obstacles])}
    x0, y0, x1, y1 = frame.T
    w = np.maximum(x1 - x0, 1e-6)
    shared = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
    narrow = np.minimum(w[:, None], w[None, :])
    cy = (y0 + y1) / 2
    low = np.minimum(y1 - y0, (y1 - y0)[:, None])
    # below[a, b]: b's box starts under a's middle and their boxes overlap at most half the lower's height
    below = (cy[None, :] > cy[:, None]) & (y0[None, :] >= y1[:, None] - 0.5 * low)
    same_kind = vertical[:, None] == vertical[None, :]
    touching = below & same_kind & (shared > TOUCH * np.minimum(w[:, None], w[None, :]))
    gap = y0[None, :] - y1[:, None]
    best_below = np.full(n, -1)
    best_above = np.full(n, -1)
    for a in range(n):
        cands = np.flatnonzero(touching[a])
        if not len(cands):
            continue
        near = gap[a, cands].min()
        tied = cands[gap[a, cands] <= near + TIE * size[a]]
        if len(tied) == 1:
            best_below[a] = tied[0]
    for b in range(n):
        cands = np.flatnonzero(touching[:, b])
        if not len(cands):
            continue
        near = gap[cands, b].min()
        tied = cands[gap[cands, b] <= near + TIE * size[b]]
        if len(tied) == 1:
            best_above[b] = tied[0]
    for a in range(n):
        b = best_below[a]
        if b < 0 or best_above[b] != a or shared[a, b] < SHARE * narrow[a, b]:
            continue
        if _blocked(frame[a], frame[b], obs_by_direction[bool(vertical[a])]):
            continue
        out[a] = int(b)
    return out


def chains(successor: list[int | None]) -> list[list[int]]:
    """The runs a -> successor(a) -> ..., each from a line nothing leads to."""
    led = {b for b in successor if b is not None}
    out = []
    for start in range(len(successor)):
        if start in led:
            continue
        run = [start]
        while (nxt := successor[run[-1]]) is not None:
            run.append(nxt)
        out.append(run)
    return out

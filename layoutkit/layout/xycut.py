"""Recursive XY-cut that reads a newspaper the way its columns run.

At each level a region is first cut at full-height gutters (columns, read left to right, or right
to left for vertical CJK), and only where no gutter runs the full height (something spans the
columns: a headline, a rule, a photo) is it cut across into bands. Bands that would still share a
gutter when put back together are merged first, so paragraphs that end at the same height in
neighbouring columns never make the reader jump across the page.
"""

from __future__ import annotations

from ..model import Box, Point, Separator

#: The narrowest gutter, in body line heights, measured between ink-trimmed line boxes.
COLUMN_GAP = 0.1


#: Items narrower than this many body line heights cannot close a gutter.
SPECK = 0.8
#: A clear break between bands, in body line heights.
ROW_GAP = 0.5
#: A rule divides a region when it runs down at least this share of the region's height.
RULE_SPAN = 0.6

Course = tuple[Point, Point]


def column_gap(body: float) -> float:
    return max(body * COLUMN_GAP, 4.0)


def row_gap(body: float) -> float:
    return max(body * ROW_GAP, 2.0)


def gaps(intervals: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """Uncovered stretches between intervals, at least `min_gap` wide (ends excluded)."""
    if not intervals:
        return []
    spans = sorted(intervals)
    out: list[tuple[float, float]] = []
    reach = spans[0][1]
    for a, b in spans[1:]:
        if a - reach >= min_gap and a > reach:
            out.append((reach, a))
        reach = max(reach, b)
    return out


def _split(idx: list[int], boxes: list[Box], cuts: list[tuple[float, float]], axis: str) -> list[list[int]]:
    bounds = [(a + b) / 2 for a, b in cuts]
    groups: list[list[int]] = [[] for _ in range(len(bounds) + 1)]
    for i in idx:
        centre = boxes[i].cx if axis == "x" else boxes[i].cy
        k = sum(1 for edge in bounds if centre > edge)
        groups[k].append(i)
    return [g for g in groups if g]


def _column_gaps(idx: list[int], boxes: list[Box], min_gap: float) -> list[tuple[float, float]]:
    """Gutters of a region. Specks narrower than a character (show-through, dirt read as text)
    may sit in a gutter and do not close it; they join the column their centre falls in."""
    wide = [i for i in idx if boxes[i].width >= SPECK * min_gap / COLUMN_GAP]
    return gaps([(boxes[i].x0, boxes[i].x1) for i in wide or idx], min_gap)


def _orphaned_body(columns: list[list[int]], boxes: list[Box], headline: list[bool], body: list[bool]) -> bool:
    """A column of body text with no headline of its own, while a headline in a later column
    ends above that text: the headline heads it, so the columns must not be read apart."""
    for k, col in enumerate(columns[:-1]):
        texts = [i for i in col if body[i]]
        if not texts or any(headline[i] for i in col):
            continue
        top = min(boxes[i].y0 for i in texts)
        if any(headline[i] and boxes[i].y1 <= top for later in columns[k + 1:] for i in later):
            return True
    return False


def join_rules(separators: list[Separator], body: float) -> list[Course]:
    """The vertical rules' courses, pieces of one rule (broken by wear, or by a solid stretch
    beside a dashed one, at most two body lines apart) joined from its top to its bottom."""
    max_gap = 2 * body
    courses = [s.course() for s in separators if s.orientation == "vertical"]
    joined: list[Course] = []
    for (ax, ay), (bx, by) in sorted(courses, key=lambda c: c[0][1]):
        for k, ((px, py), (qx, qy)) in enumerate(joined):
            if -max_gap <= ay - qy <= max_gap and abs(ax - qx) <= max_gap / 2 and by > qy:
                joined[k] = ((px, py), (bx, by))
                break
        else:
            joined.append(((ax, ay), (bx, by)))
    return joined


def _rule_split(idx: list[int], boxes: list[Box], rules: list[Course], tol: float,
                crossable: list[bool]) -> list[list[int]] | None:
    """The two sides of a vertical rule that runs down most of the region with nothing across it.

    A gutter on a warped scan leans, so the columns' boxes overlap in x and no straight gap runs
    between them; the rule printed in the gutter leans with it and still divides them.
    """
    top, bottom = min(boxes[i].y0 for i in idx), max(boxes[i].y1 for i in idx)
    for (ax, ay), (bx, by) in rules:
        if by - ay <= 0 or min(by, bottom) - max(ay, top) < RULE_SPAN * (bottom - top):
            continue

        def x_at(y: float, ax: float = ax, ay: float = ay, bx: float = bx, by: float = by) -> float:
            return ax + (bx - ax) * (y - ay) / (by - ay)

        left = [i for i in idx if boxes[i].cx < x_at(boxes[i].cy)]
        right = [i for i in idx if boxes[i].cx >= x_at(boxes[i].cy)]
        across = any(boxes[i].x0 < x_at(boxes[i].cy) - tol and boxes[i].x1 > x_at(boxes[i].cy) + tol
                     for i in idx if not crossable[i])
        if left and right and not across:
            return [left, right]
    return None


def xy_cut(boxes: list[Box], min_gap_x: float, min_gap_y: float = 0.0,
           rtl: list[bool] | None = None, headline: list[bool] | None = None,
           body: list[bool] | None = None, rules: list[Course] | None = None,
           horizontal_rule: list[bool] | None = None) -> list[list[int]]:
    """Leaves of the cut, in reading order; each leaf lists indices into `boxes` top to bottom.

    `min_gap_x` is the narrowest gutter; `min_gap_y` the height of a clear break between bands.

    `rules` are the courses of vertical rules (top end, bottom end): a region is divided at
    one before its gutters are looked for; `horizontal_rule[i]` marks items that are rules
    themselves, which meet a vertical rule without crossing the gutter.

    `rtl[i]` marks items (vertical CJK lines) whose columns are read right to left; `headline`
    and `body` mark typed blocks, so a story whose headline spans only some of its columns is not
    read column by column past its headline.
    """
    right_to_left = rtl or [False] * len(boxes)
    heads = headline or [False] * len(boxes)
    texts = body or [False] * len(boxes)
    crossable = horizontal_rule or [False] * len(boxes)

    def recurse(idx: list[int]) -> list[list[int]]:
        if len(idx) <= 1:
            return [idx] if idx else []
        sides = _rule_split(idx, boxes, rules or [], min_gap_x, crossable)
        if sides:
            if all(right_to_left[i] for i in idx):
                sides.reverse()
            return [leaf for side in sides for leaf in recurse(side)]
        rows = [(boxes[i].y0, boxes[i].y1) for i in idx]
        clear_rows = gaps(rows, min_gap_y)
        col_gaps = _column_gaps(idx, boxes, min_gap_x)
        if col_gaps:
            columns = _split(idx, boxes, col_gaps, "x")
            if all(right_to_left[i] for i in idx):
                columns.reverse()
            if not (clear_rows and _orphaned_body(columns, boxes, heads, texts)):
                return [leaf for col in columns for leaf in recurse(col)]
        # Cut across at clear breaks first; a hairline gap where blocks merely touch is a last resort.
        row_gaps = clear_rows or gaps(rows, 0.0)
        if not row_gaps:
            return [sorted(idx, key=lambda i: (boxes[i].y0, boxes[i].x0))]
        bands = _split(idx, boxes, row_gaps, "y")
        merged: list[list[int]] = [bands[0]]
        for band in bands[1:]:
            joined = len(_column_gaps(merged[-1] + band, boxes, min_gap_x))
            # Join when neither band closes a gutter of the other: the columns run on through both.
            if joined and joined >= max(len(_column_gaps(merged[-1], boxes, min_gap_x)),
                                        len(_column_gaps(band, boxes, min_gap_x))):
                merged[-1] = merged[-1] + band
            else:
                merged.append(band)
        if len(merged) == 1:
            return [sorted(idx, key=lambda i: (boxes[i].y0, boxes[i].x0))]
        return [leaf for band in merged for leaf in recurse(band)]

    return recurse(list(range(len(boxes))))

"""Rows of a price list: a label, a leader of dots, a value or a few of them.

A masthead's subscription and advert rates (and a table of contents, a list of stock prices) are
set as rows that run from a label through dots to prices set in a column of their own. The
detector stops a line at the leader, so label and prices come out as separate pieces with white
between that no line crosses, and the column cut reads all the labels and then all the prices.
A reader, and every transcription, takes each row as one line.

What tells such a row from two columns that merely line up: the values are shorter than their
labels and stand in a column of short pieces, one to a row, and the white between label and value
holds a leader's dots (or a ditto mark). Beside a gutter stand lines as long as those across it,
with clear paper between.
"""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np

from ..model import Box, Separator
from .linebox import ROW_SIZES, LineBox, joined

#: A value's column is of pieces no longer than this many times their height, found within this
#: many line heights above and below, their left or right edges within this share of its height.
CELL_LENGTH, CELL_REACH, CELL_ALIGN = 10.0, 4.0, 0.5
#: Label and value share at least this much of the lower box's height.
LEADER_ROW = 0.7
#: A value (with the cells after it) is at most this share of its label's length.
VALUE = 0.75
#: Cells of a row (prices under "1 Monat", "3 Monate", ...) are each at most this many heights
#: long with at most this many heights of white between.
CELL_NARROW, CELL_GAP = 5.0, 3.0
#: A sign set this close before its cell (in heights) belongs to it ("Fr." before "2.60").
TOUCH = 0.3
#: A leader's marks (dots, a ditto mark's commas) are no larger than this share of the line's
#: height; a letter is. Inside the value's box, where a small letter ("a", "e") would pass that
#: bar, only dots and commas no larger than DOT count.
LEADER_MARK, DOT = 0.5, 0.3


def join_leader_rows(lines: list[LineBox], binary: np.ndarray, separators: list[Separator]) -> list[LineBox]:
    """`lines` with each price-list row's pieces joined into one line, left to right.

    Evidence adds up: a value in a column of short pieces joins its label across a leader of one
    dot, a value in line with longer lines only across two; cells of a row join across a little
    white, and a sign before its cell across almost none.
    """
    flat = [ln for ln in lines if not ln.vertical]
    if len(flat) < 2:
        return lines
    boxes = Box.rows([ln.box for ln in flat])
    rules = [s.box for s in separators if s.orientation == "vertical"]
    columns = [_column(i, flat, boxes) for i in range(len(flat))]
    reach = boxes[:, 2].copy()  # the right end of each piece with the cells joined after it
    follows: dict[int, int] = {}  # a piece -> the piece left of it in its row, by index into `flat`
    led: set[int] = set()  # pieces that follow their label across a leader
    # Right to left, so that a value is judged with the cells after it, and a piece joined to the
    # cell after it (a currency sign) stands in that cell's column.
    for i in sorted(range(len(flat)), key=lambda k: -flat[k].box.x0):
        a = flat[i]
        j = next_in_row(i, flat, boxes)
        if j is None:
            continue
        b = flat[j]
        if any(a.box.x1 <= r.cx <= b.box.x0 and r.y0 < a.box.cy < r.y1 for r in rules):
            continue
        short, aligned = columns[j]
        gap = _gap(a, b) / _low(a, b)
        narrow = max(a.box.width / a.box.height, b.box.width / b.box.height) <= CELL_NARROW
        value = reach[j] - b.box.x0 <= VALUE * a.box.width
        if short >= 2 and (gap <= TOUCH or (narrow and gap <= CELL_GAP)):
            follows[j] = i
        elif value and aligned >= 2 and _leader(a, b, binary) >= (1 if short >= 2 else 2):
            follows[j] = i
            led.add(j)
        else:
            continue
        reach[i] = reach[j]
        columns[i] = max(columns[i], columns[j])

    def head(k: int) -> int:
        while k in follows:
            k = follows[k]
        return k

    rows: dict[int, list[int]] = {}
    for k in range(len(flat)):
        rows.setdefault(head(k), []).append(k)
    # Cells in a row with no label (a column header, or short lines of a narrow column that
    # happen to line up) stay as they are.
    row_of: dict[int, list[LineBox]] = {}  # id of a row's first piece -> the row's pieces
    for k, row in rows.items():
        if len(row) > 1 and not led.intersection(row):
            row_of.update({id(flat[m]): [flat[m]] for m in row})
        else:
            row_of[id(flat[k])] = [flat[m] for m in row]
    return [ln if ln.vertical else joined(row_of[id(ln)]) for ln in lines if ln.vertical or id(ln) in row_of]


def _low(a: LineBox, b: LineBox) -> float:
    return min(a.box.height, b.box.height)


def _gap(a: LineBox, b: LineBox) -> float:
    return b.box.x0 - a.box.x1


def _beside(i: int, boxes: np.ndarray) -> np.ndarray:
    """Indices of the pieces whose rows overlap piece i's: a cheap sieve before the row test."""
    return np.flatnonzero((boxes[:, 1] < boxes[i, 3]) & (boxes[:, 3] > boxes[i, 1]))


def next_in_row(i: int, lines: list[LineBox], boxes: np.ndarray) -> int | None:
    """The nearest piece right of piece i in its row, with nothing between: one of a like height,
    their boxes sharing most of the lower one's height."""
    a = lines[i]
    near = [j for j in _beside(i, boxes) if j != i]
    right = []
    for j in near:
        b = lines[j]
        low, high = _low(a, b), max(a.box.height, b.box.height)
        shared = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
        if b.box.x0 >= a.box.x1 - 0.5 * low and shared >= LEADER_ROW * low and high <= ROW_SIZES * low:
            right.append(j)
    if not right:
        return None
    j = min(right, key=lambda j: (boxes[j, 0], abs(lines[j].box.cy - a.box.cy)))
    b = lines[j]
    top, bottom = max(a.box.y0, b.box.y0), min(a.box.y1, b.box.y1)
    between = [k for k in near if k != j and top <= (boxes[k, 1] + boxes[k, 3]) / 2 <= bottom
               and boxes[k, 2] > a.box.x1 and boxes[k, 0] < b.box.x0]
    return None if between else j


def _column(i: int, lines: list[LineBox], boxes: np.ndarray) -> tuple[int, int]:
    """For a short piece: how many short pieces, and how many pieces of any length, stand in
    line with it (left or right edges) in the rows about it; (0, 0) for a long one."""
    c = lines[i]
    h = c.box.height
    if c.box.width > CELL_LENGTH * h:
        return 0, 0
    tol = CELL_ALIGN * h
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    near = np.flatnonzero((np.abs(cy - c.box.cy) <= CELL_REACH * h)
                          & ((np.abs(boxes[:, 0] - c.box.x0) <= tol) | (np.abs(boxes[:, 2] - c.box.x1) <= tol)))
    overlap = np.minimum(boxes[near, 3], c.box.y1) - np.maximum(boxes[near, 1], c.box.y0)
    near = near[overlap < LEADER_ROW * h]  # the other rows (a piece shares all its own)
    short = (boxes[near, 2] - boxes[near, 0]) <= CELL_LENGTH * (boxes[near, 3] - boxes[near, 1])
    return int(np.count_nonzero(short)), len(near)


def _leader(a: LineBox, b: LineBox, binary: np.ndarray) -> int:
    """The marks of a leader between two pieces of a row: in the white between them, and at the
    head of the value where the detector took the leader's last dots into it ("., Fr. 4. 50").
    0 where the white holds anything larger (a title's flourish, a word left out) or nothing
    (a gutter's clear paper)."""
    low = _low(a, b)
    # The rows both pieces share, less a sixth at each end where neighbouring lines reach in.
    y0, y1 = max(a.box.y0, b.box.y0), min(a.box.y1, b.box.y1)
    y0, y1 = int(y0 + (y1 - y0) / 6), int(y1 - (y1 - y0) / 6)
    x0, x1 = int(np.ceil(a.box.x1)), int(b.box.x1)
    strip = binary[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if strip.size == 0:
        return 0
    count, _labels, stats, _c = cv2.connectedComponentsWithStats((strip > 0).astype(np.uint8), connectivity=8)
    marks = sorted((s for s in stats[1:count] if s[cv2.CC_STAT_AREA] >= max(2, int(0.05 * low) ** 2)),
                   key=lambda s: s[cv2.CC_STAT_LEFT])
    white = b.box.x0 - x0  # where the value's box begins, in the strip
    # Marks in the white; dots at the value's head, counted where the white is clear and a figure
    # follows them (the detector took the whole leader into the value).
    dots: list[np.ndarray] = []
    head: list[np.ndarray] = []
    for s in marks:
        inside = s[cv2.CC_STAT_LEFT] + s[cv2.CC_STAT_WIDTH] > white  # reaches into the value's box
        bar = (DOT if inside else LEADER_MARK) * low
        if s[cv2.CC_STAT_HEIGHT] > bar or s[cv2.CC_STAT_WIDTH] > bar:
            if not inside:
                return 0
            return len(dots) if dots else len(head) if _spaced(head, low) else 0
        (head if inside else dots).append(s)
    return len(dots)


def _spaced(marks: list[np.ndarray], low: float) -> bool:
    """Marks set as a leader's dots: apart from each other along one line. The specks of dirt or
    of print showing through lie clustered at any height."""
    tops = [s[cv2.CC_STAT_TOP] for s in marks]
    apart = all(b[cv2.CC_STAT_LEFT] - (a[cv2.CC_STAT_LEFT] + a[cv2.CC_STAT_WIDTH]) >= DOT * low
                for a, b in pairwise(marks))
    return bool(marks) and apart and max(tops) - min(tops) <= DOT * low

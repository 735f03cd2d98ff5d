"""Adverts and tables: what a newspaper sets inside a ruled frame.

A frame is four rules meeting at their ends. Inside one, a grid of rules (or text standing in
three or more aligned columns) makes a table; a heading over running text in the body type is a
boxed story and keeps its blocks; otherwise type of several sizes, or a picture, makes an
advert; text of one size is a boxed item of the article around it and keeps its types. An advert
or a table is one unit to a reader, so the text blocks inside become one block of that type.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from ..model import Block, BlockType, Box, Separator, TextLine

#: Rule ends meet within this many body line heights.
CORNER = 1.5
#: An inner rule belongs to a table's grid when it runs this share of the frame across.
GRID_RULE = 0.6
#: Type sizes inside an advert differ at least by this ratio.
MIXED_SIZES = 1.4
#: A boxed story runs most of its lines (this share) in paragraphs of at least this many lines.
STORY_SHARE, STORY_LINES = 0.6, 3
#: Running text's lines are at least this many type sizes long; a table's cells are shorter.
RUNNING_WIDTH = 8.0
#: A table has at least this many columns of text and this many rows.
TABLE_COLUMNS, TABLE_ROWS = 3, 3


@dataclass(frozen=True, slots=True)
class Frame:
    box: Box
    inner: list[Separator]


def find_frames(separators: list[Separator], body: float) -> list[Frame]:
    """Rectangles of two vertical and two horizontal rules whose ends meet."""
    tol = CORNER * max(body, 1.0)
    boxes = [s.box for s in separators]
    vertical = [i for i, s in enumerate(separators) if s.orientation == "vertical"]
    horizontal = [i for i, s in enumerate(separators) if s.orientation == "horizontal"]
    frames: list[Frame] = []
    for n, left in enumerate(vertical):
        for right in vertical[n + 1:]:
            ia, ib = sorted((left, right), key=lambda i: boxes[i].cx)
            a, b = boxes[ia], boxes[ib]
            if b.cx - a.cx < 4 * tol or abs(a.y0 - b.y0) > tol or abs(a.y1 - b.y1) > tol:
                continue
            top = [i for i in horizontal if abs(boxes[i].cy - min(a.y0, b.y0)) <= tol and _spans(boxes[i], a, b, tol)]
            bottom = [i for i in horizontal
                      if abs(boxes[i].cy - max(a.y1, b.y1)) <= tol and _spans(boxes[i], a, b, tol)]
            if top and bottom:
                box = Box(a.x0, min(boxes[i].y0 for i in top), b.x1, max(boxes[i].y1 for i in bottom))
                edges = {ia, ib, *top, *bottom}
                inner = [s for i, s in enumerate(separators) if i not in edges and _inside(boxes[i], box)]
                frames.append(Frame(box, inner))
    # A frame holding smaller frames (a page border round everything) is not an item itself.
    return [f for f in frames if not any(g is not f and _inside(g.box, f.box) for g in frames)]


def _spans(h: Box, a: Box, b: Box, tol: float) -> bool:
    return abs(h.x0 - a.cx) <= tol and abs(h.x1 - b.cx) <= tol


def _inside(inner: Box, outer: Box) -> bool:
    return outer.x0 <= inner.cx <= outer.x1 and outer.y0 <= inner.cy <= outer.y1 and inner.area <= outer.area


def type_framed(blocks: list[Block], separators: list[Separator], sizes: dict[str, float],
                body: float) -> list[Block]:
    """Turn the text inside each advert or table frame into one block of that type."""
    for n, frame in enumerate(find_frames(separators, body), start=1):
        inside = [b for b in blocks if _inside(b.box, frame.box)]
        texts = [b for b in inside if b.type.is_text and b.lines]
        if not texts:
            continue
        kind = _kind(frame, texts, inside, sizes, body)
        if kind is None:
            continue
        lines = _rows([ln for b in texts for ln in b.lines], body)
        merged = Block(f"{kind.value[:2]}{n}", kind, frame.box.polygon(), lines, direction=texts[0].direction)
        sizes[merged.id] = float(median(sizes.get(b.id, body) for b in texts))
        gone = {id(b) for b in texts}
        at = blocks.index(texts[0])
        blocks = ([b for b in blocks[:at] if id(b) not in gone] + [merged]
                  + [b for b in blocks[at:] if id(b) not in gone])
        for b in inside:
            if b.type is BlockType.PHOTO:
                b.type = BlockType.GRAPHIC  # a picture in an advert is part of the advert
    return blocks


def _kind(frame: Frame, texts: list[Block], inside: list[Block], sizes: dict[str, float],
          body: float) -> BlockType | None:
    if _story(texts, sizes, body):
        return None
    box = frame.box
    across = [s for s in frame.inner if s.orientation == "horizontal" and s.box.width >= GRID_RULE * box.width]
    down = [s for s in frame.inner if s.orientation == "vertical" and s.box.height >= GRID_RULE * box.height]
    if (across and down) or _text_grid([ln for b in texts for ln in b.lines], body):
        return BlockType.TABLE
    measured = [sizes[b.id] for b in texts if b.id in sizes]
    if any(not b.type.is_text for b in inside) or (measured and max(measured) >= MIXED_SIZES * min(measured)):
        return BlockType.ADVERT
    return None


def _story(texts: list[Block], sizes: dict[str, float], body: float) -> bool:
    """A boxed story, not an advert or a table: a heading over running text, most of the frame's
    lines set in paragraphs of the page's body type, lines long as running text's are (an advert
    sets a few lines in many sizes, a table short cells)."""
    running = [b for b in texts if len(b.lines) >= STORY_LINES and b.id in sizes
               and sizes[b.id] < MIXED_SIZES * body
               and median(ln.box.width for ln in b.lines) >= RUNNING_WIDTH * sizes[b.id]]
    if not running:
        return False
    share = sum(len(b.lines) for b in running) / sum(len(b.lines) for b in texts)
    top = min(b.box.y0 for b in running)
    heading = any(b.id in sizes and sizes[b.id] >= MIXED_SIZES * body and b.box.y1 <= top + body for b in texts)
    return heading and share >= STORY_SHARE


def _row_groups(lines: list[TextLine], body: float) -> list[list[TextLine]]:
    """Lines grouped into rows, top to bottom, each row left to right."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: ln.box.cy):
        if rows and abs(line.box.cy - rows[-1][0].box.cy) <= 0.5 * max(body, rows[-1][0].box.height / 2):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda ln: ln.box.x0) for row in rows]


def _rows(lines: list[TextLine], body: float) -> list[TextLine]:
    """Lines row by row, each row left to right: a table is read across."""
    return [ln for row in _row_groups(lines, body) for ln in row]


def _text_grid(lines: list[TextLine], body: float) -> bool:
    """At least TABLE_ROWS rows that each hold TABLE_COLUMNS or more separate pieces of text."""
    return sum(1 for row in _row_groups(lines, body) if len(row) >= TABLE_COLUMNS) >= TABLE_ROWS

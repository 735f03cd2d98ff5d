"""The page's column grid, found from the body text set in it.

Body text fills one column, so the columns are where the body blocks stand: blocks whose
x-ranges agree stack into one column until a rule or an element wider than the column (a
headline over several columns, a photo) comes between them. Columns therefore differ in width
from story to story, as they do on a broadsheet, and anything else on the page is described by
the columns it spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Block, BlockType, Box, Direction, Separator

#: Two body blocks share a column when their x-ranges overlap by this share of the narrower.
SAME_COLUMN = 0.8
#: ... and the wider is at most this much wider.
WIDTH_RATIO = 1.3
#: A body block narrower than this share of the median (a paragraph's short last line set on
#: its own) stands in a column but does not found one; nor does a block of one line, whose
#: length (a short paragraph, a centred subhead) need not be the column's measure.
NARROW = 0.5
#: A block stands in or heads a column when it overlaps this share of the column's width (a
#: centred headline over four columns reaches only partly over the outer two).
COVERS = 0.1


@dataclass(slots=True)
class _Column:
    box: Box

    def takes(self, block: Box) -> bool:
        c = self.box
        overlap = min(c.x1, block.x1) - max(c.x0, block.x0)
        narrow, wide = sorted((c.width, block.width))
        return overlap >= SAME_COLUMN * narrow and wide <= WIDTH_RATIO * narrow and block.y0 >= c.y1 - 1


def find_columns(blocks: list[Block], separators: list[Separator]) -> list[Box]:
    """Column boxes, top to bottom and left to right."""
    body = [b.box for b in blocks if b.type is BlockType.BODY and b.direction is Direction.LTR and len(b.lines) > 1]
    if not body:
        return []
    widths = sorted(b.width for b in body)
    body = sorted((b for b in body if b.width >= NARROW * widths[len(widths) // 2]), key=lambda b: (b.y0, b.x0))
    others = [b.box for b in blocks if b.type is not BlockType.BODY]
    rules = [s.box for s in separators if s.orientation == "horizontal"]
    columns: list[_Column] = []
    for box in body:
        for col in columns:
            if col.takes(box) and not _between(col.box, box, others + rules):
                col.box = col.box.union(box)
                break
        else:
            columns.append(_Column(box))
    return sorted((c.box for c in columns), key=lambda b: (b.y0, b.x0))


def _between(column: Box, below: Box, obstacles: list[Box]) -> bool:
    """Something wider than the column lies across it between its foot and the next block."""
    x0, x1 = max(column.x0, below.x0), min(column.x1, below.x1)
    slack = 0.1 * (x1 - x0)
    return any(o.y0 >= column.y1 - 1 and o.y1 <= below.y0 + 1 and o.x0 <= x0 + slack and o.x1 >= x1 - slack
               and o.width > WIDTH_RATIO * column.width for o in obstacles)


def spanned(box: Box, columns: list[Box]) -> list[int]:
    """Indices of the columns `box` stands in or heads (a headline over four columns: four).

    A column counts when the box reaches over part of its width and runs beside it; a box beside
    no column (a headline) heads those that begin within twice its height below it; a box that
    does neither (a paragraph's last line under the column's foot) stands in the nearest column
    whose measure holds it.
    """
    over = [i for i, c in enumerate(columns) if min(c.x1, box.x1) - max(c.x0, box.x0) >= COVERS * c.width]
    beside = [i for i in over if columns[i].y0 < box.y1 and columns[i].y1 > box.y0]
    reach = box.y1 + 2 * box.height
    heads = [i for i in over if box.y1 <= columns[i].y0 < reach]
    inside = [i for i in over if min(columns[i].x1, box.x1) - max(columns[i].x0, box.x0) >= SAME_COLUMN * box.width]
    nearest = min(inside, key=lambda i: max(columns[i].y0 - box.y1, box.y0 - columns[i].y1), default=None)
    return beside or heads or ([nearest] if nearest is not None else [])

"""Reading order over blocks.

Order is XY-cut over the blocks themselves (rules are part of the cut), then every caption and
credit is moved to follow its photo; vertical blocks are read right to left, and a vertical
headline comes before the horizontal text it heads.
"""

from __future__ import annotations

from statistics import median

from ..layout.xycut import column_gap, row_gap, xy_cut
from ..model import Block, BlockType, Direction, Page


def order_blocks(page: Page, body: float) -> Page:
    blocks = page.blocks
    if not blocks:
        return page
    boxes = [b.box for b in blocks]
    rules = [s.box for s in page.separators if s.orientation == "horizontal"]
    rtl = [b.direction is Direction.TTB for b in blocks] + [False] * len(rules)
    leaves = xy_cut(boxes + rules, min_gap_x=column_gap(body), min_gap_y=row_gap(body), rtl=rtl)
    sequence = [blocks[i] for leaf in leaves for i in leaf if i < len(blocks)]
    attached = {b.id for b in sequence if b.caption_of or b.credit_of}
    ordered: list[Block] = []
    for b in sequence:
        if b.id in attached:
            continue
        ordered.append(b)
        if not b.type.is_text:
            ordered.extend(x for x in sequence if b.id in (x.caption_of, x.credit_of))
    placed = {b.id for b in ordered}
    ordered.extend(b for b in sequence if b.id not in placed)
    for i, b in enumerate(ordered):
        b.order = i
    page.blocks = ordered
    return page


def median_body(page: Page) -> float:
    sizes = [ln.box.height for b in page.blocks if b.type is BlockType.BODY for ln in b.lines]
    return float(median(sizes)) if sizes else 0.0

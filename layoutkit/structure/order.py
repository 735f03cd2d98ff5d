"""Reading order over blocks.

Order is XY-cut over the blocks themselves (rules are part of the cut), then every caption and
credit is moved to follow its photo; vertical blocks are read right to left, and a vertical
headline comes before the horizontal text it heads.
"""

from __future__ import annotations

from statistics import median

from ..layout.separators import rule_rows
from ..layout.xycut import column_gap, row_gap, xy_cut
from ..model import Block, BlockType, Box, Direction, Page
from .relations import Scene, before_probabilities, decode


def order_blocks(page: Page, body: float) -> Page:
    blocks = page.blocks
    if not blocks:
        return page
    rules = rule_rows(page.separators, max(body, 1.0))
    scene = Scene.of(blocks, rules, vertical_page(blocks), float(page.width), float(page.height), body)
    sequence = [blocks[i] for i in decode(before_probabilities(scene))]
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
    ordered = [b for b in ordered if b.type is BlockType.MASTHEAD] + [b for b in ordered if b.type is not BlockType.MASTHEAD]
    for i, b in enumerate(ordered):
        b.order = i
    page.blocks = ordered
    return page


def vertical_page(blocks: list[Block]) -> bool:
    """A page whose body text is set in vertical columns: most of its body lines run down."""
    lines = [ln for b in blocks if b.type is BlockType.BODY for ln in b.lines]
    return sum(1 for ln in lines if ln.direction is Direction.TTB) > len(lines) / 2


def _masthead_first(ordered: list[Block], page: Page, body: float) -> list[Block]:
    """The masthead is read first: what is set above its title (a strip of issue number, volume
    and date, a number over its middle), then the title, before anything beside it (the date line
    set left of a centred title would come first in column order); then the rest of it cut into
    columns without the title, whose box can reach across the page and would otherwise make the
    reader go line by line across the ears (the boxed notices left and right of the title)."""
    masthead = [b for b in ordered if b.type is BlockType.MASTHEAD]
    title_id = next((f.block_id for f in page.masthead if f.name == "title"), None)
    title = [b for b in masthead if b.id == title_id]
    others = sorted((b for b in masthead if b.id != title_id), key=lambda b: b.box.y0)
    above = _above_title(others, title[0].box, body) if title else set()
    heads = _by_rows([b for b in others if b.id in above], body) + title
    heads += _by_rows([b for b in others if b.id not in above], body)
    return heads + [b for b in ordered if b.type is not BlockType.MASTHEAD]


def _above_title(others: list[Block], top: Box, body: float) -> set[str]:
    """Ids of the masthead blocks read before the title: a row wholly above it, or a line over
    its middle. An ear whose first lines stand higher than the title runs on beside it."""
    above = {b.id for band in _bands(others, body) if all(b.box.cy < top.y0 for b in band) for b in band}
    return above | {b.id for b in others
                    if b.box.cy < top.y0 and b.box.x0 >= top.x0 - body and b.box.x1 <= top.x1 + body}


def _by_rows(blocks: list[Block], body: float) -> list[Block]:
    """Masthead blocks in reading order, row by row, each row into its columns."""
    rows: list[Block] = []
    for band in _bands(blocks, body):
        leaves = xy_cut([b.box for b in band], min_gap_x=column_gap(body), min_gap_y=row_gap(body))
        rows.extend(band[i] for leaf in leaves for i in leaf)
    return rows


def _bands(blocks: list[Block], body: float) -> list[list[Block]]:
    """A masthead is a strip of rows (ears and date line, then the line of codes under them): it
    is cut across at white as high as a line of body text (the lines of one ear are set closer).
    `blocks` come top to bottom."""
    bands: list[list[Block]] = []
    for b in blocks:
        if bands and b.box.y0 < max(x.box.y1 for x in bands[-1]) + body:
            bands[-1].append(b)
        else:
            bands.append([b])
    return bands


def _vertical_headlines_first(ordered: list[Block], rules: list[Box], page_width: float, body: float) -> list[Block]:
    """A vertical headline stands at the right of the story it heads, so column order reaches it
    last; a reader takes it first. Each moves before the first block beside it on its left (no
    rule between them); a headline continued below another follows it."""
    result = list(ordered)
    previous: Block | None = None
    for v in [b for b in ordered if b.direction is Direction.TTB and b.type is BlockType.HEADLINE]:
        vb = v.box
        if previous is not None and min(vb.x1, previous.box.x1) > max(vb.x0, previous.box.x0) \
                and -2 * body <= vb.y0 - previous.box.y1 <= 2 * body:
            result.remove(v)
            result.insert(result.index(previous) + 1, v)
            previous = v
            continue
        beside = next((b for b in result if b is not v and b.direction is not Direction.TTB
                       and vb.x0 - page_width / 3 < b.box.x1 <= vb.x0 + body
                       and b.box.y0 < vb.y1 and b.box.y1 > vb.y0 - 3 * body
                       and not any(b.box.x1 <= r.cx <= vb.x0 and r.y0 < vb.y1 and r.y1 > vb.y0 for r in rules)),
                      None)
        if beside is not None and result.index(beside) < result.index(v):
            result.remove(v)
            # The story it heads may span several columns: go back over the blocks read before
            # the nearest one that stand left of it, start no higher than it and no rule divides.
            start = result.index(beside)
            while start > 0 and _heads(v, result[start - 1], rules, body):
                start -= 1
            result.insert(start, v)
        previous = v
    return result


def _headlines_before_their_columns(ordered: list[Block], rules: list[Box], body: float) -> list[Block]:
    """A headline set over the right-hand columns of its story, its first column starting below
    the headline's top, is reached by column order only after that first column. When the
    columns read just before it start below its top, stand left of it with no rule between, and
    nothing heads them but a kicker, the headline moves before them."""
    result = list(ordered)
    for h in [b for b in ordered if b.type is BlockType.HEADLINE and b.direction is not Direction.TTB]:
        i = result.index(h)
        start = i
        while start > 0 and result[start - 1].type is BlockType.BODY and _heads(h, result[start - 1], rules, body) \
                and result[start - 1].box.y0 >= h.box.y0:
            start -= 1
        if start == i or (start > 0 and result[start - 1].type in (BlockType.HEADLINE, BlockType.SUBHEADLINE)):
            continue
        result.remove(h)
        result.insert(start, h)
    return result


def _heads(v: Block, b: Block, rules: list[Box], body: float) -> bool:
    vb = v.box
    return (b.type.is_text and b.type is not BlockType.MASTHEAD and b.direction is not Direction.TTB
            and b.box.x1 <= vb.x0 + body and b.box.y0 >= vb.y0 - 3 * body
            and not any(b.box.x1 <= r.cx <= vb.x0 and r.y0 < max(vb.y1, b.box.y1) and r.y1 > vb.y0 for r in rules))


def median_body(page: Page) -> float:
    sizes = [ln.box.height for b in page.blocks if b.type is BlockType.BODY for ln in b.lines]
    return float(median(sizes)) if sizes else 0.0

"""Reading order over blocks.

Order is XY-cut over the blocks themselves (rules are part of the cut), then every caption and
credit is moved to follow its photo; vertical blocks are read right to left, and a vertical
headline comes before the horizontal text it heads.
"""

from __future__ import annotations

from statistics import median

import numpy as np

from ..layout.xycut import column_gap, row_gap, xy_cut
from ..model import Block, BlockType, Box, Direction, Page

#: Two blocks stand in one column when they share this much of the narrower one's width.
OVERLAP = 0.2


def order_blocks(page: Page, body: float) -> Page:
    blocks = page.blocks
    if not blocks:
        return page
    rules = [s.box for s in page.separators if s.orientation == "horizontal"]
    sequence = [blocks[i] for i in reading_sequence([b.box for b in blocks], rules, _vertical_page(blocks),
                                                     float(page.width))]
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
    ordered = _masthead_first(ordered, page, body)
    vertical_rules = [s.box for s in page.separators if s.orientation == "vertical"]
    ordered = _vertical_headlines_first(ordered, vertical_rules, page.width, body)
    ordered = _headlines_before_their_columns(ordered, vertical_rules, body)
    for i, b in enumerate(ordered):
        b.order = i
    page.blocks = ordered
    return page


def _vertical_page(blocks: list[Block]) -> bool:
    """A page whose body text is set in vertical columns: most of its body lines run down."""
    lines = [ln for b in blocks if b.type is BlockType.BODY for ln in b.lines]
    return sum(1 for ln in lines if ln.direction is Direction.TTB) > len(lines) / 2


def _turned(boxes: list[Box], width: float) -> np.ndarray:
    """Boxes in a frame where reading runs down and then right: as they are on a horizontal page;
    on a vertical one turned, so that its columns (read right to left) become rows and its tiers
    (top to bottom) columns."""
    return Box.rows([Box(b.y0, width - b.x1, b.y1, width - b.x0) for b in boxes])


def precedence(boxes: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """before[u, v]: u is read before v, from where they stand alone (Breuel's relation).

    u is before v when they share width and u is above; or when u is left of v and nothing that
    shares width with both lies between them (a headline, a rule over both columns): columns are
    read left to right within what spans them. `spans` are rules, which only divide. Sharing width
    means more than OVERLAP of the narrower one's: neighbouring columns on a warped page overlap
    by a few pixels where their gutter leans.
    """
    walls = np.vstack([boxes, spans]) if len(spans) else boxes
    x0, y0, x1, y1 = boxes.T
    wx0, wy0, wx1, wy1 = walls.T
    w, ww = np.maximum(x1 - x0, 1e-6), np.maximum(wx1 - wx0, 1e-6)
    shared = np.minimum(wx1[:, None], x1[None, :]) - np.maximum(wx0[:, None], x0[None, :])
    overlap = shared > OVERLAP * np.minimum(ww[:, None], w[None, :])  # walls x boxes
    n = len(boxes)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    before = overlap[:n] & (cy[:, None] < cy[None, :])
    left = ~overlap[:n] & (cx[:, None] < cx[None, :])
    for u in np.flatnonzero(left.any(axis=1)):
        vs = np.flatnonzero(left[u])
        top = np.minimum(y0[u], y0[vs])
        bottom = np.maximum(y1[u], y1[vs])
        # A wall between u and v shares width with both and stands in the height they take together.
        across = (overlap[:, u][None, :] & overlap[:, vs].T
                  & (wy1[None, :] > top[:, None]) & (wy0[None, :] < bottom[:, None]))
        across[:, u] = False
        across[np.arange(len(vs)), vs] = False
        before[u, vs] = ~across.any(axis=1)
    np.fill_diagonal(before, False)
    return before


def reading_sequence(boxes: list[Box], rules: list[Box], vertical: bool, width: float) -> list[int]:
    """Indices of `boxes` in reading order: the precedence relation sorted topologically, the
    topmost (then leftmost) of the blocks free to go next taken first; where the relation holds a
    cycle, the block with the fewest predecessors left goes next."""
    frame = _turned(boxes, width) if vertical else Box.rows(boxes)
    spans = _turned(rules, width) if vertical else Box.rows(rules)
    before = precedence(frame, spans)
    waiting = before.sum(axis=0).astype(np.int64)
    done = np.zeros(len(boxes), dtype=bool)
    key = np.lexsort((frame[:, 0], frame[:, 1]))  # top to bottom, then left to right
    rank = np.empty(len(boxes), dtype=np.int64)
    rank[key] = np.arange(len(boxes))
    order: list[int] = []
    for _ in range(len(boxes)):
        free = np.flatnonzero(~done & (waiting == 0))
        if not len(free):
            left = np.flatnonzero(~done)
            free = left[waiting[left] == waiting[left].min()]
        nxt = int(free[np.argmin(rank[free])])
        order.append(nxt)
        done[nxt] = True
        waiting -= before[nxt].astype(np.int64)
    return order


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

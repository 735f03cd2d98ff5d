"""Reading order over blocks.

The order keeps the geometric relation over the blocks and the page's rules and lets the learned
before/after estimate (`relations`) choose among what it leaves open; then two things a reader
always does: the masthead is read first, row by row as printed, and a photo's caption and credit
right after the photo.
"""

from __future__ import annotations

from statistics import median

import numpy as np

from ..layout.separators import rule_rows
from ..model import Block, BlockType, Direction, Page
from .relations import Scene, before_probabilities, decode, topological


def order_blocks(page: Page, body: float, booster=None) -> Page:
    """Put the page's blocks in reading order (`booster`: another order model than the packaged
    one, for training)."""
    blocks = page.blocks
    if not blocks:
        return page
    scene = scene_of(page, body)
    sequence = [blocks[i] for i in decode(before_probabilities(scene, booster), scene.before)]
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
    ordered = masthead_order(page, [b for b in ordered if b.type is BlockType.MASTHEAD], body) + [
        b for b in ordered if b.type is not BlockType.MASTHEAD]
    for i, b in enumerate(ordered):
        b.order = i
    page.blocks = ordered
    return page


def masthead_order(page: Page, masthead: list[Block], body: float) -> list[Block]:
    """The masthead's blocks as its rows print them: cut at white running across all of it into
    rows read top to bottom, a row at white running down it into parts read left to right (right
    to left on a vertical page), and so on down; where no white divides what is left (a title
    whose box reaches up into the strip over it), Breuel's relation orders it."""
    if len(masthead) < 2:
        return masthead
    scene = scene_of(page, body, masthead)
    return [masthead[i] for i in _rows_first(scene.frame, list(range(len(scene.frame))), scene.before)
            if i < len(masthead)]


def _rows_first(frame: np.ndarray, items: list[int], before: np.ndarray) -> list[int]:
    for lo, hi in ((1, 3), (0, 2)):  # across first, then down
        parts: list[list[int]] = []
        end = 0.0  # where the part being gathered ends
        for i in sorted(items, key=lambda i: frame[i, lo]):
            if parts and frame[i, lo] < end:
                parts[-1].append(i)
                end = max(end, frame[i, hi])
            else:
                parts.append([i])
                end = frame[i, hi]
        if len(parts) > 1:
            return [i for part in parts for i in _rows_first(frame, part, before)]
    sub = np.ix_(items, items)
    return [items[k] for k in topological(before[sub], frame[items])]


def scene_of(page: Page, body: float, blocks: list[Block] | None = None) -> Scene:
    """The page's blocks (or some of them) and rules as the order model sees them."""
    rules = rule_rows(page.separators, max(body, 1.0))
    return Scene.of(page.blocks if blocks is None else blocks, rules, vertical_page(page.blocks),
                    float(page.width), float(page.height), body)


def vertical_page(blocks: list[Block]) -> bool:
    """A page whose body text is set in vertical columns: most of its body lines run down."""
    lines = [ln for b in blocks if b.type is BlockType.BODY for ln in b.lines]
    return sum(1 for ln in lines if ln.direction is Direction.TTB) > len(lines) / 2


def median_body(page: Page) -> float:
    """The body text's line size (across the line, whichever way it runs)."""
    sizes = [ln.box.thickness for b in page.blocks if b.type is BlockType.BODY for ln in b.lines]
    return float(median(sizes)) if sizes else 0.0

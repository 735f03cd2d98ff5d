"""Block types from evidence: size against the page's body text, position, neighbours, words.

Geometry is known before recognition and text only after, so typing happens in two passes:
`classify_blocks` from sizes, `refine_types` once the text is there (bylines, credits, captions).
"""

from __future__ import annotations

import re

from ..model import Block, BlockType, Box

HEADLINE_RATIO = 1.6
SUBHEAD_RATIO = 1.2

BYLINE = re.compile(r"^[□■◇◆]?\s*(本报记者|本报通讯员|通讯员|记者|特约记者|本报讯|新华社|Von |By |Par )")
CREDIT = re.compile(r"(摄$|摄影|供图$|^(Foto|Photo|Bild)\s*:)")


def classify_blocks(blocks: list[Block], sizes: dict[str, float], body: float) -> list[Block]:
    """Headline, subheadline or body by type size (`sizes`: block id -> median line size)."""
    for b in blocks:
        if not b.type.is_text or b.id not in sizes or body <= 0:
            continue
        ratio = sizes[b.id] / body
        if ratio >= HEADLINE_RATIO:
            b.type = BlockType.HEADLINE
        elif ratio >= SUBHEAD_RATIO:
            b.type = BlockType.SUBHEADLINE
        else:
            b.type = BlockType.BODY
    return blocks


def _below(upper: Box, lower: Box, reach: float) -> bool:
    overlap = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
    return overlap > 0.5 * min(upper.width, lower.width) and 0 <= lower.y0 - upper.y1 <= reach


def refine_types(blocks: list[Block], body: float) -> list[Block]:
    """Bylines, photo credits and captions, from the words and from what sits under a photo."""
    photos = [b for b in blocks if b.type in (BlockType.PHOTO, BlockType.GRAPHIC)]
    for b in blocks:
        if not b.lines or b.type in (BlockType.HEADLINE, BlockType.MASTHEAD):
            continue
        text = b.text.strip()
        if CREDIT.search(text) and len(text) < 40:
            b.type = BlockType.CREDIT
        elif BYLINE.search(text) and len(text) < 60:
            b.type = BlockType.BYLINE
        for p in photos:
            if _below(p.box, b.box, body * 3) and b.type in (BlockType.BODY, BlockType.SUBHEADLINE,
                                                             BlockType.CREDIT):
                if b.type is BlockType.CREDIT:
                    b.credit_of = p.id
                else:
                    b.type = BlockType.CAPTION
                    b.caption_of = p.id
                break
    return blocks

"""Block types from evidence: size against the page's body text, position, neighbours, words.

Geometry is known before recognition and text only after, so typing happens in two passes:
`classify_blocks` from sizes, `refine_types` once the text is there (bylines, credits, captions).
"""

from __future__ import annotations

import re

from ..model import Block, BlockType, Box

HEADLINE_RATIO = 1.6
SUBHEAD_RATIO = 1.2

BYLINE = re.compile(r"^[□■◇◆]?\s*(本报记者|本报评论员|本报通讯员|通讯员|记者|特约记者|本报讯|新华社|Von |By |Par )")
CREDIT = re.compile(r"(摄$|摄影|供图$|^(Foto|Photo|Bild)\s*:)")
#: A page number or a running head naming one: "3", "- 3 -", "第3版", "A3版", "Seite 3", "Page 3".
FOLIO = re.compile(r"(^[-–—]?\s*\d{1,3}\s*[-–—]?$|第\s*\d{1,3}\s*版|^[A-Z]?\d{1,2}\s*版"
                   r"|\b(Seite|Page)\s+\d{1,3}\b)")
#: Page furniture stands in this share of the page's height at its head or foot.
MARGIN_BAND = 0.06


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


def _kickers(blocks: list[Block], body: float) -> None:
    """Short lines stacked right above a headline (a kicker, a banner) belong to its heading."""
    for h in [b for b in blocks if b.type is BlockType.HEADLINE and b.direction.value == "ltr"]:
        # A kicker may be set flush left over a centred headline: look half its width to each side.
        x0, x1 = h.box.x0 - h.box.width / 2, h.box.x1 + h.box.width / 2
        above = h.box
        while True:
            over = [b for b in blocks if b.lines and len(b.lines) == 1 and b is not h
                    and b.type in (BlockType.SUBHEADLINE, BlockType.BODY) and len(b.text) <= 30
                    and min(x1, b.box.x1) - max(x0, b.box.x0) > 0
                    and 0 <= above.y0 - b.box.y1 <= 1.5 * body]
            if not over:
                break
            k = max(over, key=lambda b: b.box.y1)
            k.type = BlockType.KICKER
            above = k.box


def refine_types(blocks: list[Block], body: float, page_height: float) -> list[Block]:
    """Bylines, photo credits, captions and page furniture, from the words and from where they stand.

    A caption is the text right under a photo; a credit ("本报记者 何龙摄", "Foto: ...") is a short
    line under the photo or under its caption; a page number or running head is a short line in
    the band at the head or foot of the page that names the page.
    """
    for b in blocks:
        if not b.lines or b.type in (BlockType.HEADLINE, BlockType.MASTHEAD, BlockType.ADVERT, BlockType.TABLE):
            continue
        text = b.text.strip()
        in_margin = b.box.y1 <= MARGIN_BAND * page_height or b.box.y0 >= (1 - MARGIN_BAND) * page_height
        if in_margin and len(b.lines) == 1 and len(text) <= 60 and FOLIO.search(text):
            b.type = BlockType.FURNITURE
        elif CREDIT.search(text) and len(text) < 40:
            b.type = BlockType.CREDIT
        elif BYLINE.search(text) and len(text) < 60:
            b.type = BlockType.BYLINE
    _kickers(blocks, body)
    reach = body * 3
    for p in (b for b in blocks if b.type in (BlockType.PHOTO, BlockType.GRAPHIC)):
        photo = above = p.box
        for b in sorted((b for b in blocks if b.lines and _below(photo, b.box, reach * 4)), key=lambda x: x.box.y0):
            if not _below(above, b.box, reach):
                break
            if b.type is BlockType.CREDIT:
                b.credit_of = p.id
                break
            # A caption is set to the picture's width or narrower; a column that runs on past the
            # picture's side only happens to start under it.
            within = b.box.x0 >= photo.x0 - body and b.box.x1 <= photo.x1 + body
            if b.type in (BlockType.BODY, BlockType.SUBHEADLINE) and above is photo and within:
                b.type = BlockType.CAPTION
                b.caption_of = p.id
                above = b.box
                continue
            break
    return blocks

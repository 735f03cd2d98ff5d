"""Block types: each text block's role from the learned classifier (`roles`), and each caption
and credit tied to the picture it speaks of.

Geometry is known before recognition and text only after, so roles are decided once the text is
there; frames have already made adverts and tables of what they hold, and the masthead is found
after, by its own evidence.
"""

from __future__ import annotations

from ..model import Block, BlockType, Box
from .roles import predict_roles

#: A caption or credit stands within this many body sizes of its picture (or of the caption).
REACH = 4.0


def refine_types(blocks: list[Block], body: float, page_width: float, page_height: float) -> list[Block]:
    """Roles for the text blocks frames left alone, then captions and credits linked."""
    texts = [b for b in blocks if b.type.is_text and b.lines]
    roles = predict_roles(blocks, page_width, page_height, body)
    for b, role in zip(texts, roles, strict=True):
        if b.type not in (BlockType.ADVERT, BlockType.TABLE):
            b.type = role
    link_pictures(blocks, body)
    return blocks


def _gap_to(picture: Box, b: Box) -> float | None:
    """White between a picture and a block under it or beside it, or None when it is neither."""
    across = min(picture.x1, b.x1) - max(picture.x0, b.x0)
    if across > 0.5 * min(picture.width, b.width) and b.y0 >= picture.y1 - 0.5 * b.height:
        return max(0.0, b.y0 - picture.y1)
    down = min(picture.y1, b.y1) - max(picture.y0, b.y0)
    if down > 0.5 * b.height:
        return max(0.0, b.x0 - picture.x1, picture.x0 - b.x1)
    return None


def link_pictures(blocks: list[Block], body: float) -> None:
    """Each caption to the nearest picture it stands under or beside; each credit to the picture
    of the caption it stands by, or to the nearest picture."""
    pictures = [b for b in blocks if not b.type.is_text]
    reach = REACH * max(body, 1.0)

    def nearest(b: Block, candidates: list[Block]) -> Block | None:
        gaps = [(g, c) for c in candidates if (g := _gap_to(c.box, b.box)) is not None and g <= reach]
        return min(gaps, key=lambda gc: gc[0])[1] if gaps else None

    for b in blocks:
        b.caption_of = b.credit_of = None
    for b in blocks:
        if b.type is BlockType.CAPTION and (photo := nearest(b, pictures)) is not None:
            b.caption_of = photo.id
    captions = [b for b in blocks if b.caption_of]
    for b in blocks:
        if b.type is not BlockType.CREDIT:
            continue
        by = nearest(b, captions)
        photo = next((p for p in pictures if by is not None and p.id == by.caption_of), None) or nearest(b, pictures)
        if photo is not None:
            b.credit_of = photo.id

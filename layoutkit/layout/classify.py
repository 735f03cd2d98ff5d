"""Block types: each text block's role from the learned classifier (`roles`), and each caption
and credit tied to the picture it speaks of.

Geometry is known before recognition and text only after, so roles are decided once the text is
there; frames have already made adverts and tables of what they hold, and the masthead is found
after, by its own evidence.
"""

from __future__ import annotations

from statistics import median

from ..model import Block, BlockType, Box, Direction
from .roles import CREDIT, CREDIT_REACH, predict_roles

#: A caption or credit stands within this many body sizes of its picture (or of the caption).
REACH = 4.0
#: A caption governed by its picture: at most this many body sizes of white from it, its ends
#: within CAPTION_SLACK of the picture's, at most MAX_CAPTION_LINES lines in type at most
#: CAPTION_SIZE body sizes; type under SMALLER body sizes is set apart from the body.
#: (The white may hold the credit's line, printed between the picture and its caption; a caption
#: set in the sans of a serif page measures up to a quarter over the body.)
CAPTION_GAP, CAPTION_SLACK, MAX_CAPTION_LINES, CAPTION_SIZE, SMALLER = 2.5, 1.0, 8, 1.3, 0.92
#: A caption over its picture stands within this many body sizes of two of its edges (a corner).
CORNER = 1.5


def refine_types(blocks: list[Block], body: float, page_width: float, page_height: float) -> list[Block]:
    """Roles for the text blocks frames left alone, then captions and credits linked."""
    texts = [b for b in blocks if b.type.is_text and b.lines]
    roles = predict_roles(blocks, page_width, page_height, body)
    for b, role in zip(texts, roles, strict=True):
        if b.type not in (BlockType.ADVERT, BlockType.TABLE):
            b.type = role
    captions_by_evidence(blocks, body)
    link_pictures(blocks, body)
    return blocks


def _size(b: Block) -> float:
    return float(median(ln.box.thickness for ln in b.lines))


def _measure(blocks: list[Block], body: float) -> float:
    """The body's column measure: the median width of body blocks of three lines or more."""
    widths = [b.box.width for b in blocks if b.type is BlockType.BODY and len(b.lines) >= 3
              and b.direction is not Direction.TTB]
    return float(median(widths)) if widths else float("inf")


def _governs(picture: Box, b: Box, body: float) -> str | None:
    """How a picture holds a text block as its caption, if it does: "over" it (printed inside the
    picture in one of its corners: a picture's box that merely reaches over a column's lines holds
    them along an edge, not in a corner) or "under" it (within a line's white under it, inside
    its measure); None else. (Beside a picture a column of body text stands as often as a
    caption: there the roles decide.)"""
    slack = CAPTION_SLACK * body
    if picture.x0 - slack <= b.x0 and b.x1 <= picture.x1 + slack and picture.y0 - slack <= b.y0 \
            and b.y1 <= picture.y1 + slack:
        corner = CORNER * body
        side = min(b.x0 - picture.x0, picture.x1 - b.x1) <= corner
        end = min(b.y0 - picture.y0, picture.y1 - b.y1) <= corner
        return "over" if side and end else None
    if -slack <= b.y0 - picture.y1 <= CAPTION_GAP * body and b.x0 >= picture.x0 - slack and b.x1 <= picture.x1 + slack:
        return "under"
    return None


def captions_by_evidence(blocks: list[Block], body: float) -> None:
    """Body text a picture governs is its caption, whatever its line count (and so is a block of
    lines the roles took for a credit, its credit printed inline at its end): printed over the
    picture's corner in type no bigger than the body's; or under it, to its measure, where no
    column of body text could stand (the picture spans more than one column) or a credit stands
    by it or its type is smaller than the body's. A column of text under a one-column picture in
    the body's type with nothing else to tell it, and text beside a picture, are left as the
    roles found them."""
    body = max(body, 1.0)
    pictures = [b.box for b in blocks if not b.type.is_text]
    if not pictures:
        return
    measure = _measure(blocks, body)
    texts = [b for b in blocks if b.type.is_text and b.lines]
    # A credit is a line or two: a longer block the roles called a credit is text that may hold one.
    credits = [b.box for b in texts
               if len(b.lines) <= 2 and (b.type is BlockType.CREDIT or CREDIT.search(b.text.strip()))]
    for b in texts:
        # A block of lines ending in a credit is a caption with its credit inline, not a credit.
        inline = len(b.lines) > 1 and bool(CREDIT.search(b.text.strip()))
        kinds = (BlockType.BODY, BlockType.CREDIT) if len(b.lines) > 1 else (BlockType.BODY,)
        if b.type not in kinds or len(b.lines) > MAX_CAPTION_LINES or _size(b) > CAPTION_SIZE * body:
            continue
        smaller = _size(b) < SMALLER * body
        credited = inline or any(_credit_by(c, b.box, body) for c in credits)
        # Its measure with a credit set beside it on its rows (the two share the picture's width).
        span = Box.enclosing([b.box, *(c for c in credits if _beside(c, b.box, body))])
        for picture in pictures:
            how = _governs(picture, b.box, body)
            wide = picture.width > 1.5 * measure
            # Its measure the picture's (vertical lines under a picture are short columns across
            # it); a single line flush with one of its edges or centred under it.
            slack = CAPTION_SLACK * body
            full = max(abs(span.x0 - picture.x0), abs(span.x1 - picture.x1)) <= slack \
                or b.direction is Direction.TTB \
                or (len(b.lines) == 1 and min(abs(b.box.x0 - picture.x0), abs(b.box.x1 - picture.x1),
                                              abs(b.box.cx - picture.cx)) <= slack)
            if how == "over" or (how == "under" and full and (wide or credited or smaller)):
                b.type = BlockType.CAPTION
                break


def _beside(credit: Box, b: Box, body: float) -> bool:
    """A credit on the block's rows at its side, within its reach."""
    down = min(credit.y1, b.y1) - max(credit.y0, b.y0)
    return credit != b and down > 0 and max(credit.x0 - b.x1, b.x0 - credit.x1) <= CREDIT_REACH * body


def _credit_by(credit: Box, b: Box, body: float) -> bool:
    """A credit stands by a block: on its rows at its side, or just above or under it, within its
    reach."""
    if credit == b:
        return False
    reach = CREDIT_REACH * body
    across = min(credit.x1, b.x1) - max(credit.x0, b.x0)
    down = min(credit.y1, b.y1) - max(credit.y0, b.y0)
    return (across > 0 and max(credit.y0 - b.y1, b.y0 - credit.y1) <= reach) or \
        (down > 0 and max(credit.x0 - b.x1, b.x0 - credit.x1) <= reach)


def _gap_to(picture: Box, b: Box) -> tuple[int, float] | None:
    """White between a picture and a block under it (0, gap) or beside it (1, gap), or None when
    it is neither: a block under one picture's measure and beside another's foot is the first's."""
    across = min(picture.x1, b.x1) - max(picture.x0, b.x0)
    if across > 0.5 * min(picture.width, b.width) and b.y0 >= picture.y1 - 0.5 * b.height:
        return 0, max(0.0, b.y0 - picture.y1)
    down = min(picture.y1, b.y1) - max(picture.y0, b.y0)
    if down > 0.5 * b.height:
        return 1, max(0.0, b.x0 - picture.x1, picture.x0 - b.x1)
    return None


def link_pictures(blocks: list[Block], body: float) -> None:
    """Each caption to the nearest picture it stands under or beside; each credit to the picture
    of the caption it stands by, or to the nearest picture."""
    pictures = [b for b in blocks if not b.type.is_text]
    reach = REACH * max(body, 1.0)

    def nearest(b: Block, candidates: list[Block]) -> Block | None:
        gaps = [(g, c) for c in candidates if (g := _gap_to(c.box, b.box)) is not None and g[1] <= reach]
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

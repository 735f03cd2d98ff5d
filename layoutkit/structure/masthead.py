"""The masthead: where it is, on the evidence a reader uses, and its fields (parsed by `fields`).

A masthead is the paper's title with its date and number at the head of a front page: the text
over the first rule across the page that has a title over it, or, without such a rule, a title
with the issue's date in the page's top eighth. A story's headline is never part of it, however
high and wide it stands: followed by its body in its columns, it is an article's head. A row of
small type over an inside page is its running head: page furniture whose date and page number
are read as the masthead's fields.
"""

from __future__ import annotations

from ..layout.roles import FOLIO
from ..layout.separators import rule_rows
from ..model import Block, BlockType, Box, Direction, Page
from .fields import WEEKDAYS_DE, ganzhi, parse_fields

__all__ = ["WEEKDAYS_DE", "find_masthead", "ganzhi", "masthead_blocks", "parse_fields", "running_head"]

MASTHEAD_TOP_SHARE = 0.25
#: Fields only a masthead prints; a strip of at most STRIP_LINES lines holding one, standing within
#: STRIP_REACH body lines under the masthead's rule, belongs to the masthead.
CODES = ("cn", "issn", "postal", "website", "email", "hotline")
STRIP_LINES, STRIP_REACH = 2, 3.0
#: Fields that date or number an issue: a masthead without a rule under it prints one of them.
DATED = ("date", "issue", "volume")
#: A block whose fields make up this share of its text prints the masthead's fields.
FIELD_SHARE = 0.4
#: A story's body follows its headline and decks within this many body sizes, in a block of at
#: least ARTICLE_LINES lines.
ARTICLE_GAP, ARTICLE_LINES = 3.0, 3
#: A masthead's title is set at least this many body sizes high; a row of smaller type (a folio
#: apart) printed over the page is a running head.
TITLE_SIZE = 2.0
#: A framed block (an advert or table its frame made one) stands at least this many body sizes
#: inside its outline on every side.
FRAME_MARGIN = 0.3


def masthead_blocks(page: Page, body: float) -> list[Block]:
    """Text blocks above the first rule that spans most of the page near its top: every line's
    middle above it (the detector's box of the last line may reach over a rule set close under it).

    Without such a rule, the text blocks in the top eighth of the page, if a title is among them
    and a date or number beside it. Either way, never an article's head: a headline (with its
    decks) followed by body text in its columns, rule-free, is the top of a story however large
    and high it stands, and what stands under it in its columns is the story's too.
    """
    limit = page.height * MASTHEAD_TOP_SHARE
    every = rule_rows(page.separators, max(body, 1.0))
    rules = sorted((r for r in every if r.width >= 0.6 * page.width and r.y0 <= limit), key=lambda b: b.y0)
    rule = _rule_under_title(page, rules, body)
    # A rule's middle: pieces of rules a little apart (a thick rule and a thin one under it, an
    # advert's frame ending beside it) come as one row of some height.
    bottom = rule.cy if rule is not None else page.height / 8
    blocks = _above(page, bottom)
    blocks = _outside_articles(page, blocks, body, every)
    # An advert in its frame beside the title is no part of the masthead; the title (framed on
    # some pages), a price line or a piece of the date block the roles took for an advert is.
    title = max(blocks, key=lambda b: max(ln.box.thickness for ln in b.lines), default=None)
    blocks = [b for b in blocks if b is title or not (b.type in (BlockType.ADVERT, BlockType.TABLE)
                                                      and _framed(b, body) and not prints_fields(b))]
    # Without a rule under it, a masthead still has a title in large type (whatever role the
    # roles gave it) and the date or number; body text or a story's headline at the top
    # of a page without one (an inside page) is not a masthead.
    if rule is None and not (any(_is_title(b, body) for b in blocks)
                          and any(f.name in DATED for f in parse_fields(blocks, None))):
        return []
    if rule is not None:
        # The strip of codes (CN, postal code, website, hotline) or of the date and
        # numbers (Jahrgang, date, Nr.) some papers print right under the masthead's rule is the
        # masthead's too.
        blocks += [b for b in page.blocks if b.type.is_text and b.lines and len(b.lines) <= STRIP_LINES
                   and rule.cy <= min(ln.box.cy for ln in b.lines) <= rule.y1 + STRIP_REACH * body
                   and b not in blocks
                   and any(f.name in CODES or f.name in DATED for f in parse_fields([b], None)) and prints_fields(b)]
    return blocks


def _framed(b: Block, body: float) -> bool:
    """The block's outline is a frame around its lines, not their own box (nor that box a little
    padded: a fifth of its largest type)."""
    inner = Box.enclosing([ln.box for ln in b.lines])
    m = max(FRAME_MARGIN * max(body, 1.0), 0.2 * max(ln.box.thickness for ln in b.lines))
    return min(inner.x0 - b.box.x0, b.box.x1 - inner.x1, inner.y0 - b.box.y0, b.box.y1 - inner.y1) >= m


def _above(page: Page, y: float) -> list[Block]:
    return [b for b in page.blocks if b.type.is_text and b.lines and max(ln.box.cy for ln in b.lines) <= y]


def _is_title(b: Block, body: float) -> bool:
    """Type of a title's size (TITLE_SIZE body sizes across the line), and neither a folio nor a
    number or date printed large."""
    return max(ln.box.thickness for ln in b.lines) >= TITLE_SIZE * max(body, 1.0) \
        and not FOLIO.search(b.text.strip()) and not prints_fields(b)


def _rule_under_title(page: Page, rules: list[Box], body: float) -> Box | None:
    """Of the wide rules at the page's head, the first with a title over it (type of TITLE_SIZE
    body sizes, not a folio); else the first with any text over it. A strip ruled above and
    below over the title (Jahrgang, date, number) does not end the masthead; a rule with nothing
    over it (the page's top border) is no masthead's."""
    first = None
    for rule in rules:
        above = _above(page, rule.cy)
        if not above:
            continue
        first = first or rule
        if any(_is_title(b, body) for b in above):
            return rule
    return first


def _outside_articles(page: Page, blocks: list[Block], body: float, rules: list[Box]) -> list[Block]:
    """The blocks less every article's head among them and what stands under a horizontal head
    in its columns (from its top down)."""
    texts = [b for b in page.blocks if b.type.is_text and b.lines]
    # Vertical text reaching into the page's head from a tier below it: a column of body text,
    # not a masthead's line, unless it prints the masthead's fields.
    blocks = [b for b in blocks if not (b.direction is Direction.TTB and b.type is BlockType.BODY
                                        and len(b.lines) >= 3 and not prints_fields(b))]
    heads = [b for b in blocks if _heads_article(b, texts, body, rules)]
    if not heads:
        return blocks
    out = []
    for b in blocks:
        if any(b is h or (h.direction is not Direction.TTB and b.box.y0 >= h.box.y0 - 0.5 * body
                          and min(b.box.x1, h.box.x1) - max(b.box.x0, h.box.x0) > 0.5 * b.box.width)
               for h in heads):
            continue
        out.append(b)
    return out


def _next_in_column(b: Block, texts: list[Block], body: float) -> tuple[Block | None, float]:
    """The text block that follows b where its text goes on: under it (to its left for vertical
    text), sharing most of the narrower one's measure; and the white between them in body sizes."""
    best, gap = None, float("inf")
    for o in texts:
        if o is b:
            continue
        if b.direction is Direction.TTB:
            shared = min(o.box.y1, b.box.y1) - max(o.box.y0, b.box.y0)
            room = min(o.box.height, b.box.height)
            g = b.box.x0 - o.box.x1
        else:
            shared = min(o.box.x1, b.box.x1) - max(o.box.x0, b.box.x0)
            room = min(o.box.width, b.box.width)
            g = o.box.y0 - b.box.y1
        if shared > 0.5 * room and -0.5 * body <= g < gap:
            best, gap = o, g
    return best, max(gap, 0.0) / max(body, 1.0)


def _heads_article(b: Block, texts: list[Block], body: float, rules: list[Box]) -> bool:
    """b is a headline, kicker or deck that its story's body text (a block of a few lines at
    least) follows in its columns within a few body sizes, through at most a few more decks and
    across no rule; a block printing the masthead's fields (a date, a number, a code) never counts
    as that body."""
    deck = (BlockType.KICKER, BlockType.HEADLINE, BlockType.SUBHEADLINE, BlockType.BYLINE)
    if b.type not in deck[:3] or prints_fields(b):
        return False
    current = b
    for _ in range(4):
        nxt, gap = _next_in_column(current, texts, body)
        if nxt is None or gap > ARTICLE_GAP or prints_fields(nxt) or _ruled_between(current, nxt, rules):
            return False
        if nxt.type is BlockType.BODY:
            # A story's text runs on down its column; a line or two under a title (a masthead's
            # subtitle, its motto) is no story's body.
            # (Vertical lines: the column is the line, a paragraph of one or two is a story's.)
            return len(nxt.lines) >= ARTICLE_LINES or nxt.direction is Direction.TTB
        if nxt.type not in deck:
            return False
        current = nxt
    return False


def prints_fields(b: Block) -> bool:
    """Most of the block is a masthead's fields (a date line, an issue number, a strip of codes),
    not text that mentions a weekday in passing."""
    text = "".join(b.text.split())
    found = sum(len("".join(f.text.split())) for f in parse_fields([b], None))
    return bool(text) and found >= FIELD_SHARE * len(text)


def _ruled_between(a: Block, b: Block, rules: list[Box]) -> bool:
    """A horizontal rule runs between a and the block b under it, across their shared measure."""
    if a.direction is Direction.TTB:
        return False
    x0, x1 = max(a.box.x0, b.box.x0), min(a.box.x1, b.box.x1)
    return any(a.box.y1 - 1 <= r.cy <= b.box.y0 + 1 and min(r.x1, x1) - max(r.x0, x0) > 0.5 * (x1 - x0)
               for r in rules)


def running_head(page: Page) -> list[Block]:
    """The blocks of the page's top row of horizontal text when they print a date: an inside page's
    running head (中華民國八年四月九日 星期三 第二版, in pieces), which carries the issue's date and
    the page's number as a masthead does. Below the top row a date is an article's."""
    heads = [b for b in page.blocks if b.type.is_text and b.lines and b.direction is not Direction.TTB]
    if not heads:
        return []
    top = min(heads, key=lambda b: b.box.y0).box
    row = [b for b in heads if top.y0 <= b.box.cy <= top.y1 + top.height]
    ids = {id(b) for b in row}
    if any(b.box.y0 < top.y1 for b in page.blocks if b.type.is_text and b.lines and id(b) not in ids):
        return []  # a column or a headline stands beside it: the row is not over the page
    return row if any(f.name == "date" for f in parse_fields(row, None)) else []


def is_running_head(blocks: list[Block], body: float) -> bool:
    """One row of one-line blocks across the page's head with no title in it: the type a folio
    apart, every block under TITLE_SIZE body sizes — an inside page's running head, not a masthead."""
    if not blocks or any(len(b.lines) > 1 or b.direction is Direction.TTB for b in blocks):
        return False
    if max(b.box.y0 for b in blocks) >= min(b.box.y1 for b in blocks):
        return False
    sizes = [max(ln.box.thickness for ln in b.lines) for b in blocks if not FOLIO.search(b.text.strip())]
    return not sizes or max(sizes) < TITLE_SIZE * max(body, 1.0)


def find_masthead(page: Page, body: float) -> Page:
    """Type the masthead blocks (or a running head's), parse their fields into page.masthead."""
    blocks = masthead_blocks(page, body)
    kind = BlockType.MASTHEAD
    if is_running_head(blocks, body):
        kind = BlockType.FURNITURE
    if not blocks:
        blocks, kind = running_head(page), BlockType.FURNITURE
    if not blocks:
        return page
    title = max(blocks, key=lambda b: max(ln.box.height for ln in b.lines))
    for b in blocks:
        b.type = kind
    page.masthead = parse_fields(blocks, title)
    return page

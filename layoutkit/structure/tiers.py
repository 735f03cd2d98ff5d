"""Articles on a page set in vertical columns, found as a reader finds them, and read one by one.

On such a page (a Chinese paper of the 1930s) articles are set flush against each other in
columns read right to left, in tiers divided by long rules; an article opens at its headline
column (display type, often with a byline column in parentheses beside it), and a reader reads it
whole (headline, byline, body columns right to left) before the next one to the left, and a tier
whole before the next tier down. A learned order over blocks leaves an article for its neighbour
and comes back; here the page is cut as a reader cuts it, recursively:

- across (top to bottom): at the long rules (tiers; a block in the tier its middle stands in,
  though the detector ran a column over the rule), else at white running the whole width of what
  is being cut, or a horizontal rule in it; every such cut on a page of vertical text divides (a
  column of one article never breaks at the height its neighbours break). A part holding only
  horizontal heads heads the part under it (the head is read first, with the first article under
  it);
- down (right to left), where nothing cuts across: only where an article boundary stands: a
  vertical rule, wide white, or a headline column on the left of the gap with none on its right
  (a headline's decks and byline stay with it);
- what is left uncut is read in the order `structure.order` gave it, and in that order a
  headline column after other text opens the next article, and so does a block a rule divides
  from the one read before it (the short rules between articles, the frame of a boxed one).

A headline column is told by its characters' pitch down the column against the body's (display
type), not by the role a model trained mostly on horizontal pages gave it. Adverts are articles of
their own, and so is the masthead (read first, as `order` put it). Every length is in body sizes
(the body type's size across its line: a column's width) or body characters' pitch.

Tried and left out, on real scanned vertical pages with annotated articles: cells closed by the
page's rules (their borders are too often not found for cells to close) and gathering each
article's columns by their flow from its headline wherever the order had put them (more complete
articles, less pure ones, and the text read worse).
"""

from __future__ import annotations

from shapely import STRtree
from shapely.geometry import LineString

from ..layout.separators import rule_rows
from ..model import Article, Block, BlockType, Box, Direction, Page, Separator
from .articles import OPENERS, article_title

#: Headline-like types: a column of them opens an article.
HEADS = (*OPENERS, BlockType.SUBHEADLINE)
#: Characters standing this many times the body's apart down a column are display type, whatever
#: its role was typed ...
DISPLAY = 1.3
#: ... and a column typed a head by its role, this many.
TYPED_DISPLAY = 1.15
#: A headline column holds a few characters (two to eight, a deck a few more).
HEAD_CHARS = 12
#: A block's box may reach this many body sizes into its neighbour's white (detection margins).
EDGE = 0.25
#: White this many body sizes wide running across a part divides it without a rule ...
WHITE_ACROSS = 0.6
#: ... and running down it, between columns (whose gutters are a fraction of a body size).
WHITE_DOWN = 1.2
#: A rule divides a part when it runs this share of the part's extent along the cut ...
RULE_REACH = 0.4
#: ... and makes tiers of it, whatever stands across it, when it runs this share across it (a rule
#: under only part of it, as under one article of an L-shaped tier, does not).
TIER = 0.9


def _pitch(block: Block) -> tuple[float, float]:
    """A vertical block's characters: how many a column holds, and how far apart they stand down
    it (pixels), each the median over its columns."""
    counts, pitches = [], []
    for ln in block.lines:
        n = sum(1 for ch in ln.text if not ch.isspace())
        if n:
            counts.append(n)
            pitches.append(ln.box.height / n)
    if not counts:
        return 0.0, 0.0
    counts.sort()
    pitches.sort()
    return counts[len(counts) // 2], pitches[len(pitches) // 2]


def body_pitch(blocks: list[Block], body: float) -> float:
    """How far apart the body type's characters stand down a column: the unit display type is
    measured in (the body's size across a column is its width, which a detector's margin swells)."""
    pitches = sorted(p for b in blocks if b.type is BlockType.BODY and b.direction is Direction.TTB
                     for p in [_pitch(b)[1]] if p > 0)
    return pitches[len(pitches) // 2] if pitches else body


def is_head(block: Block, unit: float) -> bool:
    """A headline column: on a vertical page, a few characters of display type, their pitch down
    the column `DISPLAY` body characters' (`unit`) or more (a role model trained on horizontal
    pages takes a column of slightly larger body type for a head; the pitch tells); a horizontal
    line over the columns, by its type."""
    if not block.type.is_text or block.type is BlockType.ADVERT:
        return False
    if block.direction is not Direction.TTB:
        return block.type in HEADS
    chars, pitch = _pitch(block)
    if not chars or chars > HEAD_CHARS:
        return False
    return pitch >= DISPLAY * unit or (block.type in HEADS and pitch >= TYPED_DISPLAY * unit)


def _horizontal_head(block: Block) -> bool:
    return block.direction is not Direction.TTB and block.type.is_text and block.type in HEADS


class _Cutter:
    def __init__(self, blocks: list[Block], rules: list[tuple[str, Box]], body: float) -> None:
        self.blocks = blocks
        self.boxes = [b.box for b in blocks]
        self.rules = rules
        #: Horizontal rules found in pieces (worn, broken by a picture) as whole rows.
        self.rows = rule_rows([Separator("", r.polygon(), o) for o, r in rules], body)
        self.body = body
        unit = body_pitch(blocks, body)
        self.head = [is_head(b, unit) for b in blocks]
        #: Horizontal heads put over the part under them: read before it, whatever the order said.
        self.heading: set[int] = set()

    def leaves(self, ids: list[int]) -> list[list[int]]:
        """The parts left uncut, in reading order."""
        if len(ids) < 2:
            return [ids] if ids else []
        rows = self._tiers(ids)
        if len(rows) < 2:
            rows = self._parts(ids, across=True)
        if len(rows) > 1:
            out: list[list[int]] = []
            heads: list[int] = []
            for k, part in enumerate(rows):
                if k < len(rows) - 1 and all(_horizontal_head(self.blocks[i]) for i in part):
                    heads += part
                    continue
                got = self.leaves(part)
                if heads and got:
                    got[0] = heads + got[0]
                    self.heading.update(heads)
                    heads = []
                out += got
            return out + ([heads] if heads else [])
        columns = self._parts(ids, across=False)
        if len(columns) > 1:
            return [leaf for part in columns for leaf in self.leaves(part)]
        return [ids]

    def _tiers(self, ids: list[int]) -> list[list[int]]:
        """The blocks in tiers, top to bottom, at the long rules (those running TIER of the way
        across them): each block in the tier its middle stands in. A column found running over a
        tier's rule (two columns joined by the detector) does not hold the tiers together."""
        region = Box.enclosing([self.boxes[i] for i in ids])
        cuts = sorted(r.cy for r in self.rows
                      if min(r.x1, region.x1) - max(r.x0, region.x0) >= TIER * region.width
                      and region.y0 + self.body < r.cy < region.y1 - self.body)
        tiers: list[list[int]] = [[] for _ in range(len(cuts) + 1)]
        for i in ids:
            tiers[sum(1 for c in cuts if c < self.boxes[i].cy)].append(i)
        return [t for t in tiers if t]

    def _parts(self, ids: list[int], across: bool) -> list[list[int]]:
        """The blocks in runs separated by white along one axis (across: top to bottom; else right
        to left), joined again where the white between two runs is not a cut."""
        e = EDGE * self.body
        if across:
            span = {i: (self.boxes[i].y0 + e, self.boxes[i].y1 - e) for i in ids}
            key = sorted(ids, key=lambda i: span[i][0])
        else:  # right to left: a run's "start" is its right edge
            span = {i: (-self.boxes[i].x1 + e, -self.boxes[i].x0 - e) for i in ids}
            key = sorted(ids, key=lambda i: span[i][0])
        runs: list[list[int]] = []
        end = 0.0
        for i in key:
            lo, hi = span[i]
            if runs and lo < end:
                runs[-1].append(i)
                end = max(end, hi)
            else:
                runs.append([i])
                end = hi
        if len(runs) < 2:
            return runs
        region = Box.enclosing([self.boxes[i] for i in ids])
        parts = [runs[0]]
        for run in runs[1:]:
            if self._divides(parts[-1], run, region, across):
                parts.append(run)
            else:
                parts[-1] = parts[-1] + run
        return parts

    def _divides(self, before: list[int], after: list[int], region: Box, across: bool) -> bool:
        a = Box.enclosing([self.boxes[i] for i in before])
        b = Box.enclosing([self.boxes[i] for i in after])
        if across:
            lo, hi, reach = a.y1, b.y0, region.width
        else:
            lo, hi, reach = b.x1, a.x0, region.height
        white = hi - lo
        slack = EDGE * self.body
        for orientation, r in self.rules:
            if orientation != ("horizontal" if across else "vertical"):
                continue
            mid = r.cy if across else r.cx
            along = (min(r.x1, region.x1) - max(r.x0, region.x0)) if across else (
                min(r.y1, region.y1) - max(r.y0, region.y0))
            if lo - slack <= mid <= hi + slack and along >= RULE_REACH * reach:
                return True
        if across:
            return white >= WHITE_ACROSS * self.body
        if white >= WHITE_DOWN * self.body:
            return True
        # A headline column at the left of the gap, none at its right: the next article opens.
        reach_in = 1.5 * self.body
        left = [i for i in after if self.boxes[i].x1 >= b.x1 - reach_in]
        right = [i for i in before if self.boxes[i].x0 <= a.x0 + reach_in]
        return any(self.head[i] for i in left) and not any(self.head[i] for i in right)


def _ruled_off(a: Block, b: Block, walls: STRtree | None) -> bool:
    """A rule crosses the way from one block's middle to the other's: they are not one article's."""
    if walls is None:
        return False
    way = LineString([(a.box.cx, a.box.cy), (b.box.cx, b.box.cy)])
    return len(walls.query(way, predicate="intersects")) > 0


def read_articles(page: Page, body: float) -> Page:
    """Cut a vertical page into articles, put its blocks in their order (masthead first, as
    `order` placed it; each article's blocks together) and record the articles."""
    body = max(body, 1.0)
    ordered = page.ordered_blocks()
    rank = {b.id: k for k, b in enumerate(ordered)}
    masthead = [b for b in ordered if b.type is BlockType.MASTHEAD]
    rest = [b for b in ordered if b.type is not BlockType.MASTHEAD]
    rules = [(s.orientation, s.box) for s in page.separators]
    cutter = _Cutter(rest, rules, body)
    leaves = cutter.leaves(list(range(len(rest))))
    articles: list[Article] = [Article("masthead", [b.id for b in masthead], "masthead")] if masthead else []
    adverts: list[Article] = []
    sequence: list[Block] = list(masthead)
    walls = STRtree([LineString(s.course()) for s in page.separators]) if page.separators else None
    for leaf in leaves:
        current: Article | None = None
        after_head = False  # the block before was a head: a head after it is its deck, not a new article
        previous: Block | None = None
        for i in sorted(leaf, key=lambda i: (i not in cutter.heading, rank[rest[i].id])):
            b = rest[i]
            sequence.append(b)
            if b.type is BlockType.ADVERT:
                adverts.append(Article(f"ad{len(adverts) + 1}", [b.id], "advert"))
                b.article_id = adverts[-1].id
                continue
            head = cutter.head[i]
            if (current is None or (head and not after_head)
                    or (previous is not None and _ruled_off(previous, b, walls))):
                current = Article(f"art{len(articles) + 1}", [], article_title(b) if head else None)
                articles.append(current)
            elif head and current.title is None:
                current.title = article_title(b)
            current.block_ids.append(b.id)
            b.article_id = current.id
            previous, after_head = b, head
    for k, b in enumerate(sequence):
        b.order = k
    page.blocks = sequence
    page.articles = articles + adverts
    return page

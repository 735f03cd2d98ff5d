"""Articles on a page of vertical columns (structure.tiers) on synthetic blocks: no image, no model."""

from __future__ import annotations

from layoutkit.model import Block, BlockType, Box, Direction, Page, Separator, Source, String, TextLine
from layoutkit.structure.tiers import is_head, read_articles

H = 20.0  # the body type's size: a body column's width, and a character's height down it
WIDTH = 2000.0


def column(x1: float, top: float, chars: int, size: float = H, text: str = "文") -> TextLine:
    """A vertical line of `chars` characters of type `size`, its right edge at x1."""
    box = Box(x1 - size, top, x1, top + chars * size)
    return TextLine(box.polygon(), Direction.TTB, [String(text * chars, box, 0.9)])


def block(bid: str, kind: BlockType, lines: list[TextLine]) -> Block:
    return Block(bid, kind, Box.enclosing([ln.box for ln in lines]).polygon(), lines, direction=Direction.TTB)


def article(name: str, x1: float, top: float = 100.0, body_columns: int = 3, byline: bool = False) -> list[Block]:
    """Headline column of display type (five characters twice the body's size) at the right, an
    optional byline column, then body columns of 20 characters to the left, gutters of 0.3 sizes."""
    out = [block(f"{name}-head", BlockType.HEADLINE, [column(x1, top, 5, 2 * H)])]
    x = x1 - 2 * H - 0.3 * H
    if byline:
        out.append(block(f"{name}-by", BlockType.BYLINE, [column(x, top, 6, text="（")]))
        x -= 1.3 * H
    for k in range(body_columns):
        out.append(block(f"{name}-c{k}", BlockType.BODY, [column(x, top, 20)]))
        x -= 1.3 * H
    return out


def page_of(blocks: list[Block], order: list[str], rules: list[Box] = ()) -> Page:
    """A page whose blocks come in `order` (ids), as the learned order might have put them."""
    by_id = {b.id: b for b in blocks}
    for k, bid in enumerate(order):
        by_id[bid].order = k
    seps = [Separator(f"sep{k}", r.polygon(), "horizontal" if r.width > r.height else "vertical")
            for k, r in enumerate(rules)]
    return Page(int(WIDTH), 1500, Source("p.png", ""), blocks=[by_id[i] for i in order], separators=seps)


def articles_in_order(page: Page) -> list[list[str]]:
    """The page's blocks in reading order, grouped by article as they come."""
    runs: list[list[str]] = []
    last = None
    for b in page.ordered_blocks():
        if b.article_id != last:
            runs.append([])
            last = b.article_id
        runs[-1].append(b.id)
    return runs


def interleaved(*articles: list[Block]) -> list[str]:
    """An order that leaves each article for its neighbour and comes back: the k-th block of
    every article, then the (k+1)-th of every article."""
    longest = max(len(a) for a in articles)
    return [a[k].id for k in range(longest) for a in articles if k < len(a)]


def test_a_tier_of_three_articles_is_read_article_by_article():
    a, b, c = article("a", 1900), article("b", 1750, byline=True), article("c", 1550)
    page = read_articles(page_of(a + b + c, interleaved(a, b, c)), H)
    assert articles_in_order(page) == [[x.id for x in a], [x.id for x in b], [x.id for x in c]]
    assert [art.title for art in page.articles] == ["文文文文文"] * 3
    # Each article opens at its headline, the byline follows it, the body columns right to left.
    assert articles_in_order(page)[1][:3] == ["b-head", "b-by", "b-c0"]


def test_a_horizontal_head_heads_the_articles_it_spans():
    a, b = article("a", 1900, top=200), article("b", 1750, top=200)
    head_box = Box(1500, 100, 1900, 100 + 2 * H)  # one horizontal line over both, read first
    head = Block("head", BlockType.HEADLINE, head_box.polygon(),
                 [TextLine(head_box.polygon(), Direction.RTL, [String("標題標題", head_box, 0.9)])],
                 direction=Direction.RTL)
    elsewhere = article("z", 1300, top=100)  # a third article beside, under no head
    page = read_articles(page_of([head, *a, *b, *elsewhere], [*interleaved(a, b, elsewhere), "head"]), H)
    runs = articles_in_order(page)
    assert runs[0] == ["head"] + [x.id for x in a]
    assert runs[1:] == [[x.id for x in b], [x.id for x in elsewhere]]


def test_tiers_are_read_one_after_the_other_and_a_rule_divides_articles_without_heads():
    # Two tiers under a long rule; in the lower one, two runs of body columns with no headline,
    # a short vertical rule between them.
    upper = article("u", 1900, top=100, body_columns=6)
    lower = [block(f"l{k}", BlockType.BODY, [column(1900 - k * 1.3 * H, 600, 20)]) for k in range(6)]
    tier_rule = Box(1000, 560, 1900, 562)
    short_rule = Box(1900 - 3 * 1.3 * H + 1, 600, 1900 - 3 * 1.3 * H + 3, 1000)
    order = interleaved(upper, lower)
    page = read_articles(page_of(upper + lower, order, [tier_rule, short_rule]), H)
    runs = articles_in_order(page)
    assert runs == [[x.id for x in upper], ["l0", "l1", "l2"], ["l3", "l4", "l5"]]


def test_display_type_makes_a_head_not_the_role_it_was_typed():
    body_typed_head = block("x", BlockType.HEADLINE, [column(500, 0, 11, 1.1 * H)])
    display_typed_body = block("y", BlockType.BODY, [column(500, 0, 4, 1.8 * H)])
    long_column = block("z", BlockType.SUBHEADLINE, [column(500, 0, 20, 1.5 * H)])
    assert not is_head(body_typed_head, H)
    assert is_head(display_typed_body, H)
    assert not is_head(long_column, H)  # twenty characters are a column of text, not a headline


def test_a_long_rule_makes_tiers_though_a_column_runs_over_it():
    """A column the detector ran over the tier's rule (the upper tier's last column joined to the
    lower's first) leaves no white across the page; the rule still divides the tiers, and each
    block stands in the tier of its middle."""
    upper = article("u", 1900, top=100, body_columns=5)
    lower = article("l", 1900, top=540, body_columns=5)
    over = block("over", BlockType.BODY, [column(1700, 300, 20)])  # 300..700, over the rule at 520
    rule = Box(1000, 519, 1900, 521)
    page = read_articles(page_of([*upper, over, *lower], interleaved([*upper, over], lower), [rule]), H)
    order = [b.id for b in page.ordered_blocks()]
    assert order.index("over") < order.index("l-head")
    assert set(order[: len(upper) + 1]) == {b.id for b in upper} | {"over"}

"""Reading order over blocks and a first grouping into articles.

Order is XY-cut over the blocks themselves (rules and photos are part of the cut), then every
caption and credit is moved to follow its photo, and vertical blocks are read right to left.
"""

from __future__ import annotations

from statistics import median

from ..layout.xycut import column_gap, row_gap, xy_cut
from ..model import Article, Block, BlockType, Direction, Page

ARTICLE_START = (BlockType.KICKER, BlockType.HEADLINE)


def order_blocks(page: Page, body: float) -> Page:
    blocks = page.blocks
    if not blocks:
        return page
    boxes = [b.box for b in blocks]
    rules = [s.box for s in page.separators if s.orientation == "horizontal"]
    rtl = [b.direction is Direction.TTB for b in blocks] + [False] * len(rules)
    leaves = xy_cut(boxes + rules, min_gap_x=column_gap(body), min_gap_y=row_gap(body), rtl=rtl)
    sequence = [blocks[i] for leaf in leaves for i in leaf if i < len(blocks)]
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
    for i, b in enumerate(ordered):
        b.order = i
    page.blocks = ordered
    page.articles = group_articles(ordered)
    return page


def group_articles(ordered: list[Block]) -> list[Article]:
    """Each headline (or kicker) opens an article that runs until the next one opens."""
    articles: list[Article] = []
    for b in ordered:
        opens = b.type in ARTICLE_START and not (
            articles and articles[-1].block_ids and _is_heading_run(ordered, articles[-1], b))
        if opens or not articles:
            articles.append(Article(f"art{len(articles) + 1}", [], b.text.replace("\n", "") or None
                                    if b.type in ARTICLE_START else None))
        articles[-1].block_ids.append(b.id)
        b.article_id = articles[-1].id
    return articles


def _is_heading_run(ordered: list[Block], article: Article, b: Block) -> bool:
    """A second headline straight after the first (a two-deck headline) stays in the same article."""
    last = next(x for x in ordered if x.id == article.block_ids[-1])
    return last.type in ARTICLE_START


def median_body(page: Page) -> float:
    sizes = [ln.box.height for b in page.blocks if b.type is BlockType.BODY for ln in b.lines]
    return float(median(sizes)) if sizes else 0.0

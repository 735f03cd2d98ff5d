"""Articles, and paragraphs continued from one column into the next.

An article opens at a kicker or headline (a run of them, deck after deck, opens one article) and
takes every block after it in reading order until the next opens; the masthead is an article of
its own, and so is each advert. A body block that fills its column to the foot, followed at the
head of the next column by a block whose first line is not indented, is one paragraph set in two
places: the first points to the second (ALTO IDNEXT), and text output joins them.
"""

from __future__ import annotations

import itertools

from ..model import Article, Block, BlockType, Page
from ..ocr.strings import join_lines

OPENERS = (BlockType.KICKER, BlockType.HEADLINE)


def article_title(block: Block) -> str:
    """A headline set on two lines is one title: "Neue Brücke über die Thur beschlossen"."""
    return join_lines([ln.text for ln in block.lines])


def group_articles(page: Page) -> Page:
    articles: list[Article] = []
    adverts: list[Article] = []
    previous: Block | None = None
    for b in page.ordered_blocks():
        if b.type is BlockType.MASTHEAD:
            if not articles or articles[-1].id != "masthead":
                articles.insert(0, Article("masthead", [], "masthead"))
            articles[0].block_ids.append(b.id)
            b.article_id = "masthead"
            continue
        if b.type is BlockType.ADVERT:
            # An advert is a unit of its own; the story around it goes on after it.
            adverts.append(Article(f"ad{len(adverts) + 1}", [b.id], "advert"))
            b.article_id = adverts[-1].id
            continue
        opens = b.type in OPENERS and not (previous is not None and previous.type in OPENERS)
        if opens or not articles or articles[-1].id == "masthead":
            title = article_title(b) if b.type in OPENERS else None
            articles.append(Article(f"art{len(articles) + 1}", [], title))
        elif b.type is BlockType.HEADLINE and previous is not None and previous.type is BlockType.KICKER:
            articles[-1].title = article_title(b)
        articles[-1].block_ids.append(b.id)
        b.article_id = articles[-1].id
        previous = b
    page.articles = articles + adverts
    return page


def link_continuations(page: Page, body: float) -> Page:
    ordered = page.ordered_blocks()
    for a, b in itertools.pairwise(ordered):
        if a.article_id != b.article_id or not a.lines or not b.lines or a.direction.value == "ttb":
            continue
        # A word broken at the foot of a block goes on in the next one, whatever that was typed.
        if a.type.is_text and b.type.is_text and a.lines[-1].strings and a.lines[-1].strings[-1].hyphenated:
            a.next_block = b.id
            continue
        if a.type is not BlockType.BODY or b.type is not BlockType.BODY:
            continue
        next_column = b.box.x0 >= a.box.x1 - body and b.box.y0 < a.box.y1 - body
        last, first = a.lines[-1].box, b.lines[0].box
        a_runs_full = last.x1 >= a.box.x1 - 1.5 * body
        b_not_indented = first.x0 <= b.box.x0 + 0.8 * body
        if next_column and a_runs_full and b_not_indented:
            a.next_block = b.id
    return page

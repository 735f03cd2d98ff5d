"""The 晶報 article segmentation measure (benchmarks/ecpo.py) on a tiny synthetic fold: two annotated
articles, predicted pages cut from the fold at an offset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.ecpo import read_regions, segmentation_scores
from layoutkit.export.alto import to_alto
from layoutkit.io.readers import read_layout
from layoutkit.model import Block, BlockType, Box, Direction, Page, Source, String, TextLine


def annotation(kind: str, points: list[tuple[float, float]], at: tuple[float, float]) -> dict:
    pts = " ".join(f"{x},{y}" for x, y in points)
    svg = f'<g transform="matrix(1 0 0 1 {at[0]} {at[1]})"><polygon points="{pts} "/></g>'
    return {"type": "Annotation", "body": [{"type": "CategoryLabel", "value": {"name": kind}}],
            "target": [{"type": "SpecificResource", "selector": {"type": "SvgSelector", "value": svg}}]}


@pytest.fixture
def regions(tmp_path: Path):
    # Two articles side by side in the fold's right half (x 1000..1400), each 200 wide; the
    # polygons are drawn about their centre and placed by the matrix, as ECPO's are.
    square = [(-100, -200), (100, -200), (100, 200), (-100, 200)]
    items = [annotation("article", square, (1300, 300)), annotation("article", square, (1100, 300)),
             annotation("advertisement", square, (1100, 800))]
    path = tmp_path / "fold.layout.json"
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    return read_regions(path)


def column(x: float, text: str) -> TextLine:
    """A vertical line of `text` at page x (the page is cut from the fold at x 1000)."""
    box = Box(x, 120, x + 20, 480)
    return TextLine(box.polygon(), Direction.TTB, [String(text, box, 0.9)])


def page(groups: list[list[TextLine]], articles: list[str | None]) -> Page:
    p = Page(400, 1000, Source("p.png", "", crop=Box(1000, 0, 1400, 1000), cut_from="fold.jpg"))
    for k, (lines, art) in enumerate(zip(groups, articles, strict=True)):
        p.blocks.append(Block(f"b{k}", BlockType.BODY, Box.enclosing([ln.box for ln in lines]).polygon(),
                              lines, article_id=art, order=k))
    return p


def test_articles_found_whole_score_one(regions):
    right = [column(x, "甲乙丙丁") for x in (360, 330, 300, 230)]
    left = [column(x, "戊己庚") for x in (160, 130, 30)]
    s = segmentation_scores([page([right, left], ["a1", "a2"])], regions)
    assert s == {"article_completeness": 1.0, "article_purity": 1.0, "articles_complete_90": 1.0,
                 "articles_pure_90": 1.0}


def test_a_column_read_into_the_neighbour_costs_both_measures(regions):
    # The right article's last column (4 of its 16 characters) put into the left one's article.
    right = [column(x, "甲乙丙丁") for x in (360, 330, 300)]
    left = [column(230, "甲乙丙丁")] + [column(x, "戊己庚") for x in (160, 130, 30)]
    s = segmentation_scores([page([right, left], ["a1", "a2"])], regions)
    # Completeness: right 12/16, left 9/9 -> median 0.875; purity: a1 12/12, a2 9/13 -> 0.846.
    assert s["article_completeness"] == pytest.approx((12 / 16 + 1) / 2)
    assert s["article_purity"] == pytest.approx((1 + 9 / 13) / 2)
    assert s["articles_complete_90"] == 0.5
    assert s["articles_pure_90"] == 0.5


def test_offsets_come_back_from_alto(regions, tmp_path: Path):
    """A page cut from a spread: its ALTO names where, and read back the lines land in the fold."""
    right = [column(x, "甲乙丙丁") for x in (360, 330, 300, 230)]
    left = [column(x, "戊己庚") for x in (160, 130, 30)]
    p = page([right, left], ["a1", "a2"])
    path = tmp_path / "p.alto.xml"
    path.write_bytes(to_alto(p))
    back = read_layout(path)
    assert back.source.crop == Box(1000, 0, 1400, 1000)
    s = segmentation_scores([back], regions)
    assert s["article_completeness"] == 1.0 and s["article_purity"] == 1.0
    moved = segmentation_scores([page([right + left], [None])], regions)  # one block over both
    assert moved["article_purity"] < 1.0


def test_ground_truth_articles_of_a_page_as_regions():
    """A generated page's ground truth (PAGE/ALTO with articles): each article the union of its
    blocks; the prediction that merges two articles loses purity, not completeness."""
    from benchmarks.ecpo import page_segmentation
    from layoutkit.model import Article

    def two_articles(merged: bool) -> Page:
        p = page([[column(x, "甲乙丙丁") for x in (360, 330)], [column(x, "戊己庚") for x in (160, 130)]],
                 ["a1", "a1" if merged else "a2"])
        p.source = Source("p.png", "")
        p.articles = [Article("a1", ["b0", "b1"] if merged else ["b0"])] + ([] if merged else [Article("a2", ["b1"])])
        return p

    truth = two_articles(merged=False)
    assert page_segmentation(two_articles(merged=False), truth)["article_purity"] == 1.0
    merged = page_segmentation(two_articles(merged=True), truth)
    assert merged["article_completeness"] == 1.0
    assert merged["article_purity"] == pytest.approx(8 / 14)
    assert page_segmentation(truth, Page(400, 1000, Source("q.png", ""))) == {}

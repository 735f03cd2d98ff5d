"""Text a reader sees, on the worn German sample scan: titles and the spaces between words."""

from __future__ import annotations

import itertools
import json

import pytest

from layoutkit.export.jsonout import structure
from layoutkit.io.images import load_pages
from layoutkit.io.readers import read_layout
from layoutkit.model import Article, Block, BlockType, Box, Page, Source, String, TextLine
from layoutkit.structure.articles import group_articles
from tests.conftest import ROOT

SCAN = "talbote-2025-11-26-scan"


@pytest.fixture(scope="module")
def scan_page(pipeline) -> Page:
    (image,) = load_pages(ROOT / "samples" / f"{SCAN}.jpg")
    return pipeline.process_image(image)


@pytest.fixture(scope="module")
def truth_words() -> list[list[str]]:
    return [ln.text.split() for ln in read_layout(ROOT / "samples" / f"{SCAN}.gt.xml").text_lines]


def test_title_set_on_two_lines_keeps_its_word_space(scan_page):
    """The lead's headline runs over two lines ("Neue Brücke über die Thur" / "beschlossen")."""
    truth = json.loads((ROOT / "samples" / f"{SCAN}.gt.json").read_text("utf-8"))
    titles = {a["title"] for a in truth["articles"] if a["title"]}
    assert "Neue Brücke über die Thur beschlossen" in titles
    found = {a["title"] for a in structure(scan_page)["articles"]}
    assert titles <= found


def test_cjk_title_on_two_lines_joined_without_space():
    lines = []
    for i, text in enumerate(("新区算力", "引擎启动")):
        box = Box(0, i * 50, 200, i * 50 + 48)
        lines.append(TextLine(box.polygon(), strings=[String(text, box, 0.99)]))
    headline = Block("b1", BlockType.HEADLINE, Box(0, 0, 200, 98).polygon(), lines, order=0)
    page = group_articles(Page(200, 100, Source("x.png", ""), blocks=[headline]))
    assert page.articles == [Article("art1", ["b1"], "新区算力引擎启动")]


def test_no_word_joined_to_its_neighbour_or_cut_in_two(scan_page, truth_words):
    """A narrow space on a worn line was read as none ("imWasser"); the line's ink shows the gap.
    Nor may a gap inside a word be taken for a space."""
    words = {w for line in truth_words for w in line}
    joined = {a + b for line in truth_words for a, b in itertools.pairwise(line)} - words
    read = [ln.text.split() for ln in scan_page.text_lines]
    assert not [w for line in read for w in line if w in joined]
    assert not [(a, b) for line in read for a, b in itertools.pairwise(line)
                if a + b in words and not (a in words and b in words)]

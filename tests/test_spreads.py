"""Two facing pages in one image: found, split, written as two pages in the paper's order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from lxml import etree

from layoutkit.io.images import load_page
from layoutkit.layout.spread import find_fold, page_order
from layoutkit.model import Block, BlockType, Box, Direction, MastheadField, Page, Source, String, TextLine
from layoutkit.preprocess import prepare
from layoutkit.view.sources import ScanFinder
from samples.pagegen import compose
from tests.conftest import EVAL, need_shared
from tests.pages import spread, vertical_page

ALTO = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}


def _fold(image: np.ndarray) -> int | None:
    work = prepare(image)
    return find_fold(work.binary, work.text_height)


@pytest.fixture(scope="module")
def pages(chinese_paragraphs) -> tuple[np.ndarray, np.ndarray]:
    text = "".join(chinese_paragraphs)
    head = "中华民国二十八年四月廿一日　晶报　星期五　第{}版"
    right, _ = vertical_page(text[:420], width=760, height=1000, font_px=26, head=head.format("二"))
    left, _ = vertical_page(text[420:840], width=760, height=1000, font_px=26, head=head.format("三"))
    return left, right


def test_fold_between_two_pages_is_found_even_leaning(pages):
    left, right = pages
    image = spread(left, right, gutter=40)
    fold = _fold(image)
    assert fold is not None and abs(fold - (left.shape[1] + 20)) <= 25
    # The two halves of a fold seldom lie at one angle: the right page a little turned.
    m = cv2.getRotationMatrix2D((right.shape[1] / 2, right.shape[0] / 2), 0.6, 1.0)
    leaning = cv2.warpAffine(right, m, right.shape[1::-1], borderValue=(255, 255, 255))
    fold = _fold(spread(left, leaning, gutter=40))
    assert fold is not None and abs(fold - (left.shape[1] + 20)) <= 25


def test_single_pages_are_not_split(chinese_paragraphs):
    """Two columns with a white gutter down the whole page are no spread: each half is a column;
    nor are a few lines across a wide page, each half a strip."""
    two_columns, _ = compose.text_columns_page(chinese_paragraphs[:8], width=1800, height=2400, columns=2,
                                               font_px=34, margin=100, gutter=90)
    assert _fold(two_columns) is None
    square, _ = compose.text_columns_page(chinese_paragraphs * 2, width=1600, height=1500, columns=2, font_px=30,
                                          margin=90, gutter=70)
    assert _fold(square) is None
    # A few lines across a wide page: the gaps between characters set in a grid line up.
    wide, _ = compose.text_columns_page(chinese_paragraphs[:1], width=900, height=420, font_px=30, margin=40)
    assert _fold(wide) is None
    changji = cv2.imread(str(Path(__file__).resolve().parents[1] / "samples" / "changji-2025-11-26.png"))
    assert _fold(changji) is None


def test_real_folds_are_found():
    """Every 晶報 scan is a fold of two pages, with ads set in the fold between their frames."""
    folder = need_shared(EVAL / "jingbao-scans")
    for scan in sorted(folder.glob("*.jpg")):
        image = load_page(scan)
        fold = _fold(image)
        assert fold is not None and abs(fold - image.shape[1] / 2) < 0.05 * image.shape[1], scan.name


def _page(name: str, direction: Direction, folio: str | None = None) -> Page:
    line = TextLine(Box(0, 0, 30, 600).polygon(), direction, [String("在天山北麓的昌吉州", Box(0, 0, 30, 600), 1.0)])
    page = Page(1000, 800, Source(name, ""), blocks=[Block("b", BlockType.BODY, line.polygon, [line])])
    page.masthead = [MastheadField("page", folio, f"第{folio}版")] if folio else []
    return page


def test_pages_of_a_spread_in_the_papers_order():
    """The folios printed decide; without them, right first when the body is set in columns."""
    left, right = _page("left", Direction.TTB, "1"), _page("right", Direction.TTB, "4")
    assert [p.source.path for p in page_order(left, right)] == ["left", "right"]
    left, right = _page("left", Direction.TTB), _page("right", Direction.TTB)
    assert [p.source.path for p in page_order(left, right)] == ["right", "left"]
    left, right = _page("left", Direction.LTR), _page("right", Direction.LTR)
    assert [p.source.path for p in page_order(left, right)] == ["left", "right"]


def test_spread_is_written_as_two_pages_right_page_first(tmp_path, pages, schema, assert_valid_alto):
    left, right = pages
    scan = tmp_path / "fold.png"
    cv2.imwrite(str(scan), spread(left, right))
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "layoutkit", "run", str(scan), "-o", str(out), "-q",
                          "--mets", str(out / "issue.mets.xml")], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in out.glob("fold*"))
    assert names == ["fold_p0001.alto.xml", "fold_p0001.masthead.json", "fold_p0001.png", "fold_p0001.structure.json",
                     "fold_p0001.txt", "fold_p0002.alto.xml", "fold_p0002.masthead.json", "fold_p0002.png",
                     "fold_p0002.structure.json", "fold_p0002.txt"]
    first = json.loads((out / "fold_p0001.masthead.json").read_text("utf-8"))
    assert first["page"]["value"] == "2"  # the right-hand page, 第二版, comes first
    for n, page in ((1, right), (2, left)):
        crop = cv2.imread(str(out / f"fold_p000{n}.png"), cv2.IMREAD_UNCHANGED)
        assert crop.ndim == 2 and crop.shape[0] == page.shape[0] and abs(crop.shape[1] - page.shape[1]) <= 60
        alto = assert_valid_alto(out / f"fold_p000{n}.alto.xml")
        assert alto.findtext(".//a:fileName", namespaces=ALTO) == f"fold_p000{n}.png"
        cut = alto.findtext(".//a:documentIdentifier[@documentIdentifierLocation='cut-from']", namespaces=ALTO)
        x = int(cut.split("#xywh=")[1].split(",")[0])
        assert cut.startswith("fold.png#xywh=") and (x == 0) == (n == 2)
        page_el = alto.find(".//a:Page", ALTO)
        assert (int(page_el.get("WIDTH")), int(page_el.get("HEIGHT"))) == (crop.shape[1], crop.shape[0])
        for s in alto.iterfind(".//a:String", ALTO):
            assert int(s.get("HPOS")) >= 0 and int(s.get("HPOS")) + int(s.get("WIDTH")) <= crop.shape[1] + 1
        assert page_el.get("PHYSICAL_IMG_NR") == str(n)
    mets = etree.parse(str(out / "issue.mets.xml"))
    assert schema("mets.xsd").validate(mets), schema("mets.xsd").error_log
    hrefs = mets.xpath("//m:fileGrp[@USE='IMAGE']/m:file/m:FLocat/@xlink:href",
                       namespaces={"m": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"})
    assert hrefs == ["fold_p0001.png", "fold_p0002.png"]
    # The viewer and the overlay find each page's own image.
    finder = ScanFinder(out)
    found = finder.find(out / "fold_p0002.alto.xml", "")
    assert found.scan == (out / "fold_p0002.png", 0) and finder.changed(found) is None
    assert load_page(*found.scan).shape[:2] == cv2.imread(str(out / "fold_p0002.png")).shape[:2]
    res = subprocess.run([sys.executable, "-m", "layoutkit", "run", str(scan), "-o", str(out), "-q", "--resume",
                          "--mets", str(out / "issue.mets.xml")], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0 and json.loads(next((out / ".layoutkit").glob("*.json")).read_text())["pages"]

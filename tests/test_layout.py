"""Layout on real and rendered pages: columns respected, vertical text, photos as illustrations."""

from __future__ import annotations

import itertools
import re

import cv2
import numpy as np
import pytest
from lxml import etree

from layoutkit.eval.metrics import evaluate
from layoutkit.export.alto import to_alto
from layoutkit.export.page import to_page_xml
from layoutkit.io.images import load_pages
from layoutkit.io.readers import read_layout
from layoutkit.layout.separators import find_separators
from layoutkit.model import BlockType, Box
from layoutkit.preprocess import binarise
from samples.pagegen.compose import Composer, columns_between, load_corpus, text_columns_page
from tests.conftest import EVAL, ROOT, need_shared

ALTO = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}


@pytest.fixture(scope="module")
def nzz_1933(pipeline):
    scan = need_shared(EVAL / "nzz" / "nzz_19330203_0_0_a1_p1_1.tif")
    (image,) = load_pages(scan)
    return pipeline.process_image(image)


@pytest.mark.slow
def test_no_block_crosses_a_gutter_on_nzz_1933(nzz_1933):
    # The column rules are printed in dashes, and the first lines of neighbouring columns are
    # detected as one line across them: only the dashed rule divides them.
    page = nzz_1933
    truth = read_layout(EVAL / "nzz" / "gt" / "nzz_19330203_0_0_a1_p1_1.xml")
    regions = [b.box for b in truth.blocks if b.lines]
    crossing = []
    for block in page.blocks:
        # The title's detected box reaches over the date line above it; it heads the columns
        # and crosses no gutter.
        if not block.type.is_text or block.type is BlockType.MASTHEAD:
            continue
        box = block.box
        touched = [r for r in regions if r.intersection_area(box) >= 0.3 * min(r.area, box.area)]
        side_by_side = [(a, b) for a in touched for b in touched if a.x1 < b.x0]
        if side_by_side:
            crossing.append((block.id, block.text[:40]))
    assert not crossing
    assert len([b for b in page.blocks if b.type is BlockType.BODY]) >= 20


def test_vertical_headline_read_top_to_bottom(sample_run):
    alto = etree.parse(str(sample_run / "changji-2025-11-26.alto.xml"))
    vertical = alto.findall(".//a:TextLine[@BASEDIRECTION='ttb']", ALTO)
    text = "".join("".join(s.get("CONTENT") for s in ln.findall("a:String", ALTO)) for ln in vertical)
    assert "锚定目标" in text and "实干担当" in text
    assert text.index("锚定目标") < text.index("实干担当")
    for ln in vertical:
        glyphs = ln.findall(".//a:Glyph", ALTO)
        tops = [float(g.get("VPOS")) for g in glyphs]
        assert tops == sorted(tops) and len(glyphs) >= 4  # each character below the one before


def test_photo_is_one_illustration_not_text(sample_run):
    truth = read_layout(ROOT / "samples" / "changji-2025-11-26.gt.xml")
    photo = next(b for b in truth.blocks if b.type is BlockType.PHOTO).box
    page = read_layout(sample_run / "changji-2025-11-26.alto.xml")
    illustrations = [b.box for b in page.blocks if not b.type.is_text]
    assert len(illustrations) == 1
    found = illustrations[0]
    iou = found.intersection_area(photo) / (found.area + photo.area - found.intersection_area(photo))
    assert iou >= 0.8
    inside = [b for b in page.blocks if b.type.is_text and photo.intersection_area(b.box) > 0.5 * b.box.area]
    assert not inside


def test_separators_found_as_graphical_elements(sample_run):
    alto = etree.parse(str(sample_run / "changji-2025-11-26.alto.xml"))
    rules = [Box(float(g.get("HPOS")), float(g.get("VPOS")), float(g.get("HPOS")) + float(g.get("WIDTH")),
                 float(g.get("VPOS")) + float(g.get("HEIGHT"))) for g in alto.findall(".//a:GraphicalElement", ALTO)]
    long_horizontal = [r for r in rules if r.width > 2000]
    assert len(long_horizontal) >= 2  # under the masthead and above the bottom story
    assert any(r.height > 2000 for r in rules)  # the column rule beside the lead story


@pytest.mark.slow
def test_leaning_rule_divides_the_columns_of_nzz_1850(pipeline):
    """The 1850 page is warped: its column rule leans 0.7 degrees against the deskewed page, so
    the two columns overlap in x and no straight gutter runs between them."""
    scan = need_shared(EVAL / "nzz" / "nzz_18501112_0_0_a1_p1_1.tif")
    truth = read_layout(EVAL / "nzz" / "gt" / "nzz_18501112_0_0_a1_p1_1.xml")
    (image,) = load_pages(scan)
    page = pipeline.process_image(image)
    rules = [s for s in page.separators if s.orientation == "vertical" and s.box.height > 1000]
    assert rules, "the column rule was not found"
    # The two columns below the masthead rule (y 545 of 2953): read one after the other, every
    # line followed by the next line of its column (the ground truth orders the masthead's ears
    # in its own way, which is not what this test is about).
    truth.blocks = [b for b in truth.blocks if b.box.y0 > 560]
    page.blocks = [b for b in page.blocks if b.box.y0 > 560]
    scores = evaluate(page, truth)
    assert scores.order_next_line is not None and scores.order_next_line >= 0.97
    assert scores.cer is not None and scores.cer <= 0.15


def _draw_rules(bgr, dashed_x: float, lean: tuple[float, float], top: int, bottom: int) -> None:
    for y in range(top, bottom, 42):  # dashes 30 px long, breaks of 12
        cv2.line(bgr, (int(dashed_x), y), (int(dashed_x), min(bottom, y + 30)), (0, 0, 0), 4)
    cv2.line(bgr, (int(lean[0]), top), (int(lean[1]), bottom), (0, 0, 0), 4)


def test_dashed_and_leaning_rules_found_and_text_strokes_not(chinese_paragraphs):
    """Three columns of rendered Chinese text: a dashed rule in one gutter and a rule leaning
    0.6 degrees in the other are found, each along its own course, and no stroke of the type is
    taken for a rule (justified CJK stacks its characters' strokes at the same x line after line)."""
    bgr, truth = text_columns_page(chinese_paragraphs * 3, columns=3, gutter=80)
    columns = sorted({(round(b.box.x0, -1), round(b.box.x1, -1)) for b in truth.blocks})
    gutters = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(columns) if b[0] > a[1] + 40]
    assert len(gutters) == 2
    top, bottom = 200, 3300
    _draw_rules(bgr, gutters[0], (gutters[1] - 17, gutters[1] + 17), top, bottom)
    binary = binarise(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    vertical = [s for s in find_separators(binary, 40.0) if s.orientation == "vertical"]
    assert len(vertical) == 2, [s.box for s in vertical]
    dashed, leaning = sorted(vertical, key=lambda s: s.box.x0)
    assert abs(dashed.box.cx - gutters[0]) <= 4 and dashed.box.height >= 0.95 * (bottom - top)
    (tx, ty), (bx, by) = leaning.course()
    assert abs(tx - (gutters[1] - 17)) <= 3 and abs(bx - (gutters[1] + 17)) <= 3
    assert ty <= top + 5 and by >= bottom - 5


@pytest.mark.parametrize("name", ["changji-2025-11-26-scan", "talbote-2025-11-26-scan"])
def test_no_line_read_from_show_through(sample_run, name):
    """The degraded samples carry print from the back of the sheet, mirrored and faint; the
    detector finds it, and every line read from it would be garbage in the middle of an article."""
    truth = read_layout(ROOT / "samples" / f"{name}.gt.xml")
    page = read_layout(sample_run / f"{name}.alto.xml")
    printed = [ln.box for b in truth.blocks for ln in b.lines]
    stray = [ln.text for b in page.blocks for ln in b.lines
             if not any(ln.box.intersection_area(t) >= 0.3 * ln.box.area for t in printed)]
    assert not stray


def test_column_grid_in_structure(sample_run):
    """The Chinese front page's lead story runs in four columns under a headline over all four,
    the commentary beside it in two; the grid is in structure.json and each block names its columns."""
    import json

    data = json.loads((sample_run / "changji-2025-11-26.structure.json").read_text("utf-8"))
    truth = read_layout(ROOT / "samples" / "changji-2025-11-26.gt.xml")
    columns = [Box(*c) for c in data["columns"]]
    lead_body = [b.box for b in truth.blocks if b.type is BlockType.BODY and b.article_id == "a2"]
    lead_columns: list[float] = []
    for x0 in sorted(b.x0 for b in lead_body):  # a one-line paragraph starts at its indent
        if not lead_columns or x0 - lead_columns[-1] > 100:
            lead_columns.append(x0)
    assert len(lead_columns) == 4
    for x0 in lead_columns:  # each of the lead story's columns is one column of the grid
        assert sum(1 for c in columns if abs(c.x0 - x0) < 30) >= 1, x0
    headline = next(b for b in data["blocks"] if b["type"] == "headline" and "焕新机" in b.get("text", ""))
    assert len(headline["columns"]) == 4
    body = [b for b in data["blocks"] if b["type"] == "body"]
    assert body and all(len(b["columns"]) == 1 for b in body)


def _frame(comp: Composer, box: Box) -> None:
    comp.rule(box.x0, box.y0, box.x1, box.y0 + 4)
    comp.rule(box.x0, box.y1 - 4, box.x1, box.y1)
    comp.rule(box.x0, box.y0, box.x0 + 4, box.y1)
    comp.rule(box.x1 - 4, box.y0, box.x1, box.y1)


def _page_with_advert_and_table() -> tuple[np.ndarray, Box, Box]:
    """An inside page: a story in three columns, under it a framed advert and a ruled table, and
    the page number at the foot."""
    corpus = load_corpus("talbote-2025-11-26.de.json")
    comp = Composer(2000, 3000)
    art = comp.article("Lokales")
    comp.text("Neue Brücke über die Thur eröffnet", "latin-serif-bold", 64, 110, 390, 1780, BlockType.HEADLINE, art)
    comp.flow([("para", p) for p in corpus["lead"]["paragraphs"]], columns_between(110, 1890, 510, 1860, 3, 44),
              "latin-serif", 34, art, "latin-serif-bold", 30, leading=1.4)
    advert = Box(110, 1940, 900, 2860)
    _frame(comp, advert)
    comp.text("Café Central", "latin-serif-bold", 90, 150, 2020, 710, BlockType.ADVERT, None, align="center")
    comp.text("Täglich frischer Kuchen und Torten", "latin-serif", 40, 150, 2200, 710, BlockType.ADVERT, None,
              align="center")
    comp.text("Marktgasse 12 · Telefon 24 17", "latin-serif", 32, 150, 2700, 710, BlockType.ADVERT, None,
              align="center")
    table = Box(1000, 1940, 1890, 2560)
    _frame(comp, table)
    rows = [("Tag", "Morgen", "Mittag", "Abend"), ("Montag", "4", "11", "7"), ("Dienstag", "3", "9", "6"),
            ("Mittwoch", "5", "12", "8"), ("Donnerstag", "2", "8", "5")]
    widths = [290, 200, 200, 200]
    for r, row in enumerate(rows):
        y = table.y0 + r * 124
        if r:
            comp.rule(table.x0, y, table.x1, y + 3)
        x = table.x0
        for c, cell in enumerate(row):
            if r == 0 and c:
                comp.rule(x, table.y0, x + 3, table.y1)
            comp.text(cell, "latin-serif", 36, x + 24, y + 40, widths[c] - 48, BlockType.TABLE, None)
            x += widths[c]
    comp.text("– 3 –", "latin-serif", 32, 900, 2920, 200, BlockType.FURNITURE, None, align="center")
    bgr, _page = comp.page("framed")
    return bgr, advert, table


@pytest.fixture(scope="module")
def framed(pipeline, tmp_path_factory):
    bgr, advert, table = _page_with_advert_and_table()
    path = tmp_path_factory.mktemp("framed") / "framed.png"
    cv2.imwrite(str(path), bgr)
    (image,) = load_pages(path)
    return pipeline.process_image(image), advert, table


def test_advert_table_and_folio_typed(framed):
    """Text of several sizes in a frame is one advert block, an article of its own; a ruled grid
    is one table block read row by row; the story's body around them stays body; the page number
    at the foot is page furniture."""
    page, advert, table = framed

    def iou(a: Box, b: Box) -> float:
        inter = a.intersection_area(b)
        return inter / (a.area + b.area - inter)

    adverts = [b for b in page.blocks if b.type is BlockType.ADVERT]
    tables = [b for b in page.blocks if b.type is BlockType.TABLE]
    assert len(adverts) == 1 and iou(adverts[0].box, advert) >= 0.9
    assert "Central" in adverts[0].text and "Kuchen" in adverts[0].text
    assert len(tables) == 1 and iou(tables[0].box, table) >= 0.9
    cells = tables[0].text.split()
    assert cells.index("Morgen") < cells.index("Montag") < cells.index("Dienstag") < cells.index("Donnerstag")
    assert cells[cells.index("Montag") + 1] == "4"  # read across the row, not down the column
    owner = next(a for a in page.articles if adverts[0].id in a.block_ids)
    assert owner.block_ids == [adverts[0].id]
    body = [b for b in page.blocks if b.type is BlockType.BODY]
    assert len(body) >= 3 and not any(b.box.intersection_area(advert) or b.box.intersection_area(table) for b in body)
    folio = [b for b in page.blocks if b.type is BlockType.FURNITURE]
    assert [b.text.strip("–- ") for b in folio] == ["3"]


def test_advert_and_table_exported(framed, schema, tmp_path):
    """ALTO types them by StructureTag; PAGE gives them an AdvertRegion and a TableRegion, each
    holding its text and read back as one block each."""
    page = framed[0]
    alto = etree.fromstring(to_alto(page))
    schema("alto-4-4.xsd").assertValid(alto)
    labels = {t.get("ID"): t.get("LABEL") for t in alto.iter("{*}StructureTag")}
    tagged = [labels.get(b.get("TAGREFS")) for b in alto.iter("{*}TextBlock")]
    assert tagged.count("advert") == 1 and tagged.count("table") == 1
    xml = to_page_xml(page)
    path = tmp_path / "framed.xml"
    path.write_bytes(xml)
    back = read_layout(path)
    assert sorted(b.type.value for b in back.blocks if b.type in (BlockType.ADVERT, BlockType.TABLE)) == [
        "advert", "table"]
    table = next(b for b in back.blocks if b.type is BlockType.TABLE)
    assert table.order is not None and "Donnerstag" in table.text


def test_advert_and_table_page_valid(page_schema, framed):
    page_schema.assertValid(etree.fromstring(to_page_xml(framed[0])))


@pytest.mark.slow
def test_pieces_of_one_printed_line_joined_on_nzz_1890(pipeline, tmp_path):
    """The announcement of the "Kleiner Lokal-Anzeiger": a letter-spaced line the detector breaks
    before its last word, and prices set flush right in bold after a run of white. Each printed
    line is one line, read in the column's order."""
    scan = need_shared(EVAL / "nzz" / "nzz_18901222_0_0_a1_p1_1.tif")
    (image,) = load_pages(scan)
    crop = tmp_path / "lokal-anzeiger.png"
    cv2.imwrite(str(crop), image.pixels[2580:3560, 60:1000])
    (part,) = load_pages(crop)
    lines = [ln.text for b in pipeline.process_image(part).ordered_blocks() if b.type.is_text for ln in b.lines]
    at = {key: next(i for i, ln in enumerate(lines) if key in ln) for key in ("enthalten", "Grundta", "Wortta")}
    assert lines[at["enthalten"]].rstrip().endswith("und")
    assert "Cts" in lines[at["Grundta"]] and lines[at["Grundta"] - 1].startswith("ange")
    assert lines[at["Wortta"] + 1].startswith("oder") and "Cts" in lines[at["Wortta"] + 1]


@pytest.fixture(scope="module")
def nzz_1890(pipeline):
    """The 1890 front page: its masthead has a strip of issue number, volume and date over the
    title, and the rates in the ears below it."""
    scan = need_shared(EVAL / "nzz" / "nzz_18901222_0_0_a1_p1_1.tif")
    (image,) = load_pages(scan)
    return pipeline.process_image(image)


@pytest.mark.slow
def test_masthead_title_is_one_line_on_nzz_1890(nzz_1890):
    """The detector returns the 1890 title as four tall overlapping pieces, and a line of the
    date strip above it is taller than twice the body: joining pieces of a height makes one
    title line, which the strip's line does not join."""
    page = nzz_1890
    tall = [ln for b in page.blocks for ln in b.lines if ln.box.height > 400]
    assert len(tall) == 1 and tall[0].box.x0 < 300 and tall[0].box.x1 > 3300
    assert any("356" in ln.text and ln.box.height < 200 for b in page.blocks for ln in b.lines)


@pytest.mark.slow
def test_title_boxed_to_its_ink_and_read_after_the_strip_above_it_on_nzz_1890(nzz_1890):
    """The detector's box round the title reaches up over the strip and down over the ears'
    first lines (its margin grows with the type). Trimmed to the title's own ink, it no longer
    holds them: the strip is read first, as printed, and the title's crop, clear of the strip's
    and the ears' letters, reads "Zürcher" (the detector's box: "Jürder")."""
    page = nzz_1890
    blocks = page.ordered_blocks()
    title = next(b for b in blocks if any(ln.box.height > 400 for ln in b.lines))
    strip = [b for b in blocks if b.type is BlockType.MASTHEAD and re.search(r"356|Jahrgang|1890", b.text)]
    assert len(strip) >= 2 and all(b.box.y1 < 300 for b in strip)
    assert all(title.box.y0 > b.box.cy for b in strip)
    assert all(blocks.index(b) < blocks.index(title) for b in strip)
    assert "Zürcher" in title.text
    # The ears' lines begin where the title's letters end (the tails of its Zs reach down beside
    # them): the detector's box ran a line height past them.
    ear = next(b for b in blocks if "nement" in b.text)
    assert title.box.y1 < ear.box.y1 and blocks.index(title) < blocks.index(ear)


@pytest.mark.slow
def test_row_whose_leader_the_detector_gave_the_price_on_nzz_1890(nzz_1890):
    """The Zürich rate: the detector put the leader's last dots into the price ("., Fr. 4. 50
    Fr. 8. 50"), so the white before it is clear; the dots at its head still lead label to
    price, and the row is one line."""
    row = next(ln for b in nzz_1890.blocks for ln in b.lines if "abgeholt" in ln.text)
    assert re.search(r"4\.\s?50", row.text) and row.box.x1 > 950


@pytest.mark.slow
def test_price_list_rows_read_as_lines_on_nzz_1933(nzz_1933):
    """The 1933 masthead's rates: labels led by dots to prices set in columns of their own. Each
    row is one line, label then prices; the lines beside the lists (the centre's address lines)
    are not drawn into them."""
    rows = [ln for b in nzz_1933.ordered_blocks() if b.type.is_text for ln in b.lines
            if 600 < ln.box.cy < 950 and ln.box.height < 100]
    # Subscription rates left (labels from x 170-210, prices to x 1210), advert rates right
    # (labels from x 2520, prices to x 3295): a row runs from its label to its last price.
    left = [ln for ln in rows if ln.box.x0 < 260 and 1150 < ln.box.x1 < 1250]
    right = [ln for ln in rows if 2480 < ln.box.x0 < 2560 and 3250 < ln.box.x1 < 3330]
    assert len(left) >= 5 and len(right) == 4
    assert all(re.search(r"\d", ln.text[-8:]) for ln in left + right)
    assert all(re.search(r"[a-zäöü]{4}", ln.text[:20]) for ln in left + right)
    # Nothing runs from an ear into the centre's address lines (x 1265-2470).
    assert not any(ln.box.x0 < 1240 < ln.box.x1 or ln.box.x0 < 2490 < ln.box.x1 for ln in rows)


@pytest.mark.slow
def test_masthead_reaches_the_rule_under_it_on_nzz_1933(nzz_1933):
    """The masthead's last line (the telephone numbers, centred over the leaning rule under the
    masthead) has a detector box that reaches over the rule's top: it is still the masthead's,
    read after the centre's address lines above it and before anything under the rule, not as
    body text after the ears."""
    blocks = nzz_1933.ordered_blocks()
    phone = next(b for b in blocks if "27.100" in b.text)
    assert phone.type is BlockType.MASTHEAD
    centre = [b for b in blocks if b.type is BlockType.MASTHEAD and b.box.x0 > 1200 and b.box.x1 < 2500]
    assert blocks.index(phone) == max(blocks.index(b) for b in centre)
    assert blocks.index(phone) < min(blocks.index(b) for b in blocks if b.type is not BlockType.MASTHEAD)

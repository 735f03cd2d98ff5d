"""hOCR and the searchable PDF (`--format hocr,pdf`): the hOCR agrees with the ALTO of the same run
element by element, and the PDF's text, as a viewer built on PDFium copies it, is the page's text
in layoutkit's reading order, CJK columns included."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import cv2
import pytest
from lxml import etree
from rapidfuzz import fuzz

from layoutkit.export.hocr import to_hocr
from layoutkit.model import Box, Direction, String
from layoutkit.xmlsafe import safe_parser
from tests.conftest import ROOT
from tests.helpers import cer, squash
from tests.pages import vertical_page

XHTML = {"h": "http://www.w3.org/1999/xhtml"}
ALTO = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
SAMPLES = ["changji-2025-11-26", "talbote-2025-11-26"]
#: A column of 27 characters, three times over: the page's columns then differ in length.
COLUMN_TEXT = "中華民國二十年春天氣晴朗人民安居樂業商業繁榮學校林立" * 3


def props(node: etree._Element) -> dict[str, list[str]]:
    """An hOCR title's properties: `bbox 1 2 3 4; x_wconf 95` -> {"bbox": [...], "x_wconf": [...]}."""
    out = {}
    for part in (node.get("title") or "").split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def pdf_text(path: Path, index: int = 0) -> str:
    """The page's text as PDFium (Chrome's viewer) gives it: what selecting all and copying yields."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[index].get_textpage().get_text_range()
    finally:
        doc.close()


def hocr_words(doc: etree._ElementTree) -> str:
    return "".join("".join(w.itertext()) for w in doc.iterfind(".//h:span[@class='ocrx_word']", XHTML))


@pytest.fixture(scope="module")
def columns(tmp_path_factory):
    """Chinese set in vertical columns read right to left under a running head set right to left,
    each of its characters a word of its own, as a recogniser may give them."""
    image, page = vertical_page(COLUMN_TEXT, head="時事新報")
    head = page.ordered_blocks()[0].lines[0]
    (whole,) = head.strings
    step = whole.box.width / len(whole.text)
    head.strings = [String(ch, Box(whole.box.x1 - (i + 1) * step, whole.box.y0, whole.box.x1 - i * step,
                                   whole.box.y1), 1.0) for i, ch in enumerate(whole.text)]
    path = tmp_path_factory.mktemp("columns") / "columns.png"
    cv2.imwrite(str(path), image)
    page.source = dataclasses.replace(page.source, path=str(path))
    return page


def test_hocr_lays_columns_down_the_page_and_heads_right_to_left(columns):
    doc = etree.ElementTree(etree.fromstring(to_hocr(columns), safe_parser()))
    pars = doc.findall(".//h:p[@class='ocr_par']", XHTML)
    assert [p.get("dir") for p in pars] == ["rtl", None]
    assert all(p.get("lang") == "zh" for p in pars)
    head, body = ([props(ln) for ln in p.iterfind("h:span[@class='ocr_line']", XHTML)] for p in pars)
    assert all("textangle" not in ln for ln in head)
    assert len(body) > 1 and all(ln["textangle"] == ["270"] for ln in body)
    # Columns in reading order: right to left.
    lefts = [int(ln["bbox"][0]) for ln in body]
    assert lefts == sorted(lefts, reverse=True)
    assert hocr_words(doc) == "時事新報" + COLUMN_TEXT
    assert [b.direction for b in columns.ordered_blocks()] == [Direction.RTL, Direction.TTB]


def test_searchable_pdf_reads_columns_right_to_left(columns, tmp_path):
    """PDFium reads runs that start at one height left to right: the columns are laid as two runs
    each so that they keep their order (export.pdf.split_columns), the head as one run turned half
    round (export.pdf.turn_right_to_left_lines); without that both read backwards."""
    pytest.importorskip("ocrmypdf", reason="the ocrmypdf extra renders the PDF's text layer")
    from ocrmypdf.hocrtransform import HocrParser

    from layoutkit.export import pdf

    out = tmp_path / "columns.pdf"
    out.write_bytes(pdf.to_pdf(columns))
    assert squash(pdf_text(out)) == "時事新報" + COLUMN_TEXT

    tree = pdf.text_tree(columns)
    head, *body = tree.lines
    assert head.textangle == 180 and [w.text for w in head.children] == ["時事新報"]
    assert all(ln.textangle == 270 and len(ln.children) == 2 for ln in body)
    for ln in body:  # as OCRmyPDF's renderer would lay them on its own
        first, second = ln.children
        first.text += second.text
        first.bbox.bottom = second.bbox.bottom
        ln.children = [first]
    pdf.render_text_layer(tree, tmp_path / "columns-whole.pdf")
    whole = squash(pdf_text(tmp_path / "columns-whole.pdf"))
    assert whole != "時事新報" + COLUMN_TEXT and sorted(whole) == sorted("時事新報" + COLUMN_TEXT)
    hocr = tmp_path / "columns.hocr"
    hocr.write_bytes(to_hocr(columns))
    words = HocrParser(hocr).parse()  # the head's characters as words side by side
    pdf.split_columns(words)
    pdf.render_text_layer(words, tmp_path / "head-words.pdf")
    assert squash(pdf_text(tmp_path / "head-words.pdf")).startswith("報新事時")


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLES)
def test_hocr_matches_the_alto_of_the_same_run(sample_run, name):
    hocr = etree.parse(str(sample_run / f"{name}.hocr"), safe_parser())
    alto = etree.parse(str(sample_run / f"{name}.alto.xml"), safe_parser())
    nodes = {n.get("id"): n for n in hocr.iterfind(".//*[@id]")}
    boxes = {i: props(n) for i, n in nodes.items()}
    kinds = ("ComposedBlock", "TextBlock", "Illustration", "GraphicalElement", "TextLine", "String")
    checked = 0
    for kind in kinds:
        for node in alto.iterfind(f".//a:{kind}", ALTO):
            x, y, w, h = (int(node.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
            assert boxes[node.get("ID")]["bbox"] == [str(v) for v in (x, y, x + w, y + h)], node.get("ID")
            checked += 1
    assert checked > 500
    # The same blocks in the same order, and the same words with the same confidence.
    block_path = ".//a:TextBlock|.//a:Illustration"
    assert [b.get("ID") for b in alto.xpath(block_path, namespaces=ALTO)] == [
        n.get("id") for n in hocr.iterfind(".//h:div", XHTML) if n.get("class") in ("ocr_carea", "ocr_photo")]
    strings = alto.findall(".//a:String", ALTO)
    words = {w.get("id"): w for w in hocr.iterfind(".//h:span[@class='ocrx_word']", XHTML)}
    assert list(words) == [s.get("ID") for s in strings]
    for s in strings:
        word = words[s.get("ID")]
        hyphen = "-" if (s.getnext() is not None and s.getnext().tag.endswith("HYP")) else ""
        assert "".join(word.itertext()) == s.get("CONTENT") + hyphen
        assert abs(int(props(word)["x_wconf"][0]) - 100 * float(s.get("WC"))) <= 1
    glyphs = alto.findall(".//a:Glyph", ALTO)
    if name.startswith("changji"):
        assert len(glyphs) > 1000
    for g in glyphs:
        char = nodes[g.get("ID")]
        x, y, w, h = (int(g.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
        assert char.get("class") == "ocrx_cinfo" and char.text == g.get("CONTENT")
        assert props(char)["x_bboxes"] == [str(v) for v in (x, y, x + w, y + h)]


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLES)
def test_searchable_pdf_holds_the_text_in_reading_order(sample_run, name):
    """The PDF is the scan (its page the scan's size) with the hOCR's words under it, in order."""
    pytest.importorskip("ocrmypdf", reason="the ocrmypdf extra renders the PDF's text layer")
    import pikepdf

    path = sample_run / f"{name}.pdf"
    with pikepdf.open(path) as pdf:
        (page,) = pdf.pages
        (image,) = page.get_images().values()
        assert [image.Width, image.Height] == json.loads((ROOT / "samples" / f"{name}.gt.json").read_text())["size"]
    text = pdf_text(path)
    hocr = etree.parse(str(sample_run / f"{name}.hocr"), safe_parser())
    assert cer(text, hocr_words(hocr)) <= 0.005
    if name.startswith("talbote"):
        # Word for word, punctuation kept on its word: "Mittwoch, 26. November", not "Mittwoch , 26 .".
        lines = ["".join(ln.itertext()) for ln in hocr.iterfind(".//h:span[@class='ocr_line']", XHTML)]
        assert text.split() == " ".join(lines).split()
        assert "Mittwoch, 26. November" in text


@pytest.mark.slow
def test_searchable_pdf_gives_the_lead_story_in_reading_order(sample_run):
    """Copying the Chinese sample's text gives its lead story as the ground truth reads it. Its
    26 blocks run over several columns; read backwards they score a CER of about 0.9."""
    pytest.importorskip("ocrmypdf", reason="the ocrmypdf extra renders the PDF's text layer")
    assert_lead_story(pdf_text(sample_run / "changji-2025-11-26.pdf"))


def assert_lead_story(text: str) -> None:
    truth = json.loads((ROOT / "samples" / "changji-2025-11-26.gt.json").read_text("utf-8"))
    (lead,) = [a for a in truth["articles"] if len(a["blocks"]) > 20]
    story, found = squash(lead["text"]), squash(text)
    where = fuzz.partial_ratio_alignment(story, found)
    assert cer(found[where.dest_start:where.dest_end], story) <= 0.04
    blocks = {b["id"]: b.get("text", "") for b in truth["blocks"]}
    assert cer("".join(blocks[b] for b in reversed(lead["blocks"])), story) > 0.5



def test_pdf_format_without_ocrmypdf_says_what_to_install(monkeypatch, tmp_path, capsys):
    """Before any page is read: the extra to install, not a traceback half-way through a batch."""
    from layoutkit.cli import main

    monkeypatch.setitem(sys.modules, "ocrmypdf.fpdf_renderer", None)  # import fails as if absent
    code = main(["run", str(ROOT / "samples" / "talbote-2025-11-26.png"), "-o", str(tmp_path), "--format", "hocr,pdf"])
    assert code == 2
    assert "pip install 'layoutkit[ocrmypdf]'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())

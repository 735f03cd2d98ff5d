"""`layoutkit eval`: perfect on itself, and moved by known perturbations by the amounts computed by hand."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from lxml import etree

from layoutkit.eval.metrics import evaluate
from layoutkit.io.readers import read_layout
from layoutkit.model import Block, BlockType, Box, Page, Source, String, TextLine
from tests.conftest import ROOT

GT_FILE = ROOT / "samples" / "changji-2025-11-26.gt.xml"


def test_ground_truth_against_itself_is_perfect():
    gt = read_layout(GT_FILE)
    s = evaluate(read_layout(GT_FILE), gt)
    assert (s.cer, s.wer, s.cer_order_free) == (0.0, 0.0, 0.0)
    assert (s.order_pairwise, s.order_next_line, s.line_recall) == (1.0, 1.0, 1.0)
    assert (s.region_f1, s.type_accuracy, s.masthead_accuracy, s.caption_link_accuracy) == (1.0, 1.0, 1.0, 1.0)


def test_cli_eval_json_on_folders(tmp_path):
    res = subprocess.run([sys.executable, "-m", "layoutkit", "eval", str(ROOT / "samples"), str(ROOT / "samples"),
                          "--json"], capture_output=True, text=True, check=False, timeout=300)
    assert res.returncode == 0, res.stderr
    scores = json.loads(res.stdout)
    assert len(scores) >= 4 and all(s["cer"] == 0.0 and s["region_f1"] == 1.0 for s in scores)


def _column(name: str, x: float, texts: list[str]) -> Block:
    boxes = [Box(x, 100 + 50 * i, x + 400, 140 + 50 * i) for i in range(len(texts))]
    lines = [TextLine(b.polygon(), strings=[String(t, b, 1.0)]) for b, t in zip(boxes, texts, strict=True)]
    return Block(name, BlockType.BODY, Box(x, 100, x + 400, 140 + 50 * (len(texts) - 1)).polygon(), lines)


@pytest.fixture
def two_columns() -> Page:
    left = _column("left", 100, [f"左栏第{i}行文字内容" for i in range(10)])
    right = _column("right", 600, [f"右栏第{i}行文字内容" for i in range(10)])
    page = Page(1200, 800, Source("x.png", ""), blocks=[left, right])
    left.order, right.order = 0, 1
    return page


def test_columns_swapped(two_columns):
    pred = copy.deepcopy(two_columns)
    pred.blocks[0].order, pred.blocks[1].order = 1, 0
    s = evaluate(pred, two_columns)
    assert s.order_pairwise == pytest.approx(1 - 100 / 190)  # every left-right pair inverted
    assert s.order_next_line == pytest.approx(18 / 19)  # only left's foot -> right's head is broken
    assert s.cer_order_free == 0.0 and s.cer > 0.0


def test_one_line_deleted(two_columns):
    pred = copy.deepcopy(two_columns)
    removed = pred.blocks[0].lines.pop(4)
    s = evaluate(pred, two_columns)
    total = sum(len(ln.text) for b in two_columns.blocks for ln in b.lines)
    assert s.cer == pytest.approx(len(removed.text) / total)
    assert s.line_recall == pytest.approx(19 / 20)
    assert s.order_pairwise == 1.0 and s.order_next_line == 1.0


def test_one_character_changed(two_columns):
    pred = copy.deepcopy(two_columns)
    line = pred.blocks[1].lines[2]
    line.strings[0].text = line.strings[0].text.replace("右", "石")
    s = evaluate(pred, two_columns)
    total = sum(len(ln.text) for b in two_columns.blocks for ln in b.lines)
    assert s.cer == pytest.approx(1 / total) and s.cer_order_free == pytest.approx(1 / total)
    assert s.wer == pytest.approx(1 / total)  # each CJK character is a word


def test_reader_refuses_entities(tmp_path):
    evil = tmp_path / "evil.xml"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    evil.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE PcGts [<!ENTITY x SYSTEM "file://{secret}">]>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata/>
<Page imageFilename="a.png" imageWidth="100" imageHeight="100">
<TextRegion id="r1"><Coords points="0,0 50,0 50,50 0,50"/>
<TextLine id="l1"><Coords points="0,0 50,0 50,20 0,20"/><TextEquiv><Unicode>&x;</Unicode></TextEquiv></TextLine>
</TextRegion></Page></PcGts>""")
    page = read_layout(evil)
    assert "TOP SECRET" not in "".join(ln.text for ln in page.text_lines)


def test_negative_and_out_of_page_coordinates_are_clipped(tmp_path):
    f = tmp_path / "neg.xml"
    f.write_text("""<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15"><Metadata/>
<Page imageFilename="a.png" imageWidth="100" imageHeight="80">
<TextRegion id="r1"><Coords points="-5,-3 150,-3 150,90 -5,90"/>
<TextLine id="l1"><Coords points="-2,10 120,10 120,30 -2,30"/><TextEquiv><Unicode>abc</Unicode></TextEquiv></TextLine>
</TextRegion></Page></PcGts>""")
    page = read_layout(f)
    box = page.blocks[0].box
    assert (box.x0, box.y0, box.x1, box.y1) == (0, 0, 100, 80)


def test_lines_matched_by_text_where_the_ground_truth_lies_off_the_scan():
    """Ground truth drawn 30 px low on a 45 px line pitch (the NZZ 1890 page's is in ABBYY's
    deskewed frame): a paragraph's short last line is covered most by the full line above it,
    but its text says which line it is."""
    texts = ["Die Handelsabtheilung wird um", "eine neue Rubrik erweitert, die", "mußte.", "Der Verlag"]
    widths = [800, 800, 150, 300]
    pred_lines = [TextLine(Box(100, 100 + 45 * i, 100 + w, 140 + 45 * i).polygon(),
                           strings=[String(t, Box(100, 100 + 45 * i, 100 + w, 140 + 45 * i), 1.0)])
                  for i, (t, w) in enumerate(zip(texts, widths, strict=True))]
    block = Block("p", BlockType.BODY, Box(100, 100, 900, 275).polygon(), pred_lines)
    block.order = 0
    pred = Page(1000, 400, Source("x.png", ""), blocks=[block])
    truth = copy.deepcopy(pred)
    for line in truth.blocks[0].lines:
        line.polygon = [(x, y - 30) for x, y in line.polygon]
    s = evaluate(pred, truth)
    assert s.order_next_line == 1.0 and s.line_recall == 1.0 and s.cer_order_free == 0.0


def _photo_page(linked: bool) -> Page:
    """A photo, a caption under it and a credit beside the caption; linked or not."""
    photo = Block("ph", BlockType.PHOTO, Box(100, 100, 700, 500).polygon())
    lines = [TextLine(Box(100, 520 + 40 * i, 700, 550 + 40 * i).polygon(),
                      strings=[String(t, Box(100, 520 + 40 * i, 700, 550 + 40 * i), 1.0)])
             for i, t in enumerate(["Der neue Bahnhof am Abend", "nach der Eröffnung"])]
    caption = Block("cap", BlockType.CAPTION, Box(100, 520, 700, 590).polygon(), lines)
    credit_line = TextLine(Box(600, 600, 700, 625).polygon(), strings=[String("Foto: A. K.", Box(600, 600, 700, 625),
                                                                             1.0)])
    credit = Block("cr", BlockType.CREDIT, Box(600, 600, 700, 625).polygon(), [credit_line])
    for n, b in enumerate((photo, caption, credit)):
        b.order = n
    if linked:
        caption.caption_of, credit.credit_of = "ph", "ph"
    return Page(800, 700, Source("x.png", ""), blocks=[photo, caption, credit])


def _links(page: Page) -> dict[str, tuple[str | None, str | None]]:
    return {b.id: (b.caption_of, b.credit_of) for b in page.blocks if b.type.is_text}


@pytest.mark.parametrize("linked", [False, True])
def test_alto_links_are_the_composed_blocks_written(tmp_path, linked):
    """A caption written right after its photo but outside a ComposedBlock holds no link: the
    reader takes the links the file holds, never the order of blocks."""
    from layoutkit.export.alto import to_alto

    f = tmp_path / "p.alto.xml"
    f.write_bytes(to_alto(_photo_page(linked)))
    doc = etree.parse(str(f))
    written = [etree.QName(e).localname for e in doc.iter() if etree.QName(e).localname in
               ("ComposedBlock", "Illustration", "TextBlock")]
    assert written == (["ComposedBlock"] if linked else []) + ["Illustration", "TextBlock", "TextBlock"]
    expected = {"cap": ("ph", None), "cr": (None, "ph")} if linked else {"cap": (None, None), "cr": (None, None)}
    assert _links(read_layout(f)) == expected


def test_alto_composed_block_of_two_pictures_links_nothing(tmp_path):
    from layoutkit.export.alto import to_alto

    f = tmp_path / "p.alto.xml"
    f.write_bytes(to_alto(_photo_page(True)))
    text = f.read_text("utf-8")
    second = '<Illustration ID="ph2" HPOS="0" VPOS="0" WIDTH="50" HEIGHT="50"/>'
    f.write_text(text.replace('</ComposedBlock>', second + '</ComposedBlock>'), "utf-8")
    assert _links(read_layout(f)) == {"cap": (None, None), "cr": (None, None)}


@pytest.mark.parametrize("linked", [False, True])
def test_page_links_are_the_relations_written(tmp_path, linked):
    from layoutkit.export.page import to_page_xml

    f = tmp_path / "p.page.xml"
    f.write_bytes(to_page_xml(_photo_page(linked)))
    expected = {"cap": ("ph", None), "cr": (None, "ph")} if linked else {"cap": (None, None), "cr": (None, None)}
    assert _links(read_layout(f)) == expected


def test_page_unlabelled_link_read_by_its_source_type(tmp_path):
    """Another tool's link relation without layoutkit's label: a caption region's link is a
    caption link, a credit region's a credit link, any other region's no picture link."""
    from layoutkit.export.page import to_page_xml

    page = _photo_page(True)
    page.blocks.append(Block("body", BlockType.BODY, Box(100, 640, 700, 680).polygon(), [], order=3))
    text = to_page_xml(page).decode("utf-8").replace(' custom="caption"', "").replace(' custom="credit"', "")
    extra = ('<Relation id="relx" type="link"><SourceRegionRef regionRef="body"/>'
             '<TargetRegionRef regionRef="ph"/></Relation></Relations>')
    f = tmp_path / "p.page.xml"
    f.write_text(text.replace("</Relations>", extra), "utf-8")
    assert _links(read_layout(f)) == {"cap": ("ph", None), "cr": (None, "ph"), "body": (None, None)}


def _typed(name: str, btype: BlockType, y: float, texts: list[str]) -> Block:
    block = _column(name, 100, texts)
    block.type = btype
    for line in block.lines:
        line.polygon = [(x, py + y) for x, py in line.polygon]
    block.polygon = [(x, py + y) for x, py in block.polygon]
    return block


def _story() -> Page:
    head = _typed("h", BlockType.HEADLINE, 0, ["Die Brücke ist eröffnet"])
    body = _typed("b", BlockType.BODY, 100, ["Am Sonntag wurde die neue", "Brücke über den Fluss",
                                             "dem Verkehr übergeben"])
    for n, b in enumerate((head, body)):
        b.order = n
    return Page(1200, 800, Source("x.png", ""), blocks=[head, body])


def test_roles_counted_by_the_lines_of_each_block():
    truth = _story()
    all_right = {"gt": 1, "recalled": 1, "pred": 1, "right": 1}
    assert evaluate(copy.deepcopy(truth), truth).roles == {"headline": all_right, "body": all_right}
    # The headline typed body: the headline is missed, and one of two body blocks is wrong.
    pred = copy.deepcopy(truth)
    pred.blocks[0].type = BlockType.BODY
    assert evaluate(pred, truth).roles == {"headline": {"gt": 1, "recalled": 0, "pred": 0, "right": 0},
                                           "body": {"gt": 1, "recalled": 1, "pred": 2, "right": 1}}
    # Headline and body as one body block: the body found, the headline not, the block right by
    # its majority of lines.
    merged = copy.deepcopy(truth)
    head = merged.blocks.pop(0)
    merged.blocks[0].lines[:0] = head.lines
    assert evaluate(merged, truth).roles == {"headline": {"gt": 1, "recalled": 0, "pred": 0, "right": 0},
                                             "body": {"gt": 1, "recalled": 1, "pred": 1, "right": 1}}

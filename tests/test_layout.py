"""Layout on real and rendered pages: columns respected, vertical text, photos as illustrations."""

from __future__ import annotations

import pytest
from lxml import etree

from layoutkit.io.images import load_pages
from layoutkit.io.readers import read_layout
from layoutkit.model import BlockType, Box
from tests.conftest import EVAL, ROOT, need_shared

ALTO = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known: the 1933 column rules are printed in dashes and the first lines "
                   "of neighbouring columns are detected as one line across the rule (issue 3 stays open)")
def test_no_block_crosses_a_gutter_on_nzz_1933(pipeline):
    scan = need_shared(EVAL / "nzz" / "nzz_19330203_0_0_a1_p1_1.tif")
    truth = read_layout(EVAL / "nzz" / "gt" / "nzz_19330203_0_0_a1_p1_1.xml")
    (image,) = load_pages(scan)
    page = pipeline.process_image(image)
    regions = [b.box for b in truth.blocks if b.lines]
    crossing = []
    for block in page.blocks:
        if not block.type.is_text:
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

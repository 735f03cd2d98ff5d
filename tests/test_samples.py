"""The bundled samples through the CLI: valid outputs, and the reconstruction the project exists for."""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from layoutkit.eval.metrics import evaluate
from layoutkit.io.readers import read_layout
from tests.conftest import ROOT

SAMPLES = sorted(p.name.split(".")[0] for p in (ROOT / "samples").glob("*.gt.xml"))
ALTO = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}


def test_every_sample_has_image_and_valid_ground_truth(page_schema):
    assert len(SAMPLES) >= 4
    for name in SAMPLES:
        assert any((ROOT / "samples" / f"{name}{ext}").exists() for ext in (".png", ".jpg"))
        assert page_schema.validate(etree.parse(str(ROOT / "samples" / f"{name}.gt.xml"))), name


@pytest.mark.parametrize("name", SAMPLES)
def test_alto_outputs_valid(sample_run, schema, name):
    assert schema("alto-4-4.xsd").validate(etree.parse(str(sample_run / f"{name}.alto.xml")))


@pytest.mark.parametrize("name", SAMPLES)
def test_page_outputs_valid(page_schema, sample_run, name):
    assert page_schema.validate(etree.parse(str(sample_run / f"{name}.page.xml")))


def test_mets_valid_and_points_at_alto_blocks(sample_run, schema):
    doc = etree.parse(str(sample_run / "issue.mets.xml"))
    assert schema("mets.xsd").validate(doc), schema("mets.xsd").error_log
    ns = {"mets": "http://www.loc.gov/METS/", "mods": "http://www.loc.gov/mods/v3"}
    assert len(doc.findall(".//mets:structMap[@TYPE='PHYSICAL']//mets:div[@TYPE='page']", ns)) == len(SAMPLES)
    areas = doc.findall(".//mets:structMap[@TYPE='LOGICAL']//mets:area", ns)
    files = {f.get("ID"): f.find("mets:FLocat", ns).get("{http://www.w3.org/1999/xlink}href")
             for f in doc.findall(".//mets:fileGrp[@USE='FULLTEXT']/mets:file", ns)}
    assert areas
    for area in areas[:50]:
        alto = etree.parse(str(sample_run / files[area.get("FILEID")]))
        assert alto.find(f".//*[@ID='{area.get('BEGIN')}']") is not None
    assert doc.findtext(".//mods:dateIssued", namespaces=ns) in ("2025-11-26",)


def _scores(sample_run, name):
    return evaluate(read_layout(sample_run / f"{name}.alto.xml"), read_layout(ROOT / "samples" / f"{name}.gt.xml"),
                    name)


@pytest.mark.parametrize("name", ["changji-2025-11-26", "talbote-2025-11-26"])
def test_masthead_fields_exact_and_tagged(sample_run, name):
    truth = json.loads((ROOT / "samples" / f"{name}.gt.json").read_text("utf-8"))["masthead"]
    found = json.loads((sample_run / f"{name}.masthead.json").read_text("utf-8"))
    assert {k: v["value"] for k, v in found.items() if k in truth} == {k: v["value"] for k, v in truth.items()}
    assert not any("flagged" in v for v in found.values())
    alto = etree.parse(str(sample_run / f"{name}.alto.xml"))
    tags = {t.get("ID"): t.get("LABEL") for t in alto.findall(".//a:NamedEntityTag", ALTO)}
    tagged = {tags[ref] for s in alto.findall(".//a:String[@TAGREFS]", ALTO) for ref in s.get("TAGREFS").split()
              if ref in tags}
    assert {"title", "date", "issue"} <= tagged


def test_front_page_reads_like_a_reader(sample_run):
    """Photo captions linked, the seed's failures gone. The order is the learned one's, which
    reads the commentary's vertical headline after its text and the lead story's deck after its
    byline: next line 0.95 (0.996 when this page had reordering passes of its own, which broke on
    other pages; issue 15 holds the target). The floors here catch a step back from that."""
    scores = _scores(sample_run, "changji-2025-11-26")
    assert scores.caption_link_accuracy == 1.0
    assert scores.order_next_line >= 0.94
    assert scores.cer_order_free <= 0.01 and scores.cer <= 0.04
    text = (sample_run / "changji-2025-11-26.txt").read_text("utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 30]
    assert len(paragraphs) == len(set(paragraphs)), "a paragraph appears twice"
    # The seed's failures: the date split in two, a paragraph broken at a column foot.
    assert "2025年11月26日" in text
    assert "无论是平台操作指南，还是平台操作指南" not in text


def test_german_page_reads_like_a_reader(sample_run):
    """The subheadline runs over the columns with a word space just above a gutter: it stays one
    line, read before the byline under it."""
    scores = _scores(sample_run, "talbote-2025-11-26")
    assert scores.order_next_line >= 0.99
    blocks = (sample_run / "talbote-2025-11-26.txt").read_text("utf-8").split("\n\n")
    (sub,) = [i for i, b in enumerate(blocks) if b.startswith("Nach zwei Jahren Planung")]
    assert blocks[sub].startswith("Nach zwei Jahren Planung gibt die Gemeinde den Kredit")
    assert blocks[sub + 1].startswith("Von Anna Keller")


def test_photo_caption_credit_linked(sample_run):
    data = json.loads((sample_run / "changji-2025-11-26.structure.json").read_text("utf-8"))
    (photo,) = data["photos"]
    assert photo["caption_text"].startswith("11月22日")
    assert re.sub(r"\s", "", photo["credit_text"]) == "□本报记者何龙摄"
    alto = etree.parse(str(sample_run / "changji-2025-11-26.alto.xml"))
    composed = alto.find(".//a:ComposedBlock[@TYPE='photo-with-caption']", ALTO)
    assert composed is not None
    assert [etree.QName(c).localname for c in composed] == ["Illustration", "TextBlock", "TextBlock"]


@pytest.mark.parametrize("name", SAMPLES)
def test_links_read_back_as_written(sample_run, name):
    """A run's ALTO (ComposedBlocks) and PAGE (Relations) read back hold the links the run wrote
    (structure.json), and nothing more."""
    data = json.loads((sample_run / f"{name}.structure.json").read_text("utf-8"))
    written = {(b["id"], b.get("caption_of"), b.get("credit_of")) for b in data["blocks"]
               if b.get("caption_of") or b.get("credit_of")}
    for fmt in ("alto", "page"):
        page = read_layout(sample_run / f"{name}.{fmt}.xml")
        assert {(b.id, b.caption_of, b.credit_of) for b in page.blocks if b.caption_of or b.credit_of} == written, fmt
    if name.startswith("changji"):
        assert written

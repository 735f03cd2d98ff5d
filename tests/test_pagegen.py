"""The generated corpus (samples/pagegen): deterministic pages whose ground truth is consistent —
valid PAGE that reads back as written, lines inside their blocks and apart from each other, glyphs
inside their lines, the reading-order convention kept."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from lxml import etree
from shapely.geometry import Polygon as ShapelyPolygon

from layoutkit.export.page import to_page_xml
from layoutkit.io.readers import read_layout
from layoutkit.model import BlockType, Page
from samples.pagegen.corpus import parse_seeds, split_of
from samples.pagegen.newspaper import KINDS, fraktur_of, kind_of, make_page, page_name
from samples.pagegen.prose import Prose, bank

#: One page of each kind (seeds chosen among the smaller pages, to keep the file fast): Chinese
#: horizontal (a degraded scan), Chinese vertical, Fraktur, Antiqua.
SEEDS = {"zh-horizontal": 0, "zh-vertical": 10, "latin-fraktur": 12, "latin-antiqua": 27}


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[np.ndarray, Page]]:
    return {kind: make_page(seed) for kind, seed in SEEDS.items()}


def test_seed_decides_kind_and_pages_are_deterministic(pages):
    for kind, seed in SEEDS.items():
        assert page_name(seed).endswith(kind)
    image, page = make_page(SEEDS["zh-vertical"])
    first_image, first_page = pages["zh-vertical"]
    assert np.array_equal(image, first_image)
    assert to_page_xml(page, words=True) == to_page_xml(first_page, words=True)
    other, _ = make_page(SEEDS["zh-vertical"] + 16)
    assert other.shape != image.shape or not np.array_equal(other, image)


def test_default_corpus_has_the_kinds_and_a_fixed_split():
    seeds = parse_seeds("0-239")
    kinds = Counter(kind_of(s) for s in seeds)
    assert set(kinds) == set(KINDS)
    assert kinds["zh-horizontal"] >= 100 and kinds["zh-vertical"] >= 30 and kinds["latin"] >= 70
    assert sum(fraktur_of(s) for s in seeds) >= 20
    split = {s: split_of(s) for s in seeds}
    assert set(split.values()) == {"dev", "report"}
    assert 0.25 < sum(v == "report" for v in split.values()) / len(seeds) < 0.42
    # Every kind is reported on, and the split of a seed never depends on anything but the seed.
    assert {kind_of(s) for s in seeds if split[s] == "report"} == set(KINDS)
    assert [split_of(s) for s in (0, 1, 2, 3, 4, 5)] == [split[s] for s in (0, 1, 2, 3, 4, 5)]
    assert parse_seeds("3,7,10-12") == [3, 7, 10, 11, 12]


def test_every_kind_renders_a_plausible_page(pages):
    for kind, (image, page) in pages.items():
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
        assert (page.height, page.width) == image.shape[:2]
        assert 1400 <= max(page.width, page.height) <= 6000 and 100 <= (page.dpi or 0) <= 400
        types = Counter(b.type for b in page.blocks)
        assert types[BlockType.BODY] >= 10, kind
        assert types[BlockType.HEADLINE] >= 2, kind
        assert len(page.articles) >= 4, kind
        # Ink where the text is, paper around it.
        assert 80 < image.mean() < 250
    assert any(b.direction.value == "ttb" for b in pages["zh-vertical"][1].blocks if b.type is BlockType.BODY)
    assert pages["zh-vertical"][1].masthead and pages["latin-fraktur"][1].masthead


def test_page_xml_is_valid_and_reads_back_as_written(pages, schema, tmp_path):
    xsd = schema("pagecontent-2019-07-15.xsd")
    for kind, (_, page) in pages.items():
        data = to_page_xml(page, creator="test", words=True)
        xsd.assertValid(etree.fromstring(data))
        path = tmp_path / f"{kind}.gt.xml"
        path.write_bytes(data)
        back = read_layout(path)
        assert [b.id for b in back.ordered_blocks()] == [b.id for b in page.ordered_blocks()]
        assert [b.type for b in back.ordered_blocks()] == [b.type for b in page.ordered_blocks()]
        assert [(a.id, a.block_ids) for a in back.articles] == [(a.id, a.block_ids) for a in page.articles]
        written = {b.id: b for b in page.blocks}
        for b in back.blocks:
            assert [ln.text for ln in b.lines] == [ln.text for ln in written[b.id].lines]
            assert (b.next_block, b.caption_of, b.credit_of) == (written[b.id].next_block,
                                                                 written[b.id].caption_of, written[b.id].credit_of)
        # Words and glyphs come back: per word on Latin lines, per character on CJK lines.
        line = next(ln for b in back.blocks if b.type is BlockType.BODY for ln in b.lines)
        if kind.startswith("zh"):
            assert "".join(g.char for g in line.strings[0].glyphs) == line.text
        else:
            assert len(line.strings) > 1 and " ".join(s.text for s in line.strings) == line.text
        assert {f.name: f.value for f in back.masthead} == {f.name: f.value for f in page.masthead}


def _poly(points) -> ShapelyPolygon:
    return ShapelyPolygon(points).buffer(0)


def test_lines_lie_inside_page_and_block_and_never_overlap(pages):
    for kind, (_, page) in pages.items():
        page_poly = _poly([(0, 0), (page.width, 0), (page.width, page.height), (0, page.height)])
        lines = []
        for b in page.blocks:
            block = _poly(b.polygon).buffer(1.0)
            for ln in b.lines:
                poly = _poly(ln.polygon)
                assert page_poly.contains(poly), (kind, ln.text)
                assert block.contains(poly), (kind, b.id, ln.text)
                lines.append((poly, ln.text))
        for i, (a, ta) in enumerate(lines):
            for b, tb in lines[i + 1:]:
                if a.intersects(b):
                    assert a.intersection(b).area < 1.0, (kind, ta, tb)


def test_glyph_and_word_boxes_lie_inside_their_line(pages):
    for kind, (_, page) in pages.items():
        for b in page.blocks:
            for ln in b.lines:
                box = ln.box
                for s in ln.strings:
                    parts = s.glyphs or [s]
                    for g in parts:
                        assert box.x0 - 1.5 <= g.box.x0 and g.box.x1 <= box.x1 + 1.5, (kind, ln.text)
                        assert box.y0 - 1.5 <= g.box.y0 and g.box.y1 <= box.y1 + 1.5, (kind, ln.text)
                    if s.glyphs:
                        assert "".join(g.char for g in s.glyphs) == s.text


def test_reading_order_follows_the_convention(pages):
    deck = [BlockType.KICKER, BlockType.HEADLINE, BlockType.SUBHEADLINE, BlockType.BYLINE]
    for kind, (_, page) in pages.items():
        blocks = page.ordered_blocks()
        assert [b.order for b in blocks] == list(range(len(blocks)))
        by_id = {b.id: b for b in blocks}
        # Articles are contiguous runs of the order, the masthead (or running head) first.
        flat = [bid for a in page.articles for bid in a.block_ids]
        assert flat == [b.id for b in blocks]
        assert by_id[flat[0]].type in (BlockType.MASTHEAD, BlockType.FURNITURE)
        for a in page.articles:
            types = [by_id[i].type for i in a.block_ids]
            # Decks come before the body, in kicker-headline-subheadline-byline order.
            first_body = next((k for k, t in enumerate(types) if t is BlockType.BODY), len(types))
            heads = [deck.index(t) for t in types[:first_body] if t in deck]
            assert heads == sorted(heads) or BlockType.HEADLINE not in types[:first_body], (kind, types)
            assert all(t not in (BlockType.KICKER, BlockType.BYLINE) for t in types[first_body:]), (kind, types)
        for b in blocks:
            if b.caption_of:
                photo = by_id[b.caption_of]
                assert photo.type in (BlockType.PHOTO, BlockType.GRAPHIC) and photo.order < b.order
                assert photo.article_id == b.article_id
            if b.credit_of:
                caption = next(c for c in blocks if c.caption_of == b.credit_of)
                assert caption.order < b.order
            if b.next_block:
                assert by_id[b.next_block].order > b.order and by_id[b.next_block].article_id == b.article_id
        # Vertical pages read right to left: within each tier-row of bodies, an article's first
        # body line stands right of its later ones.
        if kind == "zh-vertical":
            for a in page.articles:
                bodies = [by_id[i] for i in a.block_ids if by_id[i].type is BlockType.BODY]
                xs = [ln.box.x0 for b in bodies for ln in b.lines]
                assert xs == sorted(xs, reverse=True), a.id


def test_masthead_fields_are_named_and_valued_as_layoutkit_parses_them(pages):
    """Field names and values follow layoutkit.structure.masthead: parsing the ground truth's own
    masthead text gives the same values (on a simplified-Chinese front page and a German one)."""
    from layoutkit.structure.masthead import parse_fields

    front = make_page(1)[1]
    for page in (front, pages["latin-antiqua"][1]):
        blocks = [b for b in page.ordered_blocks() if b.type is BlockType.MASTHEAD]
        title = next(b for b in blocks if b.id == next(f.block_id for f in page.masthead if f.name == "title"))
        parsed = {f.name: f.value for f in parse_fields(blocks, title)}
        truth = {f.name: f.value for f in page.masthead}
        assert len(truth) >= 5
        assert parsed == truth


#: The small texts a role is told by, and the pools their slots are filled from.
SMALL_TEXTS = ("captions", "caption_leads", "credits", "bylines", "kickers", "subheadlines", "subheads", "running",
               "titles", "titles_hant", "sections", "brief_heads", "places", "counties", "orgs", "first", "last")


def test_report_pages_print_small_texts_no_dev_page_prints():
    """Each bank's lists are cut in two: the halves share no item and neither is empty; and the
    captions, credits, bylines and headlines drawn for report seeds never come out for dev seeds."""
    for name in ("zh-hans", "de", "zh-hant-era"):
        dev, report = bank(name, "dev"), bank(name, "report")
        for key in SMALL_TEXTS:
            if key in dev:
                ours, theirs = ({str(item) for item in half[key]} for half in (dev, report))
                assert ours and theirs and not ours & theirs, (name, key)
        for key in ("surnames", "given"):
            if key in dev:
                assert not set(dev[key]) & set(report[key]), (name, key)
        for topic in dev["topics"]:
            assert not set(dev["topics"][topic]["headlines"]) & set(report["topics"][topic]["headlines"])
            assert dev["topics"][topic]["sentences"] == report["topics"][topic]["sentences"]
    seeds = {split: [s for s in range(120) if split_of(s) == split] for split in ("dev", "report")}
    for voice in ("hans", "hant", "era", "de", "de-historic"):
        printed: dict[str, set[str]] = {}
        for split, chosen in seeds.items():
            texts: set[str] = set()
            for seed in chosen:
                prose = Prose(voice, np.random.default_rng(seed), split)
                texts |= {prose.one(key) for key in ("captions", "credits", "bylines") for _ in range(5)}
                texts |= {prose.headline(prose.topic()) for _ in range(5)}
            printed[split] = texts
        assert len(printed["report"]) > 50
        assert not printed["dev"] & printed["report"], voice


def test_captions_run_from_one_line_to_six_at_the_pictures_measure():
    """A caption asked for n lines gets at least n where its topic has the sentences (never more
    than six), each line within the measure: a reader meets captions of every length."""
    from samples.pagegen.figures import caption_lines
    from samples.pagegen.newspaper import horizontal_style

    for latin in (False, True):
        style = horizontal_style(np.random.default_rng(5), latin, False, 30, "dev")
        face = style.face(style.sans if style.cjk else style.serif, 0.9)
        width = 30 * (14 if style.cjk else 20)
        counts = []
        for target in range(1, 7):
            lines = caption_lines(style, style.prose.topic(), face, width, target, "Foto: A. Keller" if latin else None)
            assert 1 <= len(lines) <= 6 and all(ln.width <= width + 1 for ln in lines)
            counts.append(len(lines))
        assert max(counts) >= 4 and min(counts) <= 2, counts

"""Captions and mastheads on the evidence a reader uses, on synthetic boxes (no image, no model):
the text a picture governs is its caption whatever its line count; a masthead is a title with
its date or rule at a page's head, a running head is furniture, and a story's headline is never
a masthead however high and wide it stands."""

from __future__ import annotations

from layoutkit.layout.classify import captions_by_evidence, link_pictures
from layoutkit.model import Block, BlockType, Box, Direction, Page, Separator, Source, String, TextLine
from layoutkit.structure.masthead import find_masthead

H = 20.0  # a body line's height
PITCH = 1.3 * H


def text(bid: str, kind: BlockType, x0: float, y0: float, x1: float, lines: list[str], size: float = H,
         pitch: float | None = None) -> Block:
    """A block of horizontal lines `size` high, one every `pitch` (1.3 sizes) from y0."""
    pitch = pitch or 1.3 * size
    rows = []
    for k, words in enumerate(lines):
        box = Box(x0, y0 + k * pitch, x1, y0 + k * pitch + size)
        rows.append(TextLine(box.polygon(), Direction.LTR, [String(words, box, 0.95)]))
    box = Box.enclosing([r.box for r in rows])
    return Block(bid, kind, box.polygon(), rows)


def column(bid: str, x0: float, y0: float, x1: float, n: int) -> Block:
    return text(bid, BlockType.BODY, x0, y0, x1, [f"Zeile {k} des Textes läuft weiter" for k in range(n)])


def picture(bid: str, box: Box) -> Block:
    return Block(bid, BlockType.PHOTO, box.polygon())


def three_columns() -> list[Block]:
    """Three columns of body text 300 wide, for the measure."""
    return [column(f"c{k}", k * 320, 1200, k * 320 + 300, 20) for k in range(3)]


def test_a_three_line_caption_under_a_picture_across_columns_is_its_caption():
    """Three lines in the body's size, set right under a two-column picture and as wide as it,
    no credit: no column of body text is that wide, so the picture governs it."""
    photo = picture("p", Box(0, 0, 620, 400))
    caption = column("k", 0, 412, 620, 3)
    blocks = [photo, caption, *three_columns()]
    captions_by_evidence(blocks, H)
    link_pictures(blocks, H)
    assert caption.type is BlockType.CAPTION and caption.caption_of == "p"
    assert all(b.type is BlockType.BODY for b in blocks[2:])


def test_under_a_one_column_picture_a_credit_or_smaller_type_tells_the_caption():
    photo = picture("p", Box(0, 0, 300, 250))
    under = column("k", 0, 262, 300, 4)
    blocks = [photo, under, *three_columns()]
    captions_by_evidence(blocks, H)
    assert under.type is BlockType.BODY  # the column's own text goes on under the picture
    credit = text("r", BlockType.CREDIT, 180, 262 + 4 * PITCH, 300, ["Foto: A. Keller"], size=0.75 * H)
    captions_by_evidence([photo, under, credit, *three_columns()], H)
    link_pictures([photo, under, credit], H)
    assert under.type is BlockType.CAPTION and under.caption_of == "p" and credit.credit_of == "p"
    small = text("s", BlockType.BODY, 0, 262, 300, ["Arbeiter auf der Baustelle", "am Morgen des Festes"],
                 size=0.85 * H)
    captions_by_evidence([photo, small, *three_columns()], H)
    assert small.type is BlockType.CAPTION


def test_a_caption_over_the_pictures_corner_is_linked_and_text_beside_it_left_to_the_roles():
    """Two lines in a corner of the picture are its caption; a column's lines that a picture's box
    reaches over along its edge (not in a corner) are not; beside a picture a column of body text
    stands as often as a caption, so the roles' word stands there."""
    photo = picture("p", Box(0, 0, 620, 400))
    over = column("o", 12, 330, 300, 2)
    edge = column("e", 8, 150, 300, 2)
    beside = text("b", BlockType.BODY, 640, 360, 940, ["Der Kran über der Altstadt", "am Montag"], size=0.85 * H)
    headline = text("h", BlockType.HEADLINE, 20, 20, 600, ["Grosse Schrift"], size=3 * H)
    blocks = [photo, over, edge, beside, headline, *three_columns()]
    captions_by_evidence(blocks, H)
    link_pictures(blocks, H)
    assert over.type is BlockType.CAPTION and over.caption_of == "p"
    assert edge.type is BlockType.BODY and beside.type is BlockType.BODY
    assert headline.type is BlockType.HEADLINE  # large type over a picture is no caption


def test_body_far_from_a_picture_or_longer_than_a_caption_stays_body():
    photo = picture("p", Box(0, 0, 620, 400))
    far = column("f", 0, 400 + 3 * H, 620, 3)
    long = column("l", 0, 412, 620, 12)
    captions_by_evidence([photo, far, long, *three_columns()], H)
    assert far.type is BlockType.BODY and long.type is BlockType.BODY


def inside_page(rule_under_head: bool) -> Page:
    """An inside page: a running head (folio, section, date, editor) over the page, a two-line
    feature headline across it, four columns of the story under it."""
    W = 1400
    folio = text("folio", BlockType.HEADLINE, 40, 40, 90, ["12"], size=2.4 * H)
    section = text("sec", BlockType.FURNITURE, 120, 60, 400, ["要闻"])
    date = text("date", BlockType.BODY, 520, 60, 900, ["2025年11月26日　星期三"])
    editor = text("ed", BlockType.BODY, 1100, 60, 1360, ["责任编辑：王芳"])
    head = text("h", BlockType.HEADLINE, 100, 160, 1300, ["秋粮丰收在望 农民喜笑颜开", "高标准农田建设提速"],
                size=3.2 * H)
    cols = [column(f"c{k}", 40 + k * 335, 160 + 2 * 3.2 * 1.3 * H + H, 40 + k * 335 + 315, 30) for k in range(4)]
    seps = [Separator("s1", Box(40, 115, W - 40, 118).polygon(), "horizontal")] if rule_under_head else []
    return Page(W, 2600, Source("inside.png", ""), blocks=[folio, section, date, editor, head, *cols],
                separators=seps)


def test_an_inside_pages_running_head_gives_its_fields_and_its_feature_headline_is_no_masthead():
    for ruled in (True, False):
        page = find_masthead(inside_page(ruled), H)
        types = {b.id: b.type for b in page.blocks}
        assert BlockType.MASTHEAD not in types.values(), ruled
        assert types["h"] is BlockType.HEADLINE, ruled
        assert all(types[i] is BlockType.FURNITURE for i in ("folio", "sec", "date", "ed")), ruled
        fields = {f.name: f.value for f in page.masthead}
        assert fields["date"] == "2025-11-26" and fields["weekday"] == "星期三", ruled


def test_a_front_pages_title_with_its_date_is_a_masthead():
    """A title over the page with the date and issue beside it, a rule under them: a masthead,
    with or without the rule (the date is evidence enough), and the lead story's headline under
    it is not part of it."""
    for ruled in (True, False):
        title = text("t", BlockType.HEADLINE, 100, 30, 700, ["昌吉日报"], size=5 * H)
        date = text("d", BlockType.BODY, 900, 40, 1300, ["2025年11月26日", "星期三　农历乙巳年十月初七",
                                                          "总第12384期　今日8版"])
        head = text("h", BlockType.HEADLINE, 40, 260, 1300, ["秋粮丰收在望"], size=3 * H)
        cols = [column(f"c{k}", 40 + k * 335, 340, 40 + k * 335 + 315, 30) for k in range(4)]
        seps = [Separator("s1", Box(40, 200, 1360, 206).polygon(), "horizontal")] if ruled else []
        page = find_masthead(Page(1400, 2000, Source("front.png", ""), blocks=[title, date, head, *cols],
                                  separators=seps), H)
        types = {b.id: b.type for b in page.blocks}
        assert types["t"] is BlockType.MASTHEAD and types["d"] is BlockType.MASTHEAD, ruled
        assert types["h"] is BlockType.HEADLINE, ruled
        fields = {f.name: f.value for f in page.masthead}
        assert fields["title"] == "昌吉日报" and fields["date"] == "2025-11-26" and fields["issue"] == "12384"


def test_a_caption_with_its_credit_inline_is_a_caption_not_a_credit():
    photo = picture("p", Box(0, 0, 620, 400))
    caption = text("k", BlockType.CREDIT, 0, 412, 620, ["10月25日，农民在田间收获玉米。近年来，全县大力推进",
                                                        "高标准农田建设，粮食产量稳步提高，农民收入",
                                                        "持续增加。本报记者 王伟 摄"])
    blocks = [photo, caption, *three_columns()]
    captions_by_evidence(blocks, H)
    link_pictures(blocks, H)
    assert caption.type is BlockType.CAPTION and caption.caption_of == "p"


def test_the_bundled_scans_three_line_caption_is_linked_by_the_structure_stage():
    """The sample front page's caption (three lines in the body's size, under the photo and as
    wide as it) through the roles and the caption evidence, from its ground truth's lines with
    every type taken away: linked to its photo, and the credit under it too."""
    from layoutkit.io.readers import read_layout
    from layoutkit.layout.classify import refine_types
    from layoutkit.structure.order import median_body
    from tests.conftest import ROOT

    truth = read_layout(ROOT / "samples" / "changji-2025-11-26-scan.gt.xml")
    page = read_layout(ROOT / "samples" / "changji-2025-11-26-scan.gt.xml")
    for b in page.blocks:
        b.caption_of = b.credit_of = None
        if b.type.is_text:
            b.type = BlockType.BODY
    refine_types(page.blocks, median_body(page), float(page.width), float(page.height))
    got = {b.id: b for b in page.blocks}
    caption = next(b for b in truth.blocks if b.caption_of)
    assert len(caption.lines) >= 3
    assert got[caption.id].type is BlockType.CAPTION and got[caption.id].caption_of == caption.caption_of
    credit = next(b for b in truth.blocks if b.credit_of)
    assert got[credit.id].credit_of == credit.credit_of


def _structure(page: Page) -> Page:
    """The structure stage as the pipeline runs it, on a page's ground-truth lines with every
    text type taken away (adverts kept: frames find them before) and no link or field left."""
    from layoutkit.layout.classify import refine_types
    from layoutkit.structure.order import median_body

    for b in page.blocks:
        b.caption_of = b.credit_of = None
        if b.type.is_text and b.type is not BlockType.ADVERT:
            b.type = BlockType.BODY
    page.masthead = []
    page.blocks = refine_types(page.blocks, median_body(page), float(page.width), float(page.height))
    return find_masthead(page, median_body(page))


def test_generated_inside_page_led_by_a_two_line_headline_has_no_masthead_but_its_running_heads_fields():
    """Dev seed 87: an inside page, its running head over a feature whose headline runs in two
    lines across the page."""
    import copy

    from samples.pagegen.corpus import split_of
    from samples.pagegen.newspaper import make_page

    assert split_of(87) == "dev"
    _, truth = make_page(87)
    head = next(b for b in truth.blocks if b.type is BlockType.HEADLINE)
    assert len(head.lines) == 2 and head.box.width > 0.5 * truth.width
    assert not any(b.type is BlockType.MASTHEAD for b in truth.blocks)
    page = _structure(copy.deepcopy(truth))
    assert not any(b.type is BlockType.MASTHEAD for b in page.blocks)
    assert next(b for b in page.blocks if b.id == head.id).type is BlockType.HEADLINE
    found = {f.name: f.value for f in page.masthead}
    assert all(found.get(f.name) == f.value for f in truth.masthead)
    assert {f.name for f in truth.masthead} >= {"date", "weekday"}


def test_generated_multi_line_caption_under_its_photo_is_linked():
    """Dev seed 1: a caption of four lines set under its photo and to its measure."""
    import copy

    from samples.pagegen.newspaper import make_page

    _, truth = make_page(1)
    caption = next(b for b in truth.blocks if b.caption_of)
    assert len(caption.lines) >= 3
    page = _structure(copy.deepcopy(truth))
    got = next(b for b in page.blocks if b.id == caption.id)
    assert got.type is BlockType.CAPTION and got.caption_of == caption.caption_of


def test_a_caption_under_one_pictures_measure_and_beside_anothers_foot_is_the_first_ones():
    wide = picture("a", Box(0, 0, 1000, 500))
    small = picture("b", Box(1030, 440, 1300, 700))
    caption = text("k", BlockType.CAPTION, 0, 560, 1000, ["Zuschauer säumen die Strecke beim Stadtlauf.",
                                                         "Die Stimmung war ausgezeichnet."])
    link_pictures([wide, small, caption], H)
    assert caption.caption_of == "a"

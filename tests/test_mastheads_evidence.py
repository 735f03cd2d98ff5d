"""Mastheads on the evidence a reader uses, on synthetic boxes (no image, no model) and a
generated inside page: a masthead is a title with its date or rule at a page's head, a running
head is furniture, and a story's headline is never a masthead however high and wide it stands."""

from __future__ import annotations

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



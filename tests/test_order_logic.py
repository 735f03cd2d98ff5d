"""Layout and order logic on synthetic boxes: no image, no model run, milliseconds each."""

from __future__ import annotations

import numpy as np

from layoutkit.layout.classify import link_pictures
from layoutkit.layout.columns import find_columns, spanned
from layoutkit.layout.grouping import chains, successors
from layoutkit.layout.gutters import WhiteRuns, gutter_cuts
from layoutkit.layout.linebox import boxed_line
from layoutkit.layout.roles import FEATURES as ROLE_FEATURES
from layoutkit.layout.roles import block_features
from layoutkit.layout.separators import rule_rows
from layoutkit.model import Block, BlockType, Box, Page, Separator, Source, String, TextLine
from layoutkit.structure.order import masthead_order
from layoutkit.structure.relations import Scene, decode, pair_features, precedence, topological, turned

H = 20.0  # a body line's height


def column_lines(x0: float, x1: float, top: float, n: int, pitch: float = 1.3 * H) -> list[Box]:
    return [Box(x0, top + k * pitch, x1, top + k * pitch + H) for k in range(n)]


def test_lines_follow_their_own_column_across_a_gutter_one_character_wide():
    left = column_lines(0, 300, 0, 8)
    right = column_lines(300 + H, 600, 0, 8)  # baselines on one grid, gutter one character wide
    lines = [boxed_line(b) for pair in zip(left, right, strict=True) for b in pair]
    runs = chains(successors(lines, [], 1000.0))
    texts = sorted(sorted(round(lines[i].box.x0) for i in run) for run in runs)
    assert texts == [[0] * 8, [320] * 8]
    for run in runs:  # each column read top to bottom
        assert [lines[i].box.y0 for i in run] == sorted(lines[i].box.y0 for i in run)


def test_a_line_run_over_the_gutter_joins_neither_column():
    left, right = column_lines(0, 300, 0, 6), column_lines(320, 600, 0, 6)
    merged = Box(0, 6 * 1.3 * H, 600, 6 * 1.3 * H + H)
    below_left, below_right = column_lines(0, 300, 7 * 1.3 * H, 3), column_lines(320, 600, 7 * 1.3 * H, 3)
    boxes = left + right + [merged] + below_left + below_right
    lines = [boxed_line(b) for b in boxes]
    nxt = successors(lines, [], 1000.0)
    m = boxes.index(merged)
    assert nxt[m] is None
    assert all(nxt[i] != m for i in range(len(lines)))
    assert nxt[boxes.index(left[0])] == boxes.index(left[1])


def test_a_rule_between_two_lines_ends_the_run():
    a, b = Box(0, 0, 300, H), Box(0, 2 * H, 300, 3 * H)
    rule = Box(0, 1.4 * H, 300, 1.5 * H)
    lines = [boxed_line(a), boxed_line(b)]
    assert successors(lines, [], 1000.0)[0] == 1
    assert successors(lines, [rule], 1000.0)[0] is None


def test_vertical_lines_run_right_to_left():
    cols = [Box(500 - k * 1.3 * H, 0, 500 - k * 1.3 * H + H, 400) for k in range(5)]
    lines = [boxed_line(b) for b in cols]
    for ln in lines:
        ln.vertical = True
    (run,) = chains(successors(lines, [], 1000.0))
    assert run == [0, 1, 2, 3, 4]


def two_column_story() -> tuple[list[Box], list[str]]:
    """A headline over two columns, a rule, then a second story over both columns."""
    boxes = [Box(0, 0, 620, 60),                      # headline 1
             Box(0, 80, 300, 500), Box(320, 80, 620, 500),   # its two columns
             Box(0, 540, 620, 580),                    # headline 2 (under a rule)
             Box(0, 600, 300, 900), Box(320, 600, 620, 900)]
    return boxes, ["h1", "c1", "c2", "h2", "d1", "d2"]


def test_breuel_order_reads_columns_within_what_spans_them():
    boxes, names = two_column_story()
    rule = Box(0, 520, 620, 522)
    frame = Box.rows([*boxes, rule])
    order = [i for i in topological(precedence(frame), frame) if i < len(boxes)]
    assert [names[i] for i in order] == ["h1", "c1", "c2", "h2", "d1", "d2"]


def test_columns_that_overlap_by_a_lean_still_read_in_order():
    # On warped paper the left column's foot reaches a few pixels past the right column's head.
    boxes = [Box(0, 0, 305, 400), Box(300, 0, 600, 400), Box(0, 420, 600, 460)]
    frame = Box.rows(boxes)
    assert topological(precedence(frame), frame) == [0, 1, 2]


def test_vertical_page_frame_reads_columns_right_to_left_and_tiers_down():
    width = 1000.0
    tier1 = [Box(900, 0, 920, 300), Box(870, 0, 890, 300)]  # two vertical lines, right one first
    tier2 = [Box(900, 350, 920, 600)]
    frame = turned(tier1 + tier2, width)
    assert topological(precedence(frame), frame) == [0, 1, 2]


def test_greedy_decoder_recovers_a_consistent_order():
    rng = np.random.default_rng(3)
    truth = rng.permutation(12)
    place = np.empty(12)
    place[truth] = np.arange(12)
    p = np.where(place[:, None] < place[None, :], 0.9, 0.1)
    np.fill_diagonal(p, 0.5)
    assert decode(p) == list(truth)


def test_geometry_holds_a_column_together_against_a_doubtful_model():
    """Errors on far pairs, summed over a long column, outweigh what the model says of neighbours:
    unconstrained, the greedy decoder reads the column's foot first; the geometric relation, which
    the model is not sure enough to override, keeps the column in order."""
    n = 8
    p = np.full((n, n), 0.6)
    p[np.tril_indices(n, -1)] = 0.4
    p[n - 1, :] = 0.8  # the foot wrongly held likelier before the blocks far above it
    p[:, n - 1] = 0.2
    p[n - 2, n - 1], p[n - 1, n - 2] = 0.7, 0.3  # ... and rightly after the block just above
    np.fill_diagonal(p, 0.5)
    column = np.triu(np.ones((n, n), dtype=bool), 1)  # geometry: each block above all below it
    assert decode(p)[0] == n - 1
    assert decode(p, column) == list(range(n))


def test_the_model_picks_among_what_geometry_leaves_open():
    """Two stories geometry does not order (neither above nor left of the other's run) and a block
    under the first: the model says which story comes first; the block under it stays after it."""
    a, under_a, b = 0, 1, 2
    p = np.full((3, 3), 0.5)
    p[b, a], p[a, b] = 0.8, 0.2
    p[b, under_a], p[under_a, b] = 0.8, 0.2
    p[under_a, a], p[a, under_a] = 0.7, 0.3  # the model errs on the column: geometry holds it
    geometry = np.zeros((3, 3), dtype=bool)
    geometry[a, under_a] = True
    assert decode(p, geometry) == [b, a, under_a]


def test_masthead_read_row_by_row():
    """A strip above the title (number left, date right), the title, the ears under it and an info
    strip under them: rows top to bottom, each left to right, whatever order the blocks come in.
    A title whose box reaches up into the strip still comes after it; a title set above the date
    and number that flank the space under it comes before them."""
    def block(bid: str, box: Box) -> Block:
        return Block(bid, BlockType.MASTHEAD, box.polygon(), [TextLine(box.polygon())])

    def order(blocks: list[Block]) -> list[str]:
        page = Page(2000, 3000, Source("m.png", ""), blocks=blocks)
        return [b.id for b in masthead_order(page, blocks, H)]

    strip = [block("number", Box(0, 20, 500, 80)), block("date", Box(1500, 20, 2000, 80))]
    ears = [block("ear-left", Box(0, 300, 400, 380)), block("ear-right", Box(1600, 300, 2000, 380))]
    info = block("info", Box(0, 420, 1200, 450))
    title = block("title", Box(0, 100, 2000, 280))
    assert order([ears[1], info, title, strip[1], ears[0], strip[0]]) == [
        "number", "date", "title", "ear-left", "ear-right", "info"]
    tall = block("title", Box(0, 60, 2000, 280))  # its box reaches up over the strip's foot
    assert order([tall, *strip]) == ["number", "date", "title"]
    high = block("title", Box(600, 20, 1400, 170))
    low = [block("weekday", Box(0, 180, 550, 230)), block("issue", Box(1450, 180, 2000, 230))]
    assert order([*low, high]) == ["title", "weekday", "issue"]


def test_pair_features_are_measured_in_type_sizes():
    boxes, _ = two_column_story()
    blocks = [Block(f"b{i}", BlockType.BODY, b.polygon(), [TextLine(Box(b.x0, b.y0, b.x1, b.y0 + H).polygon())])
              for i, b in enumerate(boxes)]
    small = Scene.of(blocks, [], False, 620.0, 900.0, H)
    scaled = [Block(b.id, b.type, [(2 * x, 2 * y) for x, y in b.polygon],
                    [TextLine([(2 * x, 2 * y) for x, y in ln.polygon]) for ln in b.lines]) for b in blocks]
    large = Scene.of(scaled, [], False, 1240.0, 1800.0, 2 * H)
    assert np.allclose(pair_features(small), pair_features(large), atol=1e-4)


def test_rule_pieces_in_one_row_make_one_rule():
    pieces = [Separator("a", Box(0, 100, 400, 103).polygon(), "horizontal"),
              Separator("b", Box(450, 101, 900, 104).polygon(), "horizontal"),
              Separator("c", Box(0, 500, 200, 503).polygon(), "horizontal")]
    rows = rule_rows(pieces, H)
    assert len(rows) == 2 and rows[0].x0 == 0 and rows[0].x1 == 900


def test_a_gutter_stays_open_past_a_hyphen_reaching_into_it():
    ink = np.zeros((400, 640), dtype=np.uint8)
    for k in range(12):  # two justified columns, x 20-300 and 316-620, gutter 16 px
        y = 10 + k * 30
        ink[y:y + 14, 20:300] = 255
        ink[y:y + 14, 316:620] = 255
    ink[130:133, 300:306] = 255  # a hyphen at one line's end, into the gutter
    rivers = WhiteRuns.of(ink, 14.0)
    merged = Box(20, 160, 620, 174)
    others = [Box(20, 10 + k * 30, 620, 24 + k * 30) for k in range(12)]
    cuts = gutter_cuts(merged, rivers, others)
    assert len(cuts) == 1 and 296 <= cuts[0][0] <= 310 and 306 <= cuts[0][1] <= 320


def test_role_features_are_measured_in_type_sizes_and_page_shares():
    def page(scale: float) -> list[Block]:
        def block(i: int, box: Box, lines: int, text: str) -> Block:
            h = box.height / lines
            tl = [TextLine(Box(box.x0, box.y0 + k * h, box.x1, box.y0 + (k + 1) * h).polygon(), strings=[
                String(text, Box(box.x0, box.y0 + k * h, box.x1, box.y0 + (k + 1) * h), 0.9)]) for k in range(lines)]
            return Block(f"b{i}", BlockType.BODY, box.polygon(), tl)

        boxes = [(Box(0, 0, 620, 60), 1, "Headline"), (Box(0, 80, 300, 500), 16, "running text."),
                 (Box(320, 80, 620, 500), 16, "more text"), (Box(0, 510, 300, 530), 1, "Von Anna Keller")]
        out = [block(i, Box(b.x0 * scale, b.y0 * scale, b.x1 * scale, b.y1 * scale), n, t)
               for i, (b, n, t) in enumerate(boxes)]
        out.append(Block("p", BlockType.PHOTO, Box(320 * scale, 520 * scale, 620 * scale, 700 * scale).polygon()))
        return out

    small = block_features(page(1.0), 620.0, 900.0, H)
    large = block_features(page(2.0), 1240.0, 1800.0, 2 * H)
    assert small.shape == (4, len(ROLE_FEATURES))
    assert np.allclose(small, large, atol=1e-4)
    byline = ROLE_FEATURES.index("byline")
    assert small[3, byline] == 1.0 and small[1, byline] == 0.0


def test_a_caption_set_to_its_pictures_measure():
    """Text under a picture and set to its width stands at no distance from the picture's measure;
    a column narrower than the picture stands far from it; a credit under the text is seen."""
    photo = Block("p", BlockType.PHOTO, Box(0, 0, 600, 400).polygon())

    def text(bid: str, box: Box, words: str) -> Block:
        return Block(bid, BlockType.BODY, box.polygon(), [TextLine(box.polygon(), strings=[String(words, box, 0.9)])])

    caption = text("c", Box(2, 420, 598, 440), "Workers at the plant.")
    credit = text("r", Box(450, 450, 600, 470), "Photo: A. Keller")
    column = text("k", Box(0, 420, 290, 900), "The text runs on.")
    feats = block_features([photo, caption, credit, column], 1200.0, 2000.0, H)
    span, near = ROLE_FEATURES.index("photo_span"), ROLE_FEATURES.index("credit_near")
    assert feats[0, span] < 0.5 < 10 < feats[2, span]
    assert feats[0, near] == 1.0 and feats[2, near] == 0.0


def test_captions_and_credits_tie_to_the_picture_they_stand_by():
    photo = Block("p", BlockType.PHOTO, Box(0, 0, 300, 200).polygon())
    other = Block("q", BlockType.PHOTO, Box(400, 0, 700, 200).polygon())
    def text(bid: str, kind: BlockType, box: Box) -> Block:
        return Block(bid, kind, box.polygon(), [TextLine(box.polygon())])

    caption = text("c", BlockType.CAPTION, Box(0, 210, 300, 250))
    credit = text("r", BlockType.CREDIT, Box(200, 255, 300, 275))
    beside = text("d", BlockType.CAPTION, Box(710, 20, 800, 120))
    far = text("e", BlockType.CAPTION, Box(0, 900, 300, 940))
    link_pictures([photo, other, caption, credit, beside, far], H)
    assert caption.caption_of == "p" and credit.credit_of == "p" and beside.caption_of == "q"
    assert far.caption_of is None


def test_one_line_blocks_stand_in_columns_but_found_none():
    """Two columns of body text; a centred one-line subhead inside the left one and a paragraph's
    last line under its foot: two columns, and each block stands in exactly one."""
    def body(bid: str, box: Box, lines: int) -> Block:
        h = box.height / lines
        rows = [Box(box.x0, box.y0 + k * h, box.x1, box.y0 + (k + 1) * h) for k in range(lines)]
        return Block(bid, BlockType.BODY, box.polygon(), [TextLine(r.polygon()) for r in rows])

    blocks = [body("l1", Box(0, 0, 300, 400), 15), body("sub", Box(60, 420, 240, 445), 1),
              body("l2", Box(0, 460, 300, 900), 16), body("last", Box(0, 910, 120, 935), 1),
              body("r", Box(320, 0, 620, 935), 34)]
    columns = find_columns(blocks, [])
    assert len(columns) == 2
    assert all(len(spanned(b.box, columns)) == 1 for b in blocks)

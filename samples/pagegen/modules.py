"""The kinds of module a horizontal page is made of, each drawn into its area with its ground
truth: a story (kicker, headline, subheadline, byline, body, maybe a photo, a jump line), a story
under a vertical headline, a boxed story, a brief column, an advert."""

from __future__ import annotations

from itertools import pairwise

from layoutkit.model import BlockType, Box

from .figures import photo_slots
from .sheet import Sheet, Story
from .stories import (
    Style,
    column,
    flow,
    headline_lines,
    line_height,
    paragraphs,
    place_lines,
    set_block,
)
from .typeset import Face, SetLine, Text, draw_vertical, set_lines, set_vertical


def columns_in(style: Style, x0: float, x1: float, y0: float, y1: float, n: int) -> list[Box]:
    """n equal columns with the page's gutter between them."""
    w = (x1 - x0 - (n - 1) * style.gutter) / n
    return [column(x0 + k * (w + style.gutter), x0 + k * (w + style.gutter) + w, y0, y1) for k in range(n)]


def decks(sheet: Sheet, story: Story, style: Style, x0: float, x1: float, y: float, size: float,
          topic: str, room: float, feature: bool = False) -> float:
    """Kicker, headline, subheadline and byline over [x0, x1] from y, within `room` pixels of
    height (the optional decks are left out where they would not fit); the y under them. `size`
    is the headline's largest size in body sizes. A feature's headline is two lines across the
    page, each a headline of its own in one large face."""
    rng, prose = style.rng, style.prose
    width = x1 - x0
    align = "center" if style.heads_centred else "left"
    family = style.heads[int(rng.integers(len(style.heads)))]
    gap = 0.35 * style.pitch
    bottom = y + room
    kicker = style.face(style.sans if style.cjk else style.heads[0], min(1.5, max(1.1, size * 0.4)))
    if rng.random() < 0.35 and y + 3 * kicker.size < bottom - size * style.body.size * 1.2:
        _, y = set_block(sheet, story, BlockType.KICKER, Text.of((prose.one("kickers"), kicker)), x0, width, y,
                         align=align, max_lines=1)
        y += gap
    if feature:
        texts = [prose.headline(topic), prose.headline(topic)]
        face = style.face(family, size, style.ink())
        widest = max(face.advance(t) for t in texts)
        # Set large across the page: most of its width, up to eight body sizes high.
        fill = float(rng.uniform(0.7, 0.92))
        face = face.scaled(max(style.body.size, min(8 * style.body.size, round(face.size * fill * width / widest))))
        lines = [set_lines(Text.of((t, face)), 1e9, justify=False)[0] for t in texts]
    else:
        lines = headline_lines(style, prose.headline(topic), family, width, 1.2, size, style.ink(), room=bottom - y)
    block, y = place_lines(sheet, story, BlockType.HEADLINE, lines, x0, width, y, align=align, leading=1.15)
    story.title = ("" if style.cjk else " ").join(ln.text for ln in block.lines)
    sub = style.face(style.serif if style.cjk else style.italic, min(1.8, max(1.1, size * 0.45)))
    if rng.random() < 0.35 and y + 2 * sub.size * 1.25 + gap < bottom:
        _, y = set_block(sheet, story, BlockType.SUBHEADLINE, Text.of((prose.one("subheadlines"), sub)),
                         x0 + gap, width - 2 * gap, y + gap, align=align, max_lines=2)
    byline = style.face(style.sans if style.cjk else style.italic, 0.95)
    if rng.random() < 0.5 and y + 1.5 * byline.size + gap < bottom:
        _, y = set_block(sheet, story, BlockType.BYLINE, Text.of((prose.one("bylines"), byline)), x0, width,
                         y + gap, max_lines=1)
    return y + 0.6 * style.pitch


def news_story(sheet: Sheet, style: Style, cols: list[Box], head: tuple[float, float], *,
               jump_to: bool = False, jump_from: bool = False, allow_photo: bool = True,
               feature: bool = False) -> None:
    """A story whose decks stand over [head] at the top of its columns; columns under the decks
    start below them, the others (an L-shaped story's wrap) where they start. A feature (an inside
    page's lead) has a two-line headline across the page."""
    rng = style.rng
    story = sheet.story()
    topic = style.prose.topic()
    top = min(c.y0 for c in cols)
    span_cols = sum(1 for c in cols if c.x0 >= head[0] - 1 and c.x1 <= head[1] + 1)
    size = float(rng.uniform(*{1: (1.6, 2.4), 2: (2.2, 3.4)}.get(span_cols, (3.0, 5.5))))
    # The decks take at most 40 % of the story's depth, so that its columns keep some lines.
    y = decks(sheet, story, style, head[0], head[1], top, size, topic,
              0.4 * (min(c.y1 for c in cols) - top), feature)
    cols = [column(c.x0, c.x1, y if (c.x0 >= head[0] - 1 and c.x1 <= head[1] + 1) else c.y0, c.y1) for c in cols]
    if jump_from:
        face = style.face(style.sans if style.cjk else style.serif, 0.9)
        _, bottom = set_block(sheet, story, BlockType.FURNITURE,
                              Text.of((style.prose.fill(style.prose.data["jump_from"]), face)),
                              cols[0].x0, cols[0].width, cols[0].y0, max_lines=1)
        cols[0] = column(cols[0].x0, cols[0].x1, bottom + 0.4 * style.pitch, cols[0].y1)
    if jump_to:
        last = cols[-1]
        cols[-1] = column(last.x0, last.x1, last.y0, last.y1 - style.pitch)
    height = max(c.y1 - c.y0 for c in cols)
    slots = photo_slots(sheet, story, style, cols, topic) if allow_photo and height > 18 * style.pitch \
        and rng.random() < 0.6 else list(cols)
    jump = style.prose.fill(style.prose.data["jump_to"]) if jump_to else None
    flow(sheet, story, style, slots, paragraphs(style, topic), subheads=height > 30 * style.pitch, jump=jump)
    if style.column_rules:
        rule_gutters(sheet, style, cols, story.holes)


def rule_gutters(sheet: Sheet, style: Style, cols: list[Box], holes: list[Box] = ()) -> None:
    """Rules down the middle of the gutters between neighbouring columns, over their common
    height, broken where a picture stands across the gutter."""
    w = style.rule_width()
    for a, b in pairwise(cols):
        if b.x0 > a.x1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 3 * style.pitch:
            x = (a.x1 + b.x0) / 2 - w / 2
            spans = [(max(a.y0, b.y0), min(a.y1, b.y1))]
            for hole in holes:
                if hole.x0 <= x <= hole.x1:
                    spans = [piece for y0, y1 in spans
                             for piece in ((y0, min(y1, hole.y0)), (max(y0, hole.y1), y1))]
            for y0, y1 in spans:
                if y1 - y0 > 3 * style.pitch:
                    sheet.rule(x, y0, x + w, y1)


def vertical_head_story(sheet: Sheet, style: Style, area: Box, side: str) -> None:
    """A CJK story under a vertical headline set at its right or left, read before the text."""
    rng = style.rng
    story = sheet.story()
    topic = style.prose.topic()
    title = style.prose.headline(topic).replace(" ", "")
    story.title = title
    face = style.face(style.heads[int(rng.integers(len(style.heads)))], float(rng.uniform(2.2, 3.4)), style.ink())
    pitch = face.size * 1.08
    text = Text.of((title, face))
    avail = area.height - 2 * style.pitch
    vlines = set_vertical(text, avail, pitch, justify=False)
    if len(vlines) > 2:
        return news_story(sheet, style, columns_in(style, area.x0, area.x1, area.y0, area.y1, 2),
                          (area.x0, area.x1))
    strip = len(vlines) * face.size * 1.2 + style.gutter
    x_right = area.x1 - face.size if side == "right" else area.x0 + strip - style.gutter - face.size
    lines = [draw_vertical(sheet.canvas, text, cells, x_right - k * face.size * 1.2, area.y0 + style.pitch)
             for k, cells in enumerate(vlines)]
    sheet.add(story, BlockType.HEADLINE, lines)
    bx0, bx1 = (area.x0, area.x1 - strip) if side == "right" else (area.x0 + strip, area.x1)
    y = area.y0
    if rng.random() < 0.6:
        byface = style.face(style.sans, 0.95)
        _, y = set_block(sheet, story, BlockType.BYLINE, Text.of((style.prose.one("bylines"), byface)), bx0,
                         bx1 - bx0, y, max_lines=1)
        y += 0.6 * style.pitch
    n = max(1, min(3, int((bx1 - bx0) / (style.body.size * 12))))
    cols = columns_in(style, bx0, bx1, y, area.y1, n)
    flow(sheet, story, style, list(cols), paragraphs(style, topic))
    if style.column_rules:
        rule_gutters(sheet, style, cols)


def boxed_story(sheet: Sheet, style: Style, area: Box) -> None:
    """A story in a ruled or shaded frame: headline and one to three columns inside."""
    rng = style.rng
    shaded = rng.random() < 0.4
    ruled = not shaded or rng.random() < 0.4
    if shaded:
        tint = (236, 236, 236) if not style.colour else tuple(int(v) for v in rng.choice(
            [(236, 236, 236), (250, 236, 226), (228, 238, 250)]))
        sheet.canvas.draw.rectangle((area.x0, area.y0, area.x1, area.y1), fill=sheet.canvas.ink(tint))
    if ruled:
        sheet.frame(area, style.rule_width() * (2 if rng.random() < 0.3 else 1), double=rng.random() < 0.2)
    pad = max(style.body.size * 0.9, style.rule_width() * 6 + 4)
    inner = Box(area.x0 + pad, area.y0 + pad, area.x1 - pad, area.y1 - pad)
    n = max(1, min(3, int(inner.width / (style.body.size * (11 if style.cjk else 16)))))
    cols = columns_in(style, inner.x0, inner.x1, inner.y0, inner.y1, n)
    news_story(sheet, style, cols, (inner.x0, inner.x1), allow_photo=False)


def brief_column(sheet: Sheet, style: Style, area: Box) -> None:
    """News in brief: a heading over short items that open with a bold lead-in, no headlines."""
    rng, prose = style.rng, style.prose
    story = sheet.story()
    key = "brief_heads_historic" if prose.voice == "de-historic" else "brief_heads"
    title = prose.one(key)
    story.title = title
    face = style.face(style.heads[0] if not style.cjk else style.sans, 1.6, style.ink())
    reverse = style.cjk and rng.random() < 0.3
    if reverse:
        bar = Box(area.x0, area.y0, area.x1, area.y0 + line_height(face) * 1.5)
        sheet.canvas.draw.rectangle((bar.x0, bar.y0, bar.x1, bar.y1), fill=face.fill(sheet.canvas))
        face = Face(face.family, face.size, (255, 255, 255))
        _, y = set_block(sheet, story, BlockType.HEADLINE, Text.of((title, face)), area.x0, area.width,
                         bar.y0 + line_height(face) * 0.25, align="center", max_lines=1)
        y = bar.y1
    else:
        _, y = set_block(sheet, story, BlockType.HEADLINE, Text.of((title, face)), area.x0, area.width, area.y0,
                         align="center", max_lines=1)
    y += 0.6 * style.pitch
    topics = [prose.topic() for _ in range(6)]

    def lead_in() -> str:
        if style.cjk:
            return str(rng.choice(["本报讯 ", "■", "●"])) if rng.random() < 0.4 else \
                "【" + prose.headline(topics[0]).split(" ")[0] + "】"
        return str(rng.choice(prose.data["places"])) + ". – "

    n = max(1, min(2, int(area.width / (style.body.size * (12 if style.cjk else 18)))))
    cols = columns_in(style, area.x0, area.x1, y, area.y1, n)
    flow(sheet, story, style, list(cols), paragraphs(style, topics[1], lead_in), gap=0.5 * style.pitch)


def advert(sheet: Sheet, style: Style, area: Box) -> None:
    """An advert in several type sizes: a name, a slogan, wares with prices, a telephone number,
    an address; framed or not, centred in its area."""
    rng, prose = style.rng, style.prose
    ads = prose.data["adverts"]
    story = sheet.story()
    framed = rng.random() < 0.65
    pad = style.body.size * (1.0 if framed else 0.3)
    inner = Box(area.x0 + pad, area.y0 + pad, area.x1 - pad, area.y1 - pad)
    ink = style.ink()
    # Type grows with the advert: the name takes most of its width, the wares fill its height.
    scale = max(1.0, min(inner.width / (style.body.size * 14), inner.height / (style.body.size * 9)))
    rows: list[tuple[str, Face]] = [
        (prose.fill(str(rng.choice(ads["names"]))),
         style.face(style.heads[-1], float(rng.uniform(2.0, 3.2)) * scale, ink)),
        (prose.fill(str(rng.choice(ads["slogans"]))), style.face(style.sans, float(rng.uniform(1.3, 1.8)) * scale)),
    ]
    for _ in range(int(rng.integers(1, 3 + int(scale)))):
        rows.append((prose.fill(str(rng.choice(ads["items"]))) + ("　" if style.cjk else " ")
                     + prose.fill(str(rng.choice(ads["prices"]))), style.face(style.serif, 1.1 * scale ** 0.5)))
    rows.append((prose.fill(str(rng.choice(ads["phones"]))),
                 style.face(style.sans, float(rng.uniform(1.0, 1.4)) * scale ** 0.7)))
    rows.append((prose.fill(str(rng.choice(ads["addresses"]))), style.face(style.serif, 0.95 * scale ** 0.5)))
    lines = []
    for text, face in rows:
        set_ = _fit_line(style, text, face, inner.width)
        if set_ is not None:
            lines.append(set_)
    total = sum(max(ln.pieces[0].face.size * 1.35, line_height(ln.pieces[0].face) + 1) for ln in lines)
    while lines and total > inner.height:
        dropped = lines.pop(2 if len(lines) > 3 else -1)
        total -= max(dropped.pieces[0].face.size * 1.35, line_height(dropped.pieces[0].face) + 1)
    if not lines:
        return
    if framed:
        sheet.frame(area, style.rule_width() * int(rng.integers(1, 4)), double=rng.random() < 0.3)
    y = inner.y0 + (inner.height - total) / 2
    block, _ = place_lines(sheet, story, BlockType.ADVERT, lines, inner.x0, inner.width, y, align="center",
                           leading=1.35)
    if framed:
        block.polygon = area.polygon()


def _fit_line(style: Style, text: str, face: Face, width: float) -> SetLine | None:
    """The text on one line, its face shrunk until it fits (None where even small type does not)."""
    while face.size >= style.body.size * 0.8:
        lines = set_lines(Text.of((text, face)), width, justify=False)
        if len(lines) == 1:
            return lines[0]
        face = face.scaled(round(face.size * 0.88))
    return None

"""Chinese pages set vertically, in the manner of the Republican-era tabloids (晶報, 1939).

The page is divided into horizontal tiers by rules; inside a tier, articles stand side by side and
are read right to left, each a set of vertical lines read right to left under (beside) a vertical
headline at its right in bigger, bold type, sometimes with a horizontal headline over it. The
masthead (a vertical title with the date lines beside it) takes the top right corner, adverts are
framed boxes of vertical lines in several sizes, a photo now and then stands at the head of an
article's first lines with its caption under it. Traditional characters, Chinese numerals.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from layoutkit.model import BlockType, Box, Page
from layoutkit.structure.numerals import WEEKDAY_NAMES as WEEKDAYS_ZH

from .mastheads import random_date
from .paper import FORMATS, geometry
from .pictures import photo
from .prose import Prose, chinese_number
from .sheet import Sheet, Story
from .stories import BLACK, RED, Style, set_block
from .synth import Canvas
from .typeset import Face, Text, draw_vertical, set_vertical


def vertical_page(rng: np.random.Generator, name: str, split: str = "dev") -> tuple[np.ndarray, Page]:
    geo = geometry(rng, FORMATS["zhv"], float(rng.uniform(9.0, 11.0)))
    size = geo.body_px
    prose = Prose("era", rng, split)
    colour = rng.random() < 0.15
    style = Style(prose=prose, body=Face("hant-serif", size), bold=Face("hant-sans-bold", size),
                  pitch=size * float(rng.uniform(1.3, 1.55)), indent=2 * size,
                  heads=["hant-serif-bold", "hant-sans-bold"], sans="hant-sans", serif="hant-serif",
                  italic="hant-serif", inks=[RED], gutter=size * 1.2, column_rules=False, halftone=True, colour=colour)
    sheet = Sheet(Canvas(geo.width, geo.height, "RGB" if colour else "L"), rng)
    margin = geo.width * float(rng.uniform(0.04, 0.06))
    area = Box(margin, margin, geo.width - margin, geo.height - margin)
    char_pitch = size * float(rng.uniform(1.0, 1.08))
    tiers = int(rng.integers(2, 5))
    shares = rng.dirichlet(np.full(tiers, 5.0))
    ys = [area.y0 + float(v) for v in np.cumsum(np.concatenate([[0.0], shares])) * area.height]
    rule_w = max(1, round(size * 0.1))
    gap = size * 0.8
    day = random_date(style, 1919, 1948)
    for t in range(tiers):
        y0, y1 = ys[t] + (gap if t else 0), ys[t + 1] - (gap if t < tiers - 1 else 0)
        if t:
            sheet.rule(area.x0, ys[t] - rule_w / 2, area.x1, ys[t] + rule_w / 2 + 1)
        x1 = area.x1
        if t == 0:
            x1 = masthead(sheet, style, Box(area.x1 - area.width * float(rng.uniform(0.18, 0.28)), y0, area.x1, y1),
                          day) - gap
            sheet.rule(x1 + gap / 2 - rule_w / 2, y0, x1 + gap / 2 + rule_w / 2 + 1, y1)
        while x1 - area.x0 > 6 * style.pitch:
            lines = int(rng.integers(6, 30))
            x0 = max(area.x0, x1 - lines * style.pitch)
            if x0 - area.x0 < 6 * style.pitch:
                x0 = area.x0
            box = Box(x0, y0, x1, y1)
            if rng.random() < 0.15 and box.width < 16 * style.pitch:
                vertical_advert(sheet, style, box)
            else:
                article(sheet, style, box, char_pitch)
            x1 = x0 - gap
            if x1 - area.x0 > 6 * style.pitch and rng.random() < 0.7:
                sheet.rule(x1 + gap / 2 - rule_w / 2, y0, x1 + gap / 2 + rule_w / 2 + 1, y1)
    return sheet.page(name + ".png", geo.dpi)


def _vlines(sheet: Sheet, text: Text, x_right: float, y: float, length: float, pitch: float, step: float,
            indent: int = 0, justify: bool = True, max_lines: int | None = None) -> list:
    """Vertical lines of `text` from x_right leftwards, each `step` apart."""
    out = []
    for k, cells in enumerate(set_vertical(text, length, pitch, indent, justify, max_lines)):
        out.append(draw_vertical(sheet.canvas, text, cells, x_right - k * step, y))
    return out


def masthead(sheet: Sheet, style: Style, area: Box, day: dt.date) -> float:
    """The title in big vertical characters at the right, the date lines beside it; a frame
    around both. Returns the masthead's left edge."""
    rng, prose = style.rng, style.prose
    story = sheet.story()
    title = str(rng.choice(prose.data["titles"]))
    ink = RED if style.colour else BLACK
    t_size = min(area.width * 0.45, (area.height - 2 * style.body.size) / (len(title) * 1.05))
    tface = Face("hant-serif-bold", round(t_size), ink)
    pad = style.body.size
    x = area.x1 - pad - tface.size
    text = Text.of((title, tface))
    lines = _vlines(sheet, text, x, area.y0 + pad, area.height - 2 * pad, tface.size * 1.05, tface.size * 1.1,
                    justify=False)
    x -= tface.size * 1.1 * (len(lines) - 1)
    sheet.field("title", title, title, sheet.add(story, BlockType.MASTHEAD, lines))
    small = Face("hant-serif", round(style.body.size * 1.2))
    republic = day.year - 1911
    date_text = f"中華民國{chinese_number(republic)}年{chinese_number(day.month)}月{chinese_number(day.day)}日"
    weekday = "星期" + WEEKDAYS_ZH[day.weekday()]
    issue = int(rng.integers(100, 6000))
    issue_text = f"第{chinese_number(issue)}號"
    x -= small.size * 1.6
    for field, value, printed in (("date", day.isoformat(), date_text), ("weekday", weekday, weekday),
                                  ("issue", str(issue), issue_text)):
        lines = _vlines(sheet, Text.of((printed, small)), x, area.y0 + pad, area.height - 2 * pad,
                        small.size * 1.05, small.size * 1.5, justify=False)
        block = sheet.add(story, BlockType.MASTHEAD, lines)
        sheet.field(field, value, printed, block)
        x -= small.size * 1.5 * len(lines)
    price = Text.of((str(rng.choice(prose.data["price_texts"])), small))
    lines = _vlines(sheet, price, x, area.y0 + pad, area.height - 2 * pad, small.size * 1.05, small.size * 1.5,
                    justify=False)
    sheet.add(story, BlockType.MASTHEAD, lines)
    left = min(ln.box.x0 for ln in lines) - pad
    sheet.frame(Box(left, area.y0, area.x1, area.y1), max(1, round(style.body.size * 0.12)))
    return left


def article(sheet: Sheet, style: Style, box: Box, char_pitch: float) -> None:
    """Vertical lines read right to left under a vertical headline at the right, maybe a
    horizontal headline over all, maybe a photo with its caption heading the first lines."""
    rng, prose = style.rng, style.prose
    story = sheet.story()
    topic = prose.topic()
    title = prose.headline(topic)
    story.title = title
    size = style.body.size
    y0 = box.y0
    if rng.random() < 0.25 and box.width > 10 * style.pitch:
        face = style.face("hant-serif-bold", float(rng.uniform(1.8, 2.4)), style.ink())
        _, bottom = set_block(sheet, story, BlockType.HEADLINE, Text.of((title, face)), box.x0, box.width, y0,
                              align="center", max_lines=1)
        y0 = bottom + size * 0.6
        title = prose.one("subheadlines")
        head_type = BlockType.SUBHEADLINE
    else:
        head_type = BlockType.HEADLINE
    hface = style.face(str(rng.choice(style.heads)), float(rng.uniform(1.5, 2.4)), style.ink())
    length = box.y1 - y0
    head = _vlines(sheet, Text.of((title, hface)), box.x1 - hface.size, y0, length, hface.size * 1.05,
                   hface.size * 1.25, justify=False, max_lines=2)
    sheet.add(story, head_type, head)
    x = min(ln.box.x0 for ln in head) - style.pitch * 0.6 - size
    slots = int((x - box.x0) // style.pitch) + 1
    tops = [y0] * slots
    photo_at = None
    if rng.random() < 0.3 and slots > 10:
        k = int(rng.integers(4, min(9, slots - 4)))
        first = int(rng.integers(0, slots - k))
        pic_h = length * float(rng.uniform(0.3, 0.45))
        # The caption under the picture: one centred line, a few lines as wide as the picture,
        # several short vertical lines read right to left across it, or none.
        kind = str(rng.choice(["line", "lines", "vertical", "vertical", "none"]))
        chars = int(rng.integers(4, 11))
        under = {"line": size * 2.8, "lines": size * (1.6 + 1.3 * int(rng.integers(2, 4))),
                 "vertical": size * (1.6 + 1.05 * chars), "none": size * 1.2}[kind]
        photo_at = (first, k, pic_h, kind, under)
        for s in range(first, first + k):
            tops[s] = y0 + pic_h + under
    source = prose.paragraphs(topic)
    breaks = {photo_at[0], photo_at[0] + photo_at[1]} if photo_at else set()
    text: Text | None = None
    offset = 0
    lines: list = []
    previous = None

    def flush(continues: bool) -> None:
        nonlocal lines, previous
        if lines:
            block = sheet.add(story, BlockType.BODY, lines)
            if previous is not None:
                previous.next_block = block.id
            previous = block if continues else None
        lines = []

    for s in range(slots):
        if s in breaks:
            flush(True)
        if photo_at and s == photo_at[0]:
            _photo(sheet, story, style, x - (s + photo_at[1] - 1) * style.pitch, x - s * style.pitch + size, y0,
                   photo_at[2], photo_at[3], photo_at[4])
        if text is None:
            text, offset = Text.of((prose.join(next(source)), style.body)), 0
            # The last paragraph is cut to the whole sentences that fit in the lines left.
            ends = [i + 1 for i, ch in enumerate(text.chars) if ch in "。！？"]
            fitting = [e for e in ends if _lines_needed(text, e, box.y1 - tops[s], char_pitch) <= slots - s]
            if not fitting:
                break
            text = Text(text.chars[:fitting[-1]], text.faces[:fitting[-1]])
        rest = text.tail(offset)
        cells = set_vertical(rest, box.y1 - tops[s], char_pitch, 2 if offset == 0 else 0, max_lines=2)[0]
        lines.append(draw_vertical(sheet.canvas, rest, cells, x - s * style.pitch, tops[s]))
        offset += len(cells)
        if offset >= len(text.chars):
            flush(False)
            text = None
    flush(False)


def _lines_needed(text: Text, end: int, length: float, pitch: float) -> int:
    return len(set_vertical(Text(text.chars[:end], text.faces[:end]), length, pitch, 2))


def _photo(sheet: Sheet, story: Story, style: Style, x0: float, x1: float, y0: float, height: float, kind: str,
           under: float) -> None:
    """The picture, and its caption in the `under` pixels below it (see `article`)."""
    rng, prose = style.rng, style.prose
    box = Box(round(x0), round(y0), round(x1), round(y0 + height))
    pic = photo(rng, int(box.width), int(box.height), style.colour, True)
    sheet.canvas.image.paste(pic if sheet.canvas.mode == "RGB" else pic.convert("L"), (int(box.x0), int(box.y0)))
    block = sheet.add(story, BlockType.PHOTO, [], box)
    face = style.face("hant-serif", 0.9)
    top = box.y1 + style.body.size * 0.4
    if kind == "line":
        set_block(sheet, story, BlockType.CAPTION, Text.of((prose.one("captions"), face)), box.x0, box.width, top,
                  align="center", max_lines=1, caption_of=block.id)
    elif kind == "lines":
        rows = round((under - style.body.size * 1.6) / (style.body.size * 1.3))
        text = "，".join(prose.one("captions") for _ in range(3)) + "。"
        set_block(sheet, story, BlockType.CAPTION, Text.of((text, face)), box.x0, box.width, top, justify=True,
                  max_lines=rows, caption_of=block.id)
    elif kind == "vertical":
        length = under - style.body.size * 1.6
        step = face.size * 1.35
        cols = max(2, min(6, int(box.width // step)))
        text = Text.of(("，".join(prose.one("captions") for _ in range(4)) + "。", face))
        lines = _vlines(sheet, text, box.x1 - face.size - style.body.size * 0.2, top, length, face.size * 1.05, step,
                        justify=True, max_lines=cols)
        sheet.add(story, BlockType.CAPTION, lines, caption_of=block.id)


def vertical_advert(sheet: Sheet, style: Style, box: Box) -> None:
    """A framed advert of vertical lines: the shop's name large, then wares, prices, telephone."""
    rng, prose = style.rng, style.prose
    ads = prose.data["adverts"]
    story = sheet.story()
    pad = style.body.size
    sheet.frame(box, max(1, round(style.body.size * 0.15)) * int(rng.integers(1, 3)), double=rng.random() < 0.3)
    x = box.x1 - pad
    length = box.height - 2 * pad
    lines = []
    rows = [(prose.fill(str(rng.choice(ads["names"]))), 2.2), (prose.fill(str(rng.choice(ads["slogans"]))), 1.5)]
    rows += [(prose.fill(str(rng.choice(ads["items"]))) + prose.fill(str(rng.choice(ads["prices"]))), 1.0)
             for _ in range(int(rng.integers(1, 4)))]
    rows += [(prose.fill(str(rng.choice(ads["phones"]))), 1.1), (prose.fill(str(rng.choice(ads["addresses"]))), 1.0)]
    for text, factor in rows:
        face = style.face("hant-serif-bold" if factor > 1.2 else "hant-serif", factor)
        while face.size * 1.05 * len(text) > length and face.size > style.body.size * 0.8:
            face = face.scaled(round(face.size * 0.9))
        if x - face.size < box.x0 + pad or face.size * 1.05 * (len(text) - 1) + face.size > length:
            continue
        new = _vlines(sheet, Text.of((text, face)), x - face.size, box.y0 + pad, length, face.size * 1.05, 0,
                      justify=False, max_lines=1)
        lines += new
        x -= face.size * 1.4
    if lines:
        sheet.add(story, BlockType.ADVERT, lines, box)


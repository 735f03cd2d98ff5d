"""Mastheads of the generated pages and the running heads of inside pages, with their fields.

Kinds: a centred title between ears; a title at the left with an advert beside it; the info
strip (国内统一刊号 CN, 邮发代号, 网址, 新闻热线; Jahrgang, Nr., Preis) above or below the rule
under the title; an inside page's running head and folio instead of any masthead. Every block of
the masthead is typed masthead and belongs to the masthead's article, read first; the field
values follow layoutkit.structure.masthead (ISO date, 星期三, 乙巳年十月初七, digits for issue,
pages and volume, "CN 65-0010", "57-103") and each field's text is what the page prints for it.
"""

from __future__ import annotations

import datetime as dt

from lunardate import LunarDate

from layoutkit.model import BlockType, Box
from layoutkit.structure.fields import WEEKDAYS_DE, ganzhi
from layoutkit.structure.numerals import WEEKDAY_NAMES as WEEKDAYS_ZH

from .modules import advert
from .sheet import Sheet, Story
from .stories import BLACK, RED, Style, line_height, place_lines, set_block
from .typeset import Face, Text, set_lines

LUNAR_MONTHS = "正二三四五六七八九十冬腊"


def lunar_text(day: dt.date) -> str:
    ld = LunarDate.from_solar_date(day.year, day.month, day.day)
    month = ("闰" if ld.is_leap_month else "") + LUNAR_MONTHS[ld.month - 1] + "月"
    d = ld.day
    names = {10: "初十", 20: "二十", 30: "三十"}
    name = names.get(d) or "初十廿"[d // 10] + "一二三四五六七八九"[d % 10 - 1]
    return f"{ganzhi(ld.year)}年{month}{name}"


def random_date(style: Style, first: int, last: int) -> dt.date:
    start = dt.date(first, 1, 1).toordinal()
    return dt.date.fromordinal(start + int(style.rng.integers(dt.date(last, 12, 31).toordinal() - start)))


def _line(sheet: Sheet, story: Story, text: str, face: Face, x0: float, width: float, y: float,
          align: str = "left", btype: BlockType = BlockType.MASTHEAD):
    """One line, never broken (a field's text must be printed whole), aligned in [x0, x0 + width]."""
    line = set_lines(Text.of((text, face)), 1e9, justify=False)
    return place_lines(sheet, story, btype, line, x0, width, y, align=align)


def zh_masthead(sheet: Sheet, style: Style, area: Box, day: dt.date) -> float:
    """A Chinese front page's masthead over `area`; the y under its rule."""
    rng, prose = style.rng, style.prose
    story = sheet.story()
    hant = prose.voice == "hant"
    title, pinyin = (str(rng.choice(prose.data["titles_hant"])), None) if hant else \
        tuple(prose.data["titles"][int(rng.integers(len(prose.data["titles"])))])
    slug = "".join(w[0] for w in (pinyin or "xw bao").lower().split()) + str(rng.choice(["rb", "", "news"]))
    conv = prose.fill if hant else str
    info = {
        "date": (f"{day.year}年{day.month}月{day.day}日", day.isoformat()),
        "weekday": ("星期" + WEEKDAYS_ZH[day.weekday()],) * 2,
        "lunar_date": (lunar_text(day),) * 2,
        "issue": (conv(f"总第{(n := int(rng.integers(2000, 26000)))}期"), str(n)),
        "pages": (conv(f"今日{(p := int(rng.choice([4, 8, 12, 16, 20, 24])))}版"), str(p)),
        "cn": ((cn := f"CN {rng.integers(11, 66)}-{rng.integers(1, 100):04d}"), cn),
        "postal": ((po := f"{rng.integers(1, 90)}-{rng.integers(1, 300)}"), po),
        "website": ((web := str(rng.choice(prose.data["websites"])).replace("{slug}", slug)), web),
        "email": ((mail := f"{slug}@{rng.choice(['163.com', 'sina.com', '126.com'])}"), mail),
        "hotline": ((tel := f"0{rng.integers(10, 999)}-{rng.integers(2000000, 8999999)}"), tel),
    }
    labels = {n: conv(label) for n, label in (("cn", "国内统一刊号 "), ("postal", "邮发代号 "), ("website", "网址："),
                                                ("email", "邮箱："), ("hotline", "新闻热线："))}
    red = RED if style.colour and rng.random() < 0.85 else BLACK
    W = area.width
    kind = str(rng.choice(["centred", "left"]))
    t_size = W * float(rng.uniform(0.27, 0.4)) / len(title)
    tface = Face(str(rng.choice(["hant-serif-bold" if hant else "hans-serif-bold",
                                 "hant-sans-bold" if hant else "hans-sans-bold"])), round(t_size), red)
    small = style.face("hant-serif" if hant else "hans-serif", float(rng.uniform(1.1, 1.5)))
    tw = tface.advance(title)
    tx = area.x0 + (W - tw) / 2 if kind == "centred" else area.x0
    y = area.y0
    title_block, ty1 = _line(sheet, story, title, tface, tx, tw + 2, y)
    sheet.field("title", title, title, title_block)
    if pinyin and rng.random() < 0.6:
        pface = Face("dejavu-sans-bold", max(8, round(t_size * 0.17)), red)
        pw = pface.advance(pinyin)
        block, ty1 = _line(sheet, story, pinyin, pface, tx + (tw - pw) / 2, pw + 2, ty1 + 0.1 * t_size)
        sheet.field("title_latin", pinyin, pinyin, block)
    strip_fields = ["cn", "postal", "website", "hotline"] + (["email"] if rng.random() < 0.4 else [])
    # Traditional pages print no lunar date (the parser reads the simplified 腊月 only).
    ear_lines = [("date",), ("weekday",) if hant else ("weekday", "lunar_date"), ("issue", "pages")]
    # The ears or the column beside the title hold the date lines; the info strip the rest.
    if kind == "centred":
        ear_w = (W - tw) / 2 - 2 * style.gutter
        y_ear = y + t_size * 0.15
        _date_lines(sheet, story, ear_lines, info, small, area.x0, ear_w, y_ear, 1.5)
        right = strip_fields[:2] if rng.random() < 0.5 else []
        for k, n in enumerate(right):
            block, _ = _line(sheet, story, labels[n] + info[n][0], small, area.x1 - ear_w, ear_w,
                             y_ear + k * small.size * 1.5, align="right")
            sheet.field(n, info[n][1], info[n][0], block)
        strip_fields = [n for n in strip_fields if n not in right]
        body_top = max(ty1, y_ear + 3 * small.size * 1.5)
    else:
        x_info = tx + tw + style.gutter
        info_w = max(W * 0.2, max(small.advance(info[n][0]) for n in ("date", "issue", "pages")) * 2.2,
                     small.advance("星期三　农历" + info["lunar_date"][0]) + 2)
        _date_lines(sheet, story, ear_lines, info, small, x_info, info_w, y + t_size * 0.1, 1.6)
        body_top = max(ty1, y + t_size * 0.1 + 3 * small.size * 1.6)
        ad_x0 = x_info + info_w + style.gutter
        if area.x1 - ad_x0 > W * 0.2:
            advert(sheet, style, Box(ad_x0, y, area.x1, body_top))
    strip_face = style.face("hant-sans" if hant else "hans-sans", float(rng.uniform(0.9, 1.1)))
    strip_below = rng.random() < 0.5
    rule_w = max(2, round(style.body.size * 0.25))
    y = body_top + 0.5 * style.pitch
    if not strip_below:
        y = _strip(sheet, story, style, strip_fields, labels, info, strip_face, area, y) + 0.3 * style.pitch
    sheet.rule(area.x0, y, area.x1, y + rule_w, red if rng.random() < 0.5 else BLACK)
    y += rule_w + 0.4 * style.pitch
    if strip_below:
        y = _strip(sheet, story, style, strip_fields, labels, info, strip_face, area, y) + 0.3 * style.pitch
        sheet.rule(area.x0, y, area.x1, y + max(1, rule_w // 3))
        y += rule_w
    return y + style.pitch


def _date_lines(sheet: Sheet, story: Story, rows: list[tuple[str, ...]], info: dict[str, tuple[str, str]],
                face: Face, x0: float, width: float, y: float, leading: float) -> None:
    """The date, weekday (and lunar date), issue and pages in rows, each row a block."""
    for k, names in enumerate(rows):
        text = "　".join(("农历" if n == "lunar_date" else "") + info[n][0] for n in names)
        block, _ = _line(sheet, story, text, face, x0, width, y + k * face.size * leading)
        for n in names:
            sheet.field(n, info[n][1], info[n][0], block)


def _strip(sheet: Sheet, story: Story, style: Style, names: list[str], labels: dict[str, str],
           info: dict[str, tuple[str, str]], face: Face, area: Box, y: float) -> float:
    """The info strip: the fields in one row, spread over the width, each a block of its own."""
    texts = [labels[n] + info[n][0] for n in names]
    widths = [face.advance(t) for t in texts]
    if sum(widths) > area.width:
        return y
    gap = (area.width - sum(widths)) / max(1, len(texts) - 1)
    x = area.x0
    bottom = y
    for n, text, w in zip(names, texts, widths, strict=True):
        block, b = _line(sheet, story, text, face, x, w + 1, y)
        sheet.field(n, info[n][1], info[n][0], block)
        x += w + gap
        bottom = max(bottom, b)
    return bottom


GERMAN_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"]


def de_masthead(sheet: Sheet, style: Style, area: Box, day: dt.date, fraktur: bool) -> float:
    """A German front page's masthead: a title (in blackletter on old pages), ears with the terms,
    and the strip with Jahrgang, Nr., date and price between rules, above or below the title."""
    rng, prose = style.rng, style.prose
    story = sheet.story()
    title = str(rng.choice(prose.data["titles"]))
    W = area.width
    ink = style.inks[0] if style.colour and rng.random() < 0.6 else (0, 0, 0)
    family = "fraktur" if fraktur or rng.random() < 0.4 else str(rng.choice(["dejavu-serif-bold", "noto-serif-bold"]))
    tface = Face(family, round(W * float(rng.uniform(0.55, 0.8)) / len(title) * 1.6), ink)
    while tface.advance(title) > W * 0.8:
        tface = tface.scaled(round(tface.size * 0.92))
    kind = str(rng.choice(["centred", "left"])) if not fraktur else "centred"
    tw = tface.advance(title)
    volume, issue = int(rng.integers(2, 250)), int(rng.integers(1, 365))
    weekday = WEEKDAYS_DE[day.weekday()]
    date_text = f"{day.day}. {GERMAN_MONTHS[day.month - 1]} {day.year}"
    small = style.face(style.serif, float(rng.uniform(1.0, 1.3)))
    strip_first = rng.random() < 0.4
    rule_w = max(1, round(style.body.size * 0.12))
    y = area.y0

    def strip(y: float) -> float:
        sheet.rule(area.x0, y, area.x1, y + rule_w)
        y += rule_w + 0.3 * style.pitch
        left, b1 = _line(sheet, story, f"{volume}. Jahrgang", small, area.x0, W / 3, y)
        sheet.field("volume", str(volume), f"{volume}. Jahrgang", left)
        mid, b2 = _line(sheet, story, f"{weekday}, {date_text}", small, area.x0 + W / 3, W / 3, y, align="center")
        sheet.field("date", day.isoformat(), date_text, mid)
        sheet.field("weekday", weekday, weekday, mid)
        right, b3 = _line(sheet, story, f"Nr. {issue}", small, area.x0 + 2 * W / 3, W / 3, y, align="right")
        sheet.field("issue", str(issue), f"Nr. {issue}", right)
        y = max(b1, b2, b3) + 0.3 * style.pitch
        sheet.rule(area.x0, y, area.x1, y + rule_w)
        return y + rule_w + 0.5 * style.pitch

    if strip_first:
        y = strip(y)
    tx = area.x0 + (W - tw) / 2 if kind == "centred" else area.x0
    block, ty1 = _line(sheet, story, title, tface, tx, tw + 2, y)
    sheet.field("title", title, title, block)
    if kind == "centred":
        ear_w = (W - tw) / 2 - style.gutter
        ear_face = style.face(style.serif, 0.85)
        if ear_w > style.body.size * 8:
            for k, text in enumerate([str(rng.choice(prose.data["mottos"])), str(rng.choice(prose.data["prices"]))]):
                side_x = area.x0 if k == 0 else area.x1 - ear_w
                set_block(sheet, story, BlockType.MASTHEAD, Text.of((text, ear_face)), side_x, ear_w,
                          y + tface.size * 0.2, align="center", max_lines=3)
    elif area.x1 - (tx + tw) > W * 0.25:
        advert(sheet, style, Box(tx + tw + 2 * style.gutter, y, area.x1, ty1))
    y = ty1 + 0.5 * style.pitch
    if not strip_first:
        y = strip(y)
    else:
        sheet.rule(area.x0, y, area.x1, y + 2 * rule_w)
        y += 2 * rule_w + 0.5 * style.pitch
    return y + 0.5 * style.pitch


def running_head(sheet: Sheet, style: Style, area: Box, day: dt.date, folio: int) -> float:
    """An inside page: a running head (section, paper, date, editor) and the folio, a rule under
    them; page furniture, an article of its own read first. No masthead, but the fields the running
    head prints (date, weekday, a page number printed 第N版)."""
    rng, prose = style.rng, style.prose
    story = sheet.story()
    face = style.face(style.sans if style.cjk else style.serif, float(rng.uniform(1.0, 1.3)))
    folio_face = style.face(style.heads[0], float(rng.uniform(2.0, 3.0)))
    section = str(rng.choice(prose.data["sections"]))
    if style.cjk:
        section = prose.fill(section)
        date_text, weekday = f"{day.year}年{day.month}月{day.day}日", f"星期{WEEKDAYS_ZH[day.weekday()]}"
        date = f"{date_text}　{weekday}"
        right = prose.one("running")
        folio_text = str(folio) if rng.random() < 0.6 else prose.fill(f"第{folio}版")
    else:
        date_text, weekday = f"{day.day}. {GERMAN_MONTHS[day.month - 1]} {day.year}", WEEKDAYS_DE[day.weekday()]
        date = f"{weekday}, {date_text}"
        right = str(rng.choice(prose.data["titles"]))
        folio_text = str(folio) if rng.random() < 0.6 else f"Seite {folio}"
    even = folio % 2 == 0
    fw = folio_face.advance(folio_text)
    y = area.y0
    fx = area.x0 if even else area.x1 - fw
    items = [(folio_text, folio_face, fx, fw + 2, "left")]
    inner_x0 = area.x0 + (fw + style.gutter if even else 0)
    inner_x1 = area.x1 - (0 if even else fw + style.gutter)
    third = (inner_x1 - inner_x0) / 3
    while max(face.advance(t) for t in (section, date, right)) > third * 0.95 and face.size > style.body.size * 0.7:
        face = face.scaled(round(face.size * 0.9))
    items += [(section, face, inner_x0, third, "left"), (date, face, inner_x0 + third, third, "center"),
              (right, face, inner_x0 + 2 * third, third, "right")]
    if not even:
        items = items[1:] + items[:1]
    bottom = y
    base = y + folio_face.extents()[0]
    for text, f, x, w, align in items:
        block, b = _line(sheet, story, text, f, x, w, base - f.extents()[0], align=align, btype=BlockType.FURNITURE)
        bottom = max(bottom, b)
        # The running head dates the issue and numbers the page, as layoutkit parses them.
        if text == date:
            sheet.field("date", day.isoformat(), date_text, block)
            sheet.field("weekday", weekday, weekday, block)
        elif text == folio_text and text.startswith("第"):
            sheet.field("page", str(folio), text, block)
    rule_w = max(1, round(style.body.size * 0.15))
    y = bottom + 0.4 * style.pitch
    sheet.rule(area.x0, y, area.x1, y + rule_w, style.inks[0] if style.colour else BLACK)
    return y + rule_w + line_height(style.body)

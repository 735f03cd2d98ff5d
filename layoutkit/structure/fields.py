"""The masthead's fields: its text parsed into typed, checked values.

Mastheads print one fact in pieces ("2025年11月" over a big "26"), so fields are parsed from the
masthead's text joined across its lines and blocks; each value keeps the printed text it came
from and the block that carries it (ALTO NamedEntityTags point at those Strings). The lunar date
is checked against the Gregorian date and the weekday against the calendar: a mismatch is flagged,
never silently accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from lunardate import LunarDate

from ..model import Block, MastheadField
from .numerals import ERAS, NUMERAL, WEEKDAY_NAMES, cn_number, era_year, weekday_index

STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
WEEKDAYS_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = {
    # German, with the old names historical papers print (eighteenth-century dates: "den 19. Heumonat").
    "januar": 1, "jänner": 1, "hornung": 2, "februar": 2, "märz": 3, "lenzmonat": 3, "april": 4,
    "ostermonat": 4, "mai": 5, "wonnemonat": 5, "juni": 6, "brachmonat": 6, "juli": 7, "heumonat": 7,
    "august": 8, "augstmonat": 8, "erntemonat": 8, "september": 9, "herbstmonat": 9, "oktober": 10,
    "weinmonat": 10, "november": 11, "wintermonat": 11, "dezember": 12, "christmonat": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10, "december": 12,
}
DASH = "[-—–－‐]"


def _lunar_day(text: str) -> int | None:
    return cn_number(text.removeprefix("初"))


def _lunar_month(text: str) -> int | None:
    text = text.removeprefix("闰").removeprefix("閏").removesuffix("月")
    return {"正": 1, "冬": 11, "腊": 12, "臘": 12}.get(text) or cn_number(text)


def _iso(year: int | None, month: str, day: str) -> str:
    """An ISO date from a year and a printed month and day; a part that is no number reads 00."""
    parts = (year, cn_number(month), cn_number(day))
    y, m, d = (p if p is not None else 0 for p in parts)
    return f"{y:04d}-{m:02d}-{d:02d}"


def ganzhi(year: int) -> str:
    return STEMS[(year - 4) % 10] + BRANCHES[(year - 4) % 12]


class Parser:
    """Runs the field patterns over the masthead text and records what it found."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.fields: list[MastheadField] = []
        # One string per block, lines joined without separator, and where each block starts.
        self.texts = ["".join(ln.text for ln in b.lines) for b in blocks]
        self.joined = " ".join(self.texts)

    def block_of(self, start: int) -> str | None:
        pos = 0
        for b, text in zip(self.blocks, self.texts, strict=True):
            if pos <= start < pos + len(text) + 1:
                return b.id
            pos += len(text) + 1
        return None

    def find(self, name: str, pattern: str, value: Callable[[re.Match[str]], str],
             flags: int = 0) -> re.Match[str] | None:
        m = re.search(pattern, self.joined, flags)
        if m and not any(f.name == name for f in self.fields):
            self.fields.append(MastheadField(name, value(m), m.group(0).strip(), self.block_of(m.start())))
        return m

    def get(self, name: str) -> MastheadField | None:
        return next((f for f in self.fields if f.name == name), None)


def parse_fields(blocks: list[Block], title: Block | None) -> list[MastheadField]:
    p = Parser(blocks)
    if title is not None:
        text = "".join(ln.text for ln in title.lines).strip()
        p.fields.append(MastheadField("title", text, text, title.id))
    latin = next((b for b in blocks if b is not title and re.fullmatch(r"[A-Z][A-Z ]{5,}", b.text.strip())), None)
    if latin is not None:
        p.fields.append(MastheadField("title_latin", latin.text.strip(), latin.text.strip(), latin.id))

    n = NUMERAL
    eras = "|".join(sorted(ERAS, key=len, reverse=True))
    # An era's year first: 民國一百十四年 has four numerals before 年 too.
    date_m = p.find("date", rf"({eras})\s*({n}{{1,4}})\s*年\s*({n}{{1,3}})\s*月\s*({n}{{1,3}})\s*日?",
                    lambda m: _iso(era_year(m[1], cn_number(m[2]) or 0), m[3], m[4]))
    if date_m is None:
        date_m = p.find("date", rf"(?<!{n})({n}{{4}})\s*年\s*({n}{{1,3}})\s*月\s*({n}{{1,3}})\s*日?",
                        lambda m: _iso(cn_number(m[1]), m[2], m[3]))
    if date_m is None:
        month_names = "|".join(MONTHS)
        date_m = p.find("date", rf"(\d{{1,2}})\s*\.\s*({month_names})\s+(\d{{4}})",
                        lambda m: f"{int(m[3]):04d}-{MONTHS[m[2].lower()]:02d}-{int(m[1]):02d}", re.IGNORECASE)
        if date_m is None:
            p.find("date", rf"({month_names})\s+(\d{{1,2}}),?\s+(\d{{4}})",
                   lambda m: f"{int(m[3]):04d}-{MONTHS[m[1].lower()]:02d}-{int(m[2]):02d}", re.IGNORECASE)
    p.find("weekday", f"(?:星期|禮拜|礼拜)([{WEEKDAY_NAMES}天])", lambda m: "星期" + WEEKDAY_NAMES[weekday_index(m[1])])
    p.find("weekday", "|".join(WEEKDAYS_DE + WEEKDAYS_EN), lambda m: m[0])
    p.find("lunar_date", rf"([{STEMS}][{BRANCHES}])年?\s*((?:闰|閏)?[正一二三四五六七八九十冬腊臘]{{1,2}}月)\s*"
                         r"(初[一二三四五六七八九十]|十[一二三四五六七八九]?|二十|廿[一二三四五六七八九]?|三十)",
           lambda m: f"{m[1]}年{m[2]}{m[3]}")
    p.find("issue", rf"[总總]\s*第\s*({n}+)\s*期", lambda m: str(cn_number(m[1])))
    p.find("issue", rf"第\s*({n}+)\s*[號号期]", lambda m: str(cn_number(m[1])))
    p.find("issue", r"\b(?:Nr|No|Nummer|N°)\s*\.?\s*(\d+)", lambda m: m[1])
    p.find("page", rf"第\s*({n}+)\s*版", lambda m: str(cn_number(m[1])))
    p.find("pages", rf"(?:今日|本期)\s*({n}+)\s*版", lambda m: str(cn_number(m[1])))
    p.find("volume", r"(\d+)\s*\.\s*Jahrgang|Jahrg(?:ang)?\.?\s*(\d+)|Vol\.\s*(\d+)",
           lambda m: next(g for g in m.groups() if g))
    p.find("cn", rf"CN\s*(\d{{2}})\s*{DASH}\s*(\d{{4}})", lambda m: f"CN {m[1]}-{m[2]}")
    p.find("issn", r"ISSN\s*(\d{4})\s*-?\s*(\d{3}[\dXx])", lambda m: f"{m[1]}-{m[2].upper()}")
    p.find("postal", rf"(?:邮发代号|郵發代號)\s*[:：]?\s*(\d{{1,2}})\s*{DASH}\s*(\d{{1,4}})",
           lambda m: f"{m[1]}-{m[2]}")
    p.find("website", r"(?:https?://|www\.)[A-Za-z0-9.\-/_~%]+[A-Za-z0-9/]", lambda m: m[0])
    # ASCII only: Python's \w takes the 邮箱 printed right before the address.
    p.find("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", lambda m: m[0])
    p.find("hotline", r"(?:热线|熱線)\s*[:：]?\s*(\d[\d\-]{4,})", lambda m: m[1])
    _cross_check(p)
    return p.fields


def _cross_check(p: Parser) -> None:
    date = p.get("date")
    if date is None:
        return
    try:
        day = dt.date.fromisoformat(date.value)
    except ValueError:
        date.flagged = f"not a calendar date: {date.value}"
        return
    weekday = p.get("weekday")
    if weekday is not None:
        expected = {"星期" + WEEKDAY_NAMES[day.weekday()], WEEKDAYS_DE[day.weekday()], WEEKDAYS_EN[day.weekday()]}
        if weekday.value not in expected:
            weekday.flagged = f"{day.isoformat()} is a {WEEKDAYS_EN[day.weekday()]}"
    lunar = p.get("lunar_date")
    if lunar is not None:
        m = re.match(rf"([{STEMS}][{BRANCHES}])年((?:闰)?[^月]+月)(.+)$", lunar.value)
        try:
            ld = LunarDate.from_solar_date(day.year, day.month, day.day)
        except ValueError:
            lunar.flagged = f"lunar calendar has no entry for {day.isoformat()}"
            return
        if m is None:
            lunar.flagged = "unreadable lunar date"
            return
        printed = (m[1], _lunar_month(m[2]), _lunar_day(m[3]))
        actual = (ganzhi(ld.year), ld.month, ld.day)
        if printed != actual:
            lunar.flagged = (f"{day.isoformat()} is lunar {actual[0]}年 month {actual[1]} day {actual[2]}, "
                             f"not {lunar.value}")

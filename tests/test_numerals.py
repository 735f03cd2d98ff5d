"""Chinese numerals and old calendars as newspapers print them: every form, and the masthead
fields read from running heads of a Republican paper and a modern one."""

from __future__ import annotations

import numpy as np
import pytest

from layoutkit.model import Block, BlockType, Box, Direction, Page, Source, String, TextLine
from layoutkit.ocr.base import CharSpan, Recognition
from layoutkit.ocr.crops import LineCrop
from layoutkit.ocr.strings import char_class, is_cjk, to_strings
from layoutkit.structure.masthead import find_masthead, parse_fields
from layoutkit.structure.numerals import cn_number, era_year, weekday_index


@pytest.mark.parametrize(("text", "value"), [
    ("二〇二五", 2025), ("一九三九", 1939), ("〇", 0), ("2025", 2025), ("２０２５", 2025),  # place by place
    ("十", 10), ("十八", 18), ("二十八", 28), ("四十", 40), ("三十一", 31),  # counted
    ("三千七百九十五", 3795), ("一百零五", 105), ("三千零五十", 3050),
    ("貳拾捌", 28), ("壹佰貳拾參", 123), ("陸", 6), ("玖仟", 9000), ("贰拾叁", 23),  # financial forms
    ("廿", 20), ("廿一", 21), ("卅", 30), ("卅一", 31), ("卌", 40),  # contracted tens
    ("兩萬", 20000), ("两千", 2000), ("一萬二千", 12000), ("三億", 300_000_000),  # 兩 and the groups
])
def test_numeral_forms(text: str, value: int):
    assert cn_number(text) == value


@pytest.mark.parametrize("text", ["", "年", "二二十", "十月"])
def test_what_is_not_a_number(text: str):
    assert cn_number(text) is None


def test_republic_years_and_weekday_names():
    assert era_year("民國", 28) == 1939 and era_year("中华民国", 8) == 1919
    assert [weekday_index(ch) for ch in "一五日天"] == [0, 4, 6, 6]


def _block(bid: str, *lines: str) -> Block:
    tls = [TextLine(Box(0, 40 * i, 300, 40 * i + 30).polygon(), strings=[String(t, Box(0, 0, 1, 1), 1.0)])
           for i, t in enumerate(lines)]
    return Block(bid, BlockType.MASTHEAD, Box(0, 0, 300, 40 * len(lines)).polygon(), tls)


def _fields(*blocks: Block) -> dict:
    return {f.name: f for f in parse_fields(list(blocks), blocks[0])}


def test_running_head_of_a_republican_paper():
    """晶報's running head over page 2 of 21 April 1939, a Friday."""
    fields = _fields(_block("t", "晶報"), _block("h", "中華民國二十八年四月廿一日　星期五　第二版"))
    assert fields["date"].value == "1939-04-21" and fields["date"].text == "中華民國二十八年四月廿一日"
    assert fields["weekday"].value == "星期五" and fields["page"].value == "2"
    assert not any(f.flagged for f in fields.values())


def test_masthead_with_financial_numerals_and_issue_number():
    fields = _fields(_block("t", "晶報"), _block("i", "◀第三千七百九十五號▶"),
                     _block("d", "中華民國貳拾捌年四月廿一日　星期五　今日貳張售國幣貳分四厘"))
    assert fields["date"].value == "1939-04-21" and fields["issue"].value == "3795"
    assert fields["weekday"].flagged is None


def test_lunar_date_without_year_character_is_checked():
    """1919: 中華民國八年四月九日 was 己未 month 3 day 9 and a Wednesday."""
    fields = _fields(_block("t", "晶報"), _block("d", "中華民國八年四月九日　己未三月初九日　星期三"))
    assert fields["date"].value == "1919-04-09" and fields["lunar_date"].value == "己未年三月初九"
    assert fields["lunar_date"].flagged is None and fields["weekday"].flagged is None
    wrong = _fields(_block("t", "晶報"), _block("d", "中華民國八年四月九日　己未三月初十日　禮拜四"))
    assert "day 9" in (wrong["lunar_date"].flagged or "")
    assert wrong["weekday"].value == "星期四" and "Wednesday" in (wrong["weekday"].flagged or "")


def test_modern_date_in_numerals_with_ling():
    fields = _fields(_block("t", "人民日报"), _block("d", "二〇二五年十一月二十六日　星期三　第5期"))
    assert fields["date"].value == "2025-11-26" and fields["issue"].value == "5"
    assert fields["weekday"].flagged is None


def test_era_year_beats_a_four_numeral_year():
    """民國一百十四年 is 2025, not the year 114."""
    assert _fields(_block("t", "報"), _block("d", "中華民國一百十四年五月一日"))["date"].value == "2025-05-01"


def test_impossible_date_is_flagged():
    fields = _fields(_block("t", "晶報"), _block("d", "中華民國二十八年二月卅日"))
    assert fields["date"].value == "1939-02-30" and "not a calendar date" in (fields["date"].flagged or "")


def _placed(bid: str, text: str, box: Box, direction: Direction = Direction.LTR) -> Block:
    line = TextLine(box.polygon(), direction, [String(text, box, 1.0)])
    return Block(bid, BlockType.BODY, box.polygon(), [line], direction=direction)


def test_running_head_of_an_inside_page_gives_its_fields():
    """No rule under it, no title: the top row printing a date is the running head; a date in an
    article below is not."""
    blocks = [_placed("folio", "第二版", Box(100, 100, 250, 140)),
              _placed("date", "中華民國八年四月九日", Box(900, 100, 1400, 140)),
              _placed("day", "星期三", Box(600, 102, 750, 138)),
              _placed("col", "本報創於民國八年三月三日", Box(1300, 300, 1340, 1200), Direction.TTB),
              _placed("art", "昨日為民國八年四月八日", Box(200, 400, 800, 440))]
    page = find_masthead(Page(1500, 2000, Source("p.png", ""), blocks=blocks), 30.0)
    fields = {f.name: f.value for f in page.masthead}
    assert fields["date"] == "1919-04-09" and fields["weekday"] == "星期三" and fields["page"] == "2"
    assert [b.id for b in page.blocks if b.type is BlockType.FURNITURE] == ["folio", "date", "day"]
    undated = find_masthead(Page(1500, 2000, Source("p.png", ""), blocks=blocks[3:]), 30.0)
    assert not undated.masthead


def test_ling_is_a_cjk_character_in_strings():
    """二〇二五年 is one run of CJK, not three strings split at 〇."""
    assert is_cjk("〇") and char_class("〇") == "cjk"
    rec = Recognition([CharSpan(ch, 10.0 * i, 10.0 * i + 10, 0.9) for i, ch in enumerate("二〇二五年")])
    strings = to_strings(rec, LineCrop(np.zeros((10, 50, 3), np.uint8), np.eye(3), False))
    assert [s.text for s in strings] == ["二〇二五年"]

"""Chinese numerals as newspapers print them, and the calendars their dates are counted in.

A 1939 paper dates itself 中華民國貳拾捌年四月廿一日 and numbers its issue 第三千七百九十五號; a
modern one prints 二〇二五年. The numeral libraries on PyPI (cn2an, pycnnum) read the simplified
financial forms (贰, 叁) but not the traditional ones a Republican paper prints (貳, 參, 陸), nor
廿/卅 or 兩, so the few rules are written out here.
"""

from __future__ import annotations

#: Digits, with the financial (大寫) forms in traditional and simplified script and the ASCII and
#: full-width digits OCR returns beside them.
DIGITS: dict[str, int] = {
    **{ch: 0 for ch in "〇零○"}, **{ch: 1 for ch in "一壹弌"}, **{ch: 2 for ch in "二貳贰弍兩两"},
    **{ch: 3 for ch in "三參参叁叄弎"}, **{ch: 4 for ch in "四肆"}, **{ch: 5 for ch in "五伍"},
    **{ch: 6 for ch in "六陸陆"}, **{ch: 7 for ch in "七柒"}, **{ch: 8 for ch in "八捌"}, **{ch: 9 for ch in "九玖"},
    **{str(d): d for d in range(10)}, **{chr(0xFF10 + d): d for d in range(10)},
}
#: Units inside a group of four digits.
UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Contracted tens, as dates print them (廿一日 is the 21st).
TENS: dict[str, int] = {"廿": 20, "卄": 20, "卅": 30, "卌": 40}
#: Group units: each closes a group of four digits.
GROUPS: dict[str, int] = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
#: A regular-expression class of every character a number may be written with.
NUMERAL = "[" + "".join([*DIGITS, *UNITS, *TENS, *GROUPS]) + "]"
#: Eras whose first year is the Gregorian year after this one; the Republic (民國) is still counted
#: in Taiwan.
ERAS: dict[str, int] = {"中華民國": 1911, "中华民国": 1911, "民國": 1911, "民国": 1911}
#: What a weekday is called after 星期 or 禮拜, Monday first (天 is the spoken Sunday).
WEEKDAY_NAMES = "一二三四五六日"


def cn_number(text: str) -> int | None:
    """The value of a number written in Chinese numerals, ASCII or full-width digits, or a mix
    (OCR may read one digit of 二十八 as 2); None if `text` is not one.

    Digits alone are read place by place (二〇二五 is 2025, 一九三九 is 1939); with units they are
    counted (三千七百九十五 is 3795, 貳拾捌 is 28, 廿一 is 21, 十 is 10, 一百零五 is 105).
    """
    text = "".join(text.split())
    if not text or any(ch not in DIGITS and ch not in UNITS and ch not in TENS and ch not in GROUPS for ch in text):
        return None
    if all(ch in DIGITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    total = group = 0
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits with no unit between them: not one number
            digit = DIGITS[ch]
        elif ch in TENS:
            group += TENS[ch]
            digit = None
        elif ch in UNITS:
            group += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:
            total = (total + group + (digit or 0)) * GROUPS[ch]
            group, digit = 0, None
    return total + group + (digit or 0)


def era_year(era: str, year: int) -> int:
    """The Gregorian year of an era's year (民國二十八年 is 1939)."""
    return ERAS[era] + year


def weekday_index(name: str) -> int:
    """Monday 0 ... Sunday 6, from the character after 星期 (天 and 日 are Sunday)."""
    return WEEKDAY_NAMES.index("日" if name == "天" else name)

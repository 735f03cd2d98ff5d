"""Turn an engine's characters into ALTO-shaped Strings and Glyphs on the page.

Chinese has no spaces, so a String is a run of one script: a run of CJK characters, a Latin word
or number, or a punctuation mark; spaces in the recognised text become SP. Every character keeps
its own box and confidence (written as ALTO Glyphs for CJK, as CC digits for all).
"""

from __future__ import annotations

import unicodedata

from ..model import Glyph, String
from .base import CharSpan, Recognition
from .crops import LineCrop

HYPHENS = "-\u00ad\u2010\u2011\u00ac\u2e17="


def is_cjk(ch: str) -> bool:
    """Han ideographs, kana and hangul, and 〇 (IDEOGRAPHIC NUMBER ZERO, the zero of 二〇二五年, which
    Unicode files among the punctuation)."""
    o = ord(ch)
    return (o == 0x3007 or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FA1F or 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7AF)


def is_wide(ch: str) -> bool:
    """CJK characters and the full-width punctuation set with them: no spaces around these."""
    o = ord(ch)
    return (is_cjk(ch) or 0x2E80 <= o <= 0x2FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
            or o in (0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x00B7))


def mostly_cjk(reading: Recognition) -> bool:
    """At least half the letters read are CJK."""
    letters = [c.char for c in reading.chars if c.char.isalnum()]
    return bool(letters) and sum(is_cjk(ch) for ch in letters) >= 0.5 * len(letters)


def char_class(ch: str) -> str:
    if is_cjk(ch):
        return "cjk"
    cat = unicodedata.category(ch)
    if cat.startswith("P") or cat.startswith("S"):
        # Latin apostrophes and hyphens inside words stay with the word.
        return "inword" if ch in "'’-" else "punct"
    return "word"


def _runs(chars: list[CharSpan]) -> list[tuple[list[CharSpan], bool]]:
    """Split into script runs; each run comes with whether a space followed it."""
    runs: list[tuple[list[CharSpan], bool]] = []
    current: list[CharSpan] = []
    current_class = ""
    for c in chars:
        if c.char.isspace():
            if current:
                runs.append((current, True))
            elif runs:
                runs[-1] = (runs[-1][0], True)
            current, current_class = [], ""
            continue
        cls = char_class(c.char)
        if cls == "inword" and current_class == "word":
            current.append(c)
            continue
        cls = "word" if cls == "inword" else cls
        if current and (cls != current_class or cls == "punct"):
            runs.append((current, False))
            current = []
        current.append(c)
        current_class = cls
    if current:
        runs.append((current, False))
    return runs


def to_strings(rec: Recognition, crop: LineCrop) -> list[String]:
    strings: list[String] = []
    runs = _runs(rec.chars)
    for i, (run, space_after) in enumerate(runs):
        text = "".join(c.char for c in run)
        hyphenated = (i == len(runs) - 1 and len(text) > 1 and text[-1] in HYPHENS
                      and char_class(text[0]) == "word")
        if hyphenated:
            run = run[:-1]
            text = text[:-1]
        # A line read right to left holds its characters right to left along the crop.
        box = crop.span_box(min(c.x0 for c in run), max(c.x1 for c in run))
        conf = sum(c.confidence for c in run) / len(run)
        glyphs = [Glyph(c.char, crop.span_box(c.x0, c.x1), c.confidence) for c in run]
        strings.append(String(text, box, conf, glyphs, space_after and i < len(runs) - 1, hyphenated))
    return strings

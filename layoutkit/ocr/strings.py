"""Turn an engine's characters into ALTO-shaped Strings and Glyphs on the page.

Chinese has no spaces, so a String is a run of one script: a run of CJK characters, a Latin word
or number, or a punctuation mark; spaces in the recognised text become SP. Every character keeps
its own box and confidence (written as ALTO Glyphs for CJK, as CC digits for all). A recogniser
that reads positions from the line (PP-OCR's CTC) can miss a narrow word space on a worn scan;
`ink_spaces` puts it back where the line's own ink shows the gap. `join_lines` reads lines as one
text by the same script rules.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from ..model import Glyph, String
from .base import CharSpan, Recognition
from .crops import LineCrop

HYPHENS = "-\u00ad\u2010\u2011\u00ac\u2e17="
#: A gap in the ink between two letters at least this share of the line's character pitch wide is
#: a word space, where the recogniser read none: on a worn scan a narrow space goes unread
#: ("imWasser"). On the Latin samples and two Fraktur pages (1780 and 1888) 99 % of
#: the gaps inside words are under 0.35 of the pitch; the samples' word spaces are 0.4-1.0 ...
SPACE_GAP = 0.5
#: ... and this many times the line's median gap between letters, so letter-spaced type (a byline
#: set "S t o w r o n n e k") is not cut into letters.
SPACED_TYPE = 2.0
#: The gap is looked for this share of the pitch clear of either character's centre: the
#: recogniser places a word's last letter late, towards the space after it.
CLEAR = 0.25
#: The pitch is the median of at least this many steps from one character to the next.
MIN_STEPS = 3
#: A word may end in these before a space that the ink shows.
CLOSING = ".,;:!?)]»“”"
LINE_END_HYPHEN = re.compile(r"(\w)[-\u00ad\u2010\u00ac\u2e17=]$")


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


#: Vertical presentation forms of punctuation (U+FE10-FE19, U+FE30-FE48), read as the marks a
#: Chinese text sets: NFKC's mapping, with the ASCII it gives for some widened to the full-width
#: marks (︐ -> ，, ︵ -> （); the sesame dots and low lines, which are no punctuation, are left alone.
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）", "{": "｛", "}": "｝",
               "[": "［", "]": "］", "...": "…", "..": "‥"}


def _horizontal(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return _FULL_WIDTH.get(folded, folded)


VERTICAL_FORMS = {chr(o): _horizontal(chr(o)) for o in (*range(0xFE10, 0xFE1A), *range(0xFE30, 0xFE49))
                  if len(_horizontal(chr(o))) == 1 and _horizontal(chr(o)) not in (chr(o), "_")}


def horizontal_forms(rec: Recognition) -> Recognition:
    """A reading with the vertical forms of punctuation (which a recogniser of columns may give)
    as the usual code points, so that text, search and measures see one 、 or 「 whichever way
    the column was read; positions and confidences kept."""
    if not any(c.char in VERTICAL_FORMS for c in rec.chars):
        return rec
    return Recognition([CharSpan(VERTICAL_FORMS.get(c.char, c.char), c.x0, c.x1, c.confidence) for c in rec.chars])


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


def _widest_gap(ink: np.ndarray, x0: float, x1: float) -> tuple[int, int]:
    """The widest run of columns without ink in [x0, x1), as (start, end); (0, 0) if none."""
    seg = ink[max(0, round(x0)):max(0, round(x1))]
    edges = np.flatnonzero(np.diff(np.concatenate(([True], seg, [True])).astype(np.int8)))
    if not len(edges):
        return 0, 0
    k = int(np.argmax(edges[1::2] - edges[::2]))
    start = max(0, round(x0)) + int(edges[2 * k])
    return start, start + int(edges[2 * k + 1] - edges[2 * k])


def _may_part(a: str, b: str) -> bool:
    """Whether a word space may stand between these two characters: before a letter, after a
    letter or a closing mark; figures set on one advance leave wide gaps inside a number."""
    return (b.isalpha() and (a.isalpha() or a in CLOSING)) and not (is_wide(a) or is_wide(b))


def ink_spaces(rec: Recognition, crop: LineCrop) -> Recognition:
    """The recognition with a space wherever the ink leaves a word's gap between two characters
    and the recogniser read none; the pitch (character width) is measured on the line itself."""
    chars = list(rec.chars)
    steps = [i for i in range(len(chars) - 1) if not (chars[i].char.isspace() or chars[i + 1].char.isspace())]
    if len(steps) < MIN_STEPS or not any(_may_part(chars[i].char, chars[i + 1].char) for i in steps):
        return rec
    centres = [(c.x0 + c.x1) / 2 for c in chars]
    pitch = float(np.median([centres[i + 1] - centres[i] for i in steps]))
    ink = crop.ink_columns()
    gaps = {i: _widest_gap(ink, centres[i] + CLEAR * pitch, centres[i + 1] - CLEAR * pitch) for i in steps}
    least = max(SPACE_GAP * pitch, SPACED_TYPE * float(np.median([b - a for a, b in gaps.values()])), 1.0)
    out: list[CharSpan] = []
    for i, c in enumerate(chars):
        start, end = gaps.get(i, (0, 0))
        if end - start < least or not _may_part(c.char, chars[i + 1].char):
            out.append(c)
            continue
        after = chars[i + 1]
        out += [CharSpan(c.char, c.x0, start, c.confidence),
                CharSpan(" ", start, end, (c.confidence + after.confidence) / 2)]
        chars[i + 1] = CharSpan(after.char, end, after.x1, after.confidence)
    return Recognition(out)


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


def join_lines(lines: list[str]) -> str:
    """Lines read as one run of text: Latin words apart, CJK characters together, a word broken
    at a line end whole again."""
    out = ""
    for text in (t.strip() for t in lines):
        if not text:
            continue
        if not out:
            out = text
        elif LINE_END_HYPHEN.search(out) and text[:1].islower():
            out = out[:-1] + text
        elif is_wide(out[-1]) or is_wide(text[0]):
            out += text
        else:
            out += " " + text
    return out

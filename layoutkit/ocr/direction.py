"""Which way a horizontal Chinese line reads: left to right, or right to left.

Until the 1950s Chinese papers set horizontal heads, mastheads and running heads right to left:
in 中華民國二十八年四月廿一日 as a 1939 paper prints it, 日 stands at the left end. The recogniser
reads such a line's glyphs left to right as they stand, every character right and their order
reversed. Its confidence cannot tell: measured on rendered heads, the same glyphs cut apart and put
together the other way round read 0.99-1.00 both ways. Which way neighbouring characters are
written can: 星期 is common, 期星 is not. The counts of both orders of each pair of neighbours in a
word list of 349 046 words (jieba's, in simplified and traditional characters; models/README.md)
say which way a block's lines read, each pair weighted by the recogniser's confidence in its two
characters, so that characters it is unsure of say little.

On a page set in vertical columns a horizontal line reads right to left as often as not; on a
page of horizontal lines one that does is rare, so there the pairs must say so clearly, unless
the page's lines on the whole read right to left.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Sequence
from functools import cache
from importlib import resources
from itertools import pairwise

import numpy as np

from ..layout.linebox import ROW_SHARE, ROW_SIZES
from ..model import Block, Box, Direction, TextLine
from .base import CharSpan, Recognition
from .strings import is_cjk, mostly_cjk

BIGRAMS = resources.files("layoutkit.ocr").joinpath("zh_bigrams.tsv.gz")
#: Added to both counts of a pair, so that a pair seen a few times one way and never the other
#: counts for little (the table keeps pairs seen 10 times or more).
SMOOTHING = 16.0
#: Evidence (log count ratios summed over a group's pairs) that a group of lines of a page set in
#: columns must show to be read right to left: a pair seen 16 times one way and never the other
#: shows 0.7, one seen 8 times 0.4. Cut into lines of 8
#: characters, Republican-era vertical newspaper text of 1920-1939 (transcriptions only) reads
#: 93 % of its lines right to left when they are reversed, and 4 % when they are not.
COLUMN_PAGE_EVIDENCE = 0.5
#: ... and on a page set in horizontal lines. Measured on the simplified sample corpus cut into
#: lines of 2, 3 and 4 characters: 0.3 %, 0.1 % and 0.1 % of them show less than -6 as written,
#: while lines of 8 and more show at least 0.9 each way.
LINE_PAGE_EVIDENCE = 6.0


@cache
def pair_counts() -> dict[str, float]:
    counts: dict[str, float] = {}
    with gzip.open(BIGRAMS.open("rb"), "rt", encoding="utf-8") as fh:
        for row in fh:
            if not row.startswith("#"):
                pair, log2 = row.rstrip("\n").split("\t")
                counts[pair] = 2.0 ** int(log2)
    return counts


def order_evidence(chars: Sequence[CharSpan]) -> float:
    """Positive when the characters are more often written in the order read (left to right),
    negative when the other way round; 0 when no pair of CJK neighbours is known."""
    counts = pair_counts()
    evidence = 0.0
    for a, b in pairwise(chars):
        if is_cjk(a.char) and is_cjk(b.char):
            ahead, back = counts.get(a.char + b.char, 0.0), counts.get(b.char + a.char, 0.0)
            evidence += a.confidence * b.confidence * math.log((ahead + SMOOTHING) / (back + SMOOTHING))
    return evidence


def right_to_left(blocks: Sequence[Block], readings: dict[int, Recognition]) -> set[int]:
    """id() of every line to be read right to left. `readings` holds each line's reading by id().

    The horizontal CJK lines are judged in groups that read one way: the lines of a block, and
    the pieces of one printed row (a running head comes out of the detector as its date, title,
    weekday and folio). On a page of an old paper (set in columns, or whose horizontal lines read
    right to left on the whole, as an advert page of 1919 does) a group reads right to left on
    little evidence, and one its pairs leave undecided (a title of two characters no word list
    holds) follows the page's other groups: a paper sets its heads one way.
    """
    lines = [ln for b in blocks for ln in b.lines]
    chars = {id(ln): len(readings[id(ln)].chars) if id(ln) in readings else 0 for ln in lines}
    in_columns = sum(chars[id(ln)] for ln in lines if ln.direction is Direction.TTB) > 0.5 * sum(chars.values())
    chinese = [(ln, b.id) for b in blocks for ln in b.lines
               if ln.direction is not Direction.TTB and id(ln) in readings and mostly_cjk(readings[id(ln)])]
    groups = _groups(chinese)
    evidence = [sum(order_evidence(readings[id(ln)].chars) for ln in g) for g in groups]
    # A page of an old paper: set in columns, or an advert page whose heads on the whole read
    # right to left.
    old = in_columns or sum(evidence) < -LINE_PAGE_EVIDENCE
    needed = COLUMN_PAGE_EVIDENCE if old else LINE_PAGE_EVIDENCE
    backwards = [e < -needed for e in evidence]
    if old:
        decided = [b for b, e in zip(backwards, evidence, strict=True) if abs(e) >= needed]
        if decided and sum(decided) > len(decided) / 2:
            backwards = [b or abs(e) < needed for b, e in zip(backwards, evidence, strict=True)]
    return {id(ln) for g, back in zip(groups, backwards, strict=True) if back for ln in g}


def _groups(lines: list[tuple[TextLine, str]]) -> list[list[TextLine]]:
    """Lines joined when they stand in one block, or side by side in one row in type of a size."""
    boxes = Box.rows([ln.box for ln, _ in lines])
    heights = boxes[:, 3] - boxes[:, 1]
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    block_ids = np.array([block for _line, block in lines])
    for i in range(len(lines)):
        shared = np.minimum(boxes[i, 3], boxes[:, 3]) - np.maximum(boxes[i, 1], boxes[:, 1])
        low, high = np.minimum(heights[i], heights), np.maximum(heights[i], heights)
        joined = ((shared >= ROW_SHARE * low) & (high <= ROW_SIZES * low)) | (block_ids == block_ids[i])
        for j in np.flatnonzero(joined[i + 1:]) + i + 1:
            parent[root(int(j))] = root(i)
    groups: dict[int, list[TextLine]] = {}
    for i, (line, _block) in enumerate(lines):
        groups.setdefault(root(i), []).append(line)
    return list(groups.values())


def reversed_reading(reading: Recognition) -> Recognition:
    """The characters in reading order for a line read right to left; each keeps its place."""
    return Recognition(reading.chars[::-1])

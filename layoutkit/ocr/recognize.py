"""The OCR stage: every text line of every block, recognised in one batched call, each
horizontal Chinese line in the direction it reads (`direction`), its text kept in reading order.

Print on the sheet's other side shows through thin paper. Where it is as dark as the front's
print (an old masthead on thin paper), layout's ink test keeps it and the recogniser reads mirrored
letters as garbage it is unsure of ("iojrec" at 0.43). Read mirrored, the same crop gives words
("Berfai" at 0.86), so a doubtful line that reads better mirrored is dropped as show-through.
"""

from __future__ import annotations

import numpy as np

from ..model import Direction, Page, TextLine
from ..profiling import stage
from .base import Recognition, Recognizer
from .crops import READ_HEIGHT, SMALL_TYPE, LineCrop, cut
from .direction import reversed_reading, right_to_left
from .strings import horizontal_forms, to_strings

#: A line of this many characters or fewer ...
NOISE_CHARS = 3
#: ... read with less mean confidence than this is a speck, not text.
NOISE_CONFIDENCE = 0.6
#: A line whose letters are read with less mean confidence than this is tried mirrored ...
DOUBT_CONFIDENCE = 0.6
#: ... and is show-through when mirrored its letters read surer by this much, and about as many.
#: Show-through in a thin-paper masthead gains 0.18-0.45 mirrored; no printed line of the
#: historical Fraktur pages or the samples gains more than 0.1.
MIRROR_MARGIN = 0.1


def is_noise(line: TextLine) -> bool:
    """A line the recogniser read as nothing, or as a character or three it is unsure of, is dirt
    or a speck of show-through the detector picked up ("の" at 0.19 on a Fraktur page), not text."""
    if not line.strings:
        return True
    return len(line.text.replace(" ", "")) <= NOISE_CHARS and line.confidence < NOISE_CONFIDENCE


def show_through(crops: list[LineCrop], results: list[Recognition], recognizer: Recognizer) -> set[int]:
    """Indices of the doubtful lines that read better mirrored: the other side's print."""
    letters = [r.letters() for r in results]
    doubtful = [i for i, r in enumerate(results) if r.chars and letters[i][0] < DOUBT_CONFIDENCE]
    if not doubtful:
        return set()
    mirrored = recognizer.recognize([crops[i].mirrored() for i in doubtful])
    through = set()
    for i, m in zip(doubtful, mirrored, strict=True):
        (sure, count), (sure_mirrored, count_mirrored) = letters[i], m.letters()
        if sure_mirrored > sure + MIRROR_MARGIN and count_mirrored >= 0.5 * count:
            through.add(i)
    return through


def recognise_page(page: Page, bgr: np.ndarray, recognizer: Recognizer, text_height: float) -> Page:
    """Every line read; on a page of small type (`text_height` below SMALL_TYPE) each line is cut
    enlarged to the height the recogniser reads at, so the time goes with the text, not with an
    enlarged page."""
    lines = [line for block in page.blocks for line in block.lines]
    min_height = READ_HEIGHT if 0 < text_height < SMALL_TYPE else 0.0
    with stage("crops"):
        crops = [cut(bgr, np.asarray(line.polygon, dtype=np.float32), min_height) for line in lines]
    results = [horizontal_forms(r) for r in recognizer.recognize(crops)]
    with stage("show-through"):
        through = show_through(crops, results, recognizer)
    backwards = right_to_left(page.blocks, {id(ln): r for i, (ln, r) in enumerate(zip(lines, results, strict=True))
                                            if i not in through})
    for i, (line, crop, rec) in enumerate(zip(lines, crops, results, strict=True)):
        if id(line) in backwards:
            line.direction, rec = Direction.RTL, reversed_reading(rec)
        line.strings = [] if i in through else to_strings(rec, crop)
    for block in page.blocks:
        if any(id(ln) in backwards for ln in block.lines):
            block.direction = Direction.RTL
        block.lines = [ln for ln in block.lines if not is_noise(ln)]
        if block.lines:
            block.confidence = sum(ln.confidence for ln in block.lines) / len(block.lines)
    page.blocks = [b for b in page.blocks if b.lines or not b.type.is_text]
    return page

"""The modules of a horizontal page: stories with decks, body text flowed down columns, photos
with captions and credits, vertical headlines, boxed stories, brief columns and adverts.

A story's body is a list of slots in reading order: column stretches the text fills and inserts
(a photo with its caption and credit) drawn where the column flow reaches them. A paragraph cut at
the foot of a stretch goes on at the head of the next one as a new block linked by next_block. The
text is drawn to fill its columns: a story ends with a whole sentence unless a jump line sends it
to another page, where it may stop mid-sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from layoutkit.model import Block, BlockType, Box, TextLine

from .prose import Prose
from .sheet import Sheet, Story
from .typeset import Face, SetLine, Text, draw_line, set_lines

BLACK = (0, 0, 0)
RED = (200, 28, 36)
BLUE = (28, 62, 150)


@dataclass
class Style:
    """A page's typography: body face and pitch, the families for headlines and small type, inks."""

    prose: Prose
    body: Face
    bold: Face
    pitch: float
    indent: float
    heads: list[str]
    sans: str
    serif: str
    italic: str
    inks: list[tuple[int, int, int]]
    gutter: float
    column_rules: bool
    hyphenate: object | None = None
    heads_centred: bool = True
    halftone: bool = False
    colour: bool = False
    #: No picture on the page has a caption.
    bare_photos: bool = False

    @property
    def cjk(self) -> bool:
        return self.body.cjk

    @property
    def rng(self) -> np.random.Generator:
        return self.prose.rng

    def face(self, family: str, factor: float, colour: tuple[int, int, int] = BLACK) -> Face:
        return Face(family, max(6, round(self.body.size * factor)), colour)

    def ink(self) -> tuple[int, int, int]:
        """Black mostly; a headline in the page's colour now and then."""
        return self.inks[int(self.rng.integers(len(self.inks)))] if self.rng.random() < 0.3 else BLACK

    def rule_width(self) -> int:
        return max(1, round(self.body.size * 0.08))


def column(x0: float, x1: float, y0: float, y1: float) -> Box:
    """A stretch of column the flow fills, from y0 down to y1."""
    return Box(x0, y0, x1, y1)


Slot = Box | Callable[[], None]


@dataclass
class Para:
    text: Text
    ends: list[int] = field(default_factory=list)  # where each sentence ends in text.chars


def paragraphs(style: Style, topic: str, lead_in: Callable[[], str] | None = None) -> Iterator[Para]:
    """The story's paragraphs; a brief's open with a lead-in in bold."""
    for sentences in style.prose.paragraphs(topic):
        runs: list[tuple[str, Face]] = []
        if lead_in is not None:
            runs.append((lead_in(), style.bold))
        start = sum(len(t) for t, _ in runs)
        body = style.prose.join(sentences)
        runs.append((body, style.body))
        ends, pos = [], start
        for s in sentences:
            pos += len(s)
            ends.append(pos)
            pos += 0 if style.cjk else 1
        yield Para(Text.of(*runs), ends)


# -- lines and blocks of small type -----------------------------------------------------------------
def set_block(sheet: Sheet, story: Story, btype: BlockType, text: Text, x0: float, width: float, y: float,
              align: str = "left", leading: float = 1.25, justify: bool = False, hyphenate=None,
              max_lines: int | None = None, **links: str | None) -> tuple[Block, float]:
    """Set `text` in [x0, x0 + width] from y down; the block and the y under its last line."""
    lines = set_lines(text, width, 0.0, justify, hyphenate, max_lines)
    return place_lines(sheet, story, btype, lines, x0, width, y, align, leading, **links)


def place_lines(sheet: Sheet, story: Story, btype: BlockType, lines: list[SetLine], x0: float, width: float,
                y: float, align: str = "left", leading: float = 1.25, **links: str | None) -> tuple[Block, float]:
    drawn: list[TextLine] = []
    for ln in lines:
        above, below = max(p.face.extents()[0] for p in ln.pieces), max(p.face.extents()[1] for p in ln.pieces)
        size = max(p.face.size for p in ln.pieces)
        slack = width - ln.width
        x = x0 + (slack / 2 if align == "center" else slack if align == "right" else 0.0)
        drawn.append(draw_line(sheet.canvas, ln, x, y + above))
        y += max(size * leading, above + below + 1)
    return sheet.add(story, btype, drawn, **links), drawn[-1].box.y1


def line_height(face: Face) -> float:
    above, below = face.extents()
    return above + below


def headline_lines(style: Style, text: str, family: str, width: float, lo: float, hi: float,
                   colour: tuple[int, int, int], max_lines: int = 2, room: float = float("inf")) -> list[SetLine]:
    """The headline at the largest size between lo and hi body sizes that sets in max_lines and
    `room` pixels of height; at lo, its first max_lines lines (the printed headline is the truth)."""
    factor = hi
    while True:
        face = style.face(family, factor, colour)
        lines = set_lines(Text.of((text, face)), width, justify=False, hyphenate=None)
        if (len(lines) <= max_lines and len(lines) * face.size * 1.15 <= room) or factor <= lo:
            return lines[:max_lines]
        factor *= 0.9


# -- body flow --------------------------------------------------------------------------------------
def _fits(style: Style, col: Box, y: float) -> bool:
    return y + line_height(style.body) <= col.y1 + 1e-6


def _capacity(style: Style, col: Box, y: float | None = None) -> int:
    y = col.y0 if y is None else y
    room = col.y1 - y - line_height(style.body)
    return int(room // style.pitch) + 1 if room >= 0 else 0


def flow(sheet: Sheet, story: Story, style: Style, slots: list[Slot], source: Iterator[Para], *,
         subheads: bool = False, jump: str | None = None, gap: float = 0.0) -> None:
    """Fill the column stretches with paragraphs, drawing inserts where the flow reaches them; with
    a jump line, the text runs to the end and the line goes under the last column, in a line's
    room the caller keeps free there."""
    cols = [s for s in slots if isinstance(s, Box)]
    last_col = cols[-1] if cols else None
    pending: Para | None = None
    offset = 0
    previous: Block | None = None
    done = False
    for slot in slots:
        if not isinstance(slot, Box):
            slot()
            continue
        if done:
            continue
        col = slot
        y = col.y0
        while not done and _fits(style, col, y):
            if pending is None:
                if subheads and any(b.type is BlockType.BODY for b in story.blocks) and _capacity(style, col, y) >= 5 \
                        and style.rng.random() < 0.1:
                    # A subhead in the column: bold, centred or flush left, at the body's size or a little over.
                    face = style.face(style.sans if style.cjk else style.heads[0], float(style.rng.uniform(1.0, 1.25)))
                    _, bottom = set_block(sheet, story, BlockType.SUBHEADLINE,
                                          Text.of((style.prose.one("subheads"), face)), col.x0, col.width,
                                          y + 0.4 * style.pitch, align="center" if style.rng.random() < 0.6 else "left")
                    y = bottom + 0.5 * style.pitch
                    previous = None
                    continue
                pending, offset = next(source), 0
                if not jump:
                    room = _capacity(style, col, y) + sum(_capacity(style, c) for c in cols[cols.index(slot) + 1:])
                    pending = _shorten(style, pending, col.width, room)
                    if pending is None:
                        done = True
                        break
            text = pending.text.tail(offset)
            indent = style.indent if offset == 0 else 0.0
            fit = _capacity(style, col, y)
            lines = set_lines(text, col.width, indent, True, style.hyphenate, max_lines=fit + 1)
            take = lines[:fit]
            if len(lines) > fit and slot is last_col and not jump:
                take = _end_at_sentence(style, pending, offset, take, col.width, indent)
                done = True
            drawn = [draw_line(sheet.canvas, ln, col.x0, y + k * style.pitch + style.body.extents()[0])
                     for k, ln in enumerate(take)]
            block = sheet.add(story, BlockType.BODY, drawn)
            if previous is not None:
                previous.next_block = block.id
            y += len(take) * style.pitch
            if len(lines) > fit and not done:
                offset += take[-1].end
                previous = block
                break
            pending, previous = None, None
            y += gap
        if jump and slot is last_col:
            # The jump line stands in the line the story keeps free under its last column.
            face = style.face(style.serif if not style.cjk else style.sans, 0.9)
            set_block(sheet, story, BlockType.FURNITURE, Text.of((jump, face)), col.x0, col.width,
                      col.y1 + style.pitch - line_height(face), align="right")


def _shorten(style: Style, para: Para, width: float, room: int) -> Para | None:
    """The paragraph cut to the whole sentences that fit in `room` lines (None if not one does)."""
    ends = list(para.ends)
    while ends:
        text = Text(para.text.chars[:ends[-1]], para.text.faces[:ends[-1]])
        if len(set_lines(text, width, style.indent, True, style.hyphenate, max_lines=room + 1)) <= room:
            return Para(text, ends)
        ends.pop()
    return None


def _end_at_sentence(style: Style, para: Para, offset: int, take: list[SetLine], width: float,
                     indent: float) -> list[SetLine]:
    """The lines that fit, ending at the last sentence end they reach (set again without it)."""
    reach = offset + take[-1].end if take else offset
    ends = [e for e in para.ends if offset < e <= reach]
    if not ends:
        return take
    text = Text(para.text.chars[offset:ends[-1]], para.text.faces[offset:ends[-1]])
    return set_lines(text, width, indent, True, style.hyphenate)

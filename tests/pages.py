"""Pages the tests draw that the sample generator does not: Chinese set in vertical columns read
right to left, a running head set right to left, two pages in one image, light coloured print."""

from __future__ import annotations

import numpy as np

from layoutkit.model import Block, BlockType, Box, Direction, Page, String, TextLine
from samples.pagegen import synth


def vertical_page(text: str, *, width: int = 1400, height: int = 1300, font_px: int = 30, margin: int = 80,
                  head: str | None = None) -> tuple[np.ndarray, Page]:
    """Columns of `text` from the right edge leftwards, each read top to bottom; above them, when
    given, a running head set horizontally right to left over a rule, as a Republican paper sets it."""
    canvas = synth.Canvas(width, height)
    fnt = synth.font("cjk-serif", font_px)
    top = margin
    if head:
        line = right_to_left_line(canvas, head, width - margin, margin, fnt)
        canvas.blocks.append(Block(canvas.next_id(), BlockType.FURNITURE, line.box.polygon(), [line],
                                   direction=Direction.RTL))
        rule = round(line.box.y1 + font_px)
        canvas.draw.line([(margin, rule), (width - margin, rule)], fill=0, width=3)
        top = rule + font_px
    pitch = font_px * 1.05
    per_column = int((height - margin - top - font_px) // pitch) + 1
    x = width - margin - font_px
    lines = []
    while text and x >= margin:
        lines.append(synth.draw_vertical(canvas, text[:per_column], x, top, fnt, pitch))
        text = text[per_column:]
        x -= round(font_px * 1.6)
    box = Box.enclosing([ln.box for ln in lines])
    canvas.blocks.append(Block(canvas.next_id(), BlockType.BODY, box.polygon(), lines, direction=Direction.TTB))
    return synth.to_bgr(canvas.image), canvas.page("vertical")


def right_to_left_line(canvas: synth.Canvas, text: str, right: float, y: float, fnt) -> TextLine:
    """One horizontal line whose first character stands at the right end; the ground truth keeps
    the text in reading order."""
    x = right
    ascent, _ = fnt.getmetrics()
    for ch in text:
        x -= fnt.getlength(ch)
        canvas.draw.text((x, y - (ascent - fnt.size * 0.88)), ch, font=fnt, fill=0)
    box = Box(x, y, right, y + fnt.size * 1.04)
    return TextLine(box.polygon(), Direction.RTL, [String(text, box, 1.0)])

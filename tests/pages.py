"""Pages the tests draw that the sample generator does not: Chinese set in vertical columns read
right to left, a running head set right to left, two pages in one image, light coloured print."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from layoutkit.model import Block, BlockType, Box, Direction, Page, String, TextLine
from samples.pagegen import synth

#: Light print whose grey is near the paper's (RGB), and the tint of a box behind text.
LIGHT_INKS = {"yellow": (235, 200, 0), "pink": (240, 150, 170), "green": (110, 200, 110), "sky": (90, 170, 230)}
TINT = (200, 225, 245)


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


def spread(left: np.ndarray, right: np.ndarray, gutter: int = 60) -> np.ndarray:
    """Two pages side by side as a fold is scanned: a white gutter with the crease's grey line
    down its middle."""
    height = max(left.shape[0], right.shape[0])
    out = np.full((height, left.shape[1] + gutter + right.shape[1], 3), 255, dtype=np.uint8)
    out[:left.shape[0], :left.shape[1]] = left
    out[:right.shape[0], left.shape[1] + gutter:] = right
    crease = left.shape[1] + gutter // 2
    out[:, crease - 1:crease + 2] = 150
    return out


def coloured_page(lines: list[str], *, width: int = 1400, font_px: int = 34, margin: int = 80,
                  body: int = 8) -> tuple[np.ndarray, list[tuple[str, str]], int]:
    """`body` lines of black text, a line in each of LIGHT_INKS, a black and a sky-blue line on a
    tinted box, on slightly yellowed paper; below them, in the page's blank foot, the first lines
    showing through from the back, mirrored and grey. Returns the BGR page, (ink, text) of each
    line printed on this side, and where the foot begins."""
    fnt = synth.font("cjk-sans", font_px)
    inks = ([("black", (20, 20, 20))] * body + list(LIGHT_INKS.items())
            + [("black on tint", (20, 20, 20)), ("sky on tint", LIGHT_INKS["sky"])])
    pitch = round(font_px * 1.9)
    ghosts = 4
    height = 2 * margin + pitch * (len(inks) + ghosts + 1)
    image = Image.new("RGB", (width, height), (250, 247, 236))
    draw = ImageDraw.Draw(image)
    printed: list[tuple[str, str]] = []
    for i, ((ink, colour), text) in enumerate(zip(inks, lines, strict=False)):
        y = margin + i * pitch
        if ink.endswith("tint"):
            draw.rectangle([margin - 20, y - 12, width - margin + 20, y + font_px + 16], fill=TINT)
        draw.text((margin, y), text, font=fnt, fill=colour)
        printed.append((ink, text))
    # The back's first lines, mirrored, in the foot: the paper darkened where they show.
    back = Image.new("L", (width, height), 255)
    back_draw = ImageDraw.Draw(back)
    foot = margin + (len(inks) + 1) * pitch
    for i, text in enumerate(lines[:ghosts]):
        back_draw.text((margin, foot + i * pitch), text, font=fnt, fill=0)
    through = 1.0 - 0.3 * (1.0 - np.asarray(back)[:, ::-1].astype(np.float32) / 255.0)
    page = np.asarray(image).astype(np.float32) * through[:, :, None]
    return np.ascontiguousarray(page.clip(0, 255).astype(np.uint8)[:, :, ::-1]), printed, foot - pitch // 2

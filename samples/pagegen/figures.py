"""Pictures set into a story's columns with what a reader takes as theirs: a photo or an
infographic, its caption and its credit, in the placements real pages use.

A caption runs one to six lines, set to the picture's measure under it, in the neighbouring column
beside it, or over one of its corners (on a white panel, or straight onto a light part of the
picture: a sky). The credit stands inline at the caption's end, beside the caption on its first
row, above it under the picture, under it, or not at all; on some pages no picture has a caption.
An infographic (a bar chart, a table of figures, a row of pictograms with their numbers) is
drawn as one figure: a graphic block in the ground truth, whatever text is drawn inside it.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from layoutkit.model import Block, BlockType, Box

from .pictures import infographic, photo
from .sheet import Sheet, Story
from .stories import Slot, Style, column, line_height, place_lines, set_block
from .typeset import Face, SetLine, Text, set_lines

#: Where a caption goes, where its credit goes (beside and above only under the picture), and
#: the share of lines a caption under its picture runs to.
PLACES = {"below": 0.55, "beside": 0.2, "over": 0.25}
CREDITS = {"inline": 0.25, "beside": 0.15, "above": 0.15, "below": 0.3, "none": 0.15}
LINES = {1: 0.3, 2: 0.22, 3: 0.2, 4: 0.12, 5: 0.09, 6: 0.07}


def _choose(rng: np.random.Generator, weights: dict) -> str | int:
    keys = list(weights)
    p = np.asarray([weights[k] for k in keys], float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def caption_lines(style: Style, topic: str, face: Face, width: float, target: int,
                  credit: str | None = None) -> list[SetLine]:
    """A caption of about `target` lines (never more than six) at this measure: a scene, maybe
    opened by a date or a place, then sentences of the story's topic, the credit inline at its end."""
    rng, prose = style.rng, style.prose
    scene = prose.one("captions")
    if rng.random() < 0.4 and prose.data.get("caption_leads"):
        lead = prose.one("caption_leads")
        scene = lead + (scene[:1].lower() + scene[1:] if lead.endswith(": ") and not style.cjk else scene)
    sentences = next(prose.paragraphs(topic))
    parts = [scene]
    sep = "" if style.cjk else " "

    def text(parts: list[str]) -> Text:
        body = sep.join(parts)
        if credit:
            body += ("　" if style.cjk else " ") + credit
        return Text.of((body, face))

    lines = set_lines(text(parts), width, 0.0, True, style.hyphenate)
    for sentence in sentences:
        if len(lines) >= target:
            break
        longer = set_lines(text([*parts, sentence]), width, 0.0, True, style.hyphenate)
        if len(longer) > 6:
            break
        parts, lines = [*parts, sentence], longer
    if len(lines) > 6:  # the scene alone is too long for a narrow column: its first lines
        lines = set_lines(text(parts), width, 0.0, True, style.hyphenate, max_lines=6)
    return lines


def photo_slots(sheet: Sheet, story: Story, style: Style, cols: list[Box], topic: str) -> list[Slot]:
    """The story's columns as slots, with a picture, its caption and credit set into them: across
    one or more columns at the head, the foot or the middle."""
    rng = style.rng
    n = len(cols)
    span = int(rng.integers(1, n + 1)) if n > 1 else 1
    if n > 1 and span == n and rng.random() < 0.5:
        span = n - 1
    p0 = int(rng.integers(0, n - span + 1))
    x0, x1 = cols[p0].x0, cols[p0 + span - 1].x1
    top, bottom = max(c.y0 for c in cols[p0:p0 + span]), min(c.y1 for c in cols[p0:p0 + span])
    graphic = rng.random() < 0.15
    ratio = rng.uniform(0.55, 0.8) if span > 1 or rng.random() < 0.5 else rng.uniform(1.1, 1.35)
    ph = min((x1 - x0) * ratio, (bottom - top) * 0.55)
    place = "none" if style.bare_photos or rng.random() < 0.06 else str(_choose(rng, PLACES))
    beside_col = p0 + span if p0 + span < n else p0 - 1
    if place == "beside" and n == span:
        place = "below"
    if place == "over" and (graphic or (x1 - x0) < 14 * style.body.size or ph < 8 * style.pitch):
        place = "below"
    credit_at = str(_choose(rng, CREDITS)) if place != "none" else "none"
    if place != "below" and credit_at in ("beside", "above"):
        credit_at = "below"
    # Captions in the sans of a CJK page; on a Latin page in its roman or italic, a size under the body's or at it.
    cap_face = style.face(style.sans if style.cjk else str(rng.choice([style.serif, style.italic])),
                          rng.uniform(0.85, 1.0))
    credit_face = style.face(style.sans if style.cjk else style.italic, 0.75)
    credit_text = style.prose.one("credits")
    credit = Text.of((credit_text, credit_face))
    credit_w = credit_face.advance(credit_text) + 2
    gap_v = 0.4 * style.pitch
    if place == "beside":
        cap_x0, cap_w = cols[beside_col].x0, cols[beside_col].width
    elif place == "over":
        cap_w = (x1 - x0) * float(rng.uniform(0.4, 0.65))
        cap_x0 = x0
    else:
        cap_x0, cap_w = x0, x1 - x0
    cap_lines: list[SetLine] = []
    if place != "none":
        target = int(_choose(rng, LINES)) if place != "over" else int(rng.integers(1, 4))
        measure = cap_w - (credit_w + style.body.size if credit_at == "beside" else 0.0)
        if measure < 6 * style.body.size:
            credit_at, measure = "below", cap_w
        cap_lines = caption_lines(style, topic, cap_face, measure, target,
                                  credit_text if credit_at == "inline" else None)
        if place == "over":
            cap_lines = cap_lines[:3]
    cap_h = len(cap_lines) * max(cap_face.size * 1.3, line_height(cap_face) + 1)
    credit_h = line_height(credit_face) + 0.3 * style.pitch if credit_at in ("above", "below") else 0.0
    below_h = {"below": gap_v + cap_h + credit_h, "over": credit_h + gap_v, "beside": 0.0,
               "none": 0.0}[place]
    if ph < 4 * style.pitch or ph + below_h > (bottom - top) * 0.8:
        return list(cols)
    where = rng.choice(["head", "foot", "middle"])
    if where == "head":
        py0 = top
    elif where == "foot":
        py0 = bottom - ph - below_h
    else:
        py0 = top + style.pitch * int(rng.integers(3, max(4, int((bottom - top - ph - below_h) / style.pitch) - 2)))
    py0 = min(py0, bottom - ph - below_h)
    group_bottom = py0 + ph + below_h
    pic_box = Box(round(x0), round(py0), round(x1), round(py0 + ph))
    corner = str(rng.choice(["bottom-left", "bottom-right", "top-left", "top-right"]))
    if place == "beside":
        cap_y = max(cols[beside_col].y0, pic_box.y1 - cap_h - credit_h)
    elif place == "over":
        pad = 0.5 * style.body.size
        cap_x0 = pic_box.x0 + pad if corner.endswith("left") else pic_box.x1 - pad - cap_w
        cap_y = pic_box.y0 + pad if corner.startswith("top") else pic_box.y1 - pad - cap_h
    else:
        cap_y = pic_box.y1 + gap_v + (credit_h if credit_at == "above" else 0.0)

    def draw() -> None:
        w, h = int(pic_box.width), int(pic_box.height)
        pic = infographic(rng, w, h, style) if graphic else photo(rng, w, h, style.colour, style.halftone)
        canvas = sheet.canvas
        canvas.image.paste(pic if canvas.mode == "RGB" else pic.convert("L"), (int(pic_box.x0), int(pic_box.y0)))
        block = sheet.add(story, BlockType.GRAPHIC if graphic else BlockType.PHOTO, [], pic_box)
        if place == "over":
            _ground(sheet, style, Box(cap_x0, cap_y, cap_x0 + cap_w, cap_y + cap_h), corner)
        if credit_at == "above":
            set_block(sheet, story, BlockType.CREDIT, credit, pic_box.x0, pic_box.width, pic_box.y1 + 2,
                      align="right", credit_of=block.id)
        cap: Block | None = None
        if cap_lines:
            cap, y = place_lines(sheet, story, BlockType.CAPTION, cap_lines, cap_x0, cap_w, cap_y, leading=1.3,
                                 caption_of=block.id)
        if credit_at == "beside":
            set_block(sheet, story, BlockType.CREDIT, credit, cap_x0 + cap_w - credit_w, credit_w,
                      cap.lines[0].box.y0 if cap is not None else cap_y, align="right", credit_of=block.id)
        elif credit_at == "below":
            under = pic_box.y1 + gap_v if place == "over" else (y + 0.2 * style.pitch if cap_lines else pic_box.y1)
            set_block(sheet, story, BlockType.CREDIT, credit, pic_box.x0 if place == "over" else cap_x0,
                      pic_box.width if place == "over" else cap_w, under, align="right", credit_of=block.id)
        # The caption is read before its credit wherever the credit is printed.
        if cap is not None and credit_at == "above":
            story.blocks.remove(cap)
            story.blocks.insert(len(story.blocks) - 1, cap)

    slots: list[Slot] = []
    gap = 0.6 * style.pitch
    story.holes.append(Box(x0 - style.gutter, py0 - gap, x1 + style.gutter, group_bottom + gap))
    for k, c in enumerate(cols):
        if p0 <= k < p0 + span:
            slots.append(column(c.x0, c.x1, c.y0, py0 - gap))
            if k == p0:
                slots.append(draw)
            slots.append(column(c.x0, c.x1, group_bottom + gap, c.y1))
        elif place == "beside" and k == beside_col:
            slots.append(column(c.x0, c.x1, c.y0, cap_y - gap))
            slots.append(column(c.x0, c.x1, cap_y + cap_h + credit_h + gap, c.y1))
        else:
            slots.append(c)
    return slots


def _ground(sheet: Sheet, style: Style, box: Box, corner: str) -> None:
    """What a caption over a picture stands on: a white panel at a bottom corner, the picture
    itself lightened at a top corner (the sky a page prints its text onto)."""
    pad = round(0.35 * style.body.size)
    x0, y0, x1, y1 = (round(box.x0) - pad, round(box.y0) - pad, round(box.x1) + pad, round(box.y1) + pad)
    canvas = sheet.canvas
    if corner.startswith("bottom"):
        canvas.draw.rectangle((x0, y0, x1, y1), fill=canvas.ink((255, 255, 255)))
        return
    region = canvas.image.crop((x0, y0, x1, y1))
    light = Image.blend(region, Image.new(region.mode, region.size, "white"), 0.6)
    canvas.image.paste(light, (x0, y0))

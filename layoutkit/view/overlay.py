"""The page drawn with what was found on it, as one PNG: for a quick look and for bug reports.

The scan is dimmed so the colours read; blocks are filled by type and outlined in their article's
colour (or, `by="article"`, filled with their article's colour, one colour an article and never
one a neighbour has, and outlined by type), reading order is numbered with arrows from block to
block, separators are drawn dark, each photo has a line to its caption and credit, and strings
below the confidence threshold are boxed in red. A legend of the types used stands in a strip right of the page.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .scene import page_scene

FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LOW_COLOUR = (230, 0, 0)
FILL_ALPHA = 90
#: Width of the legend strip, in drawing units.
LEGEND_WIDTH = 100


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for f in FONT_FILES:
        if Path(f).is_file():
            return ImageFont.truetype(f, size)
    return ImageFont.load_default()


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def render(scene: dict, bgr: np.ndarray | None, max_side: int = 2500, by: str = "type") -> Image.Image:
    w, h = scene["width"], scene["height"]
    if bgr is not None:
        base = Image.fromarray(np.ascontiguousarray(bgr[:, :, ::-1]))
        if base.size != (w, h):
            base = base.resize((w, h))
    else:
        base = Image.new("RGB", (w, h), "white")
    k = min(1.0, max_side / max(w, h))
    if k < 1.0:
        base = base.resize((max(1, round(w * k)), max(1, round(h * k))), Image.Resampling.LANCZOS)
    # Dim the scan towards white so fills and lines stand out on dark photos and text alike.
    canvas = Image.blend(base.convert("RGB"), Image.new("RGB", base.size, "white"), 0.55).convert("RGBA")
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = max(2, round(max(canvas.size) / 900))

    def pts(poly: list[list[float]]) -> list[tuple[float, float]]:
        return [(x * k, y * k) for x, y in poly]

    for b in scene["blocks"]:
        rgb = _rgb(b["colour"])
        outline = _rgb(b["article_colour"]) if b["article_colour"] else rgb
        if by == "article":
            rgb, outline = outline, rgb
        draw.polygon(pts(b["polygon"]), fill=(*rgb, FILL_ALPHA), outline=(*outline, 255), width=unit)
    for s in scene["separators"]:
        draw.polygon(pts(s["polygon"]), fill=(20, 20, 20, 255), outline=(20, 20, 20, 255), width=max(1, unit // 2))
    for b in scene["blocks"]:
        for ln in b["lines"]:
            for s in ln["strings"]:
                if s["low"]:
                    x, y, sw, sh = s["box"]
                    draw.rectangle((x * k, y * k, (x + sw) * k, (y + sh) * k), outline=(*LOW_COLOUR, 255), width=unit)
    by_id = {b["id"]: b for b in scene["blocks"]}
    for link in scene["links"]:
        a, c = by_id[link["from"]]["centre"], by_id[link["to"]]["centre"]
        draw.line((a[0] * k, a[1] * k, c[0] * k, c[1] * k), fill=(*_rgb(by_id[link["to"]]["colour"]), 255),
                  width=unit * 2)
    _order(draw, scene, k, unit)
    page = Image.alpha_composite(canvas, layer).convert("RGB")
    # The legend goes in a strip right of the page, so it hides nothing found on it.
    out = Image.new("RGB", (page.width + LEGEND_WIDTH * unit, page.height), "white")
    out.paste(page, (0, 0))
    _legend(ImageDraw.Draw(out), scene, unit, page.width, by)
    return out


def _order(draw: ImageDraw.ImageDraw, scene: dict, k: float, unit: int) -> None:
    by_id = {b["id"]: b for b in scene["blocks"]}
    centres = [(by_id[i]["centre"][0] * k, by_id[i]["centre"][1] * k) for i in scene["order"]]
    for (x0, y0), (x1, y1) in itertools.pairwise(centres):
        draw.line((x0, y0, x1, y1), fill=(0, 0, 0, 200), width=unit)
        ang = math.atan2(y1 - y0, x1 - x0)
        size = 6 * unit
        head = [(x1, y1), (x1 - size * math.cos(ang - 0.4), y1 - size * math.sin(ang - 0.4)),
                (x1 - size * math.cos(ang + 0.4), y1 - size * math.sin(ang + 0.4))]
        draw.polygon(head, fill=(0, 0, 0, 220))
    font = _font(9 * unit)
    for n, (x, y) in enumerate(centres, start=1):
        r = 7 * unit
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 235), outline=(0, 0, 0, 255), width=unit)
        draw.text((x, y), str(n), fill=(0, 0, 0, 255), font=font, anchor="mm")


def _legend(draw: ImageDraw.ImageDraw, scene: dict, unit: int, left: int, by: str = "type") -> None:
    used = list(dict.fromkeys(b["type"] for b in scene["blocks"]))
    if scene["separators"]:
        used.append("separator")
    font = _font(8 * unit)
    row = 12 * unit
    x, y = left + 4 * unit, 4 * unit
    if by == "article":  # the fills are articles': the legend names the outlines
        draw.text((x + 3 * unit, y), "outline:", fill=(0, 0, 0, 255), font=font)
        y += row
    for i, t in enumerate(used):
        top = y + unit * 2 + i * row
        box = (x + 3 * unit, top, x + 12 * unit, top + 9 * unit)
        if by == "article" and t != "separator":
            draw.rectangle(box, outline=(*_rgb(scene["legend"][t]), 255), width=2 * unit)
        else:
            draw.rectangle(box, fill=(*_rgb(scene["legend"][t]), 255))
        draw.text((x + 16 * unit, top), t, fill=(0, 0, 0, 255), font=font)
    top = y + unit * 2 + len(used) * row
    draw.rectangle((x + 3 * unit, top, x + 12 * unit, top + 9 * unit), outline=(*LOW_COLOUR, 255), width=unit)
    draw.text((x + 16 * unit, top), f"confidence < {scene['low_confidence']}", fill=(0, 0, 0, 255), font=font)


def overlay_file(alto: Path, out: Path, image: Path | None = None, max_side: int = 2500,
                 images: Sequence[Path] = (), by: str = "type") -> tuple[dict, str | None]:
    """Read an ALTO (or PAGE) file, find its scan (`image`, else through the batch records and in
    the folders `images`), write the overlay PNG (blocks filled `by` type or article); returns the
    scene and why no scan was found."""
    from .. import atomic
    from ..io.images import load_page
    from ..io.readers import read_layout
    from .sources import Found, ScanFinder

    page = read_layout(alto)
    scene = page_scene(page)
    finder = ScanFinder(alto.parent, images)
    found = Found((image, 0)) if image else finder.find(alto, page.source.name)
    why = found.why or finder.changed(found)
    bgr = load_page(*found.scan) if found.scan and not why else None
    buf = io.BytesIO()
    render(scene, bgr, max_side, by).save(buf, format="PNG")
    atomic.write_bytes(out, buf.getvalue())
    return scene, why

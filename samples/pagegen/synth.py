"""Render newspaper-like pages whose ground truth is exact by construction.

Real scans with full ground truth (types, articles, masthead fields, caption links) are scarce, so
the samples, the tests and the benchmarks also use pages drawn here with real fonts: every line's
box, every block's type and article and the reading order are known, not annotated.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from layoutkit.model import Block, Box, Direction, Page, Source, String, TextLine
from layoutkit.ocr.strings import is_wide
from layoutkit.preprocess import quarter_turn_matrix

#: Font key -> (fontconfig pattern, Debian package that has it). The fixed samples were drawn
#: with the first face of the Noto CJK collections, the Japanese one, so their keys ask for it and
#: stay byte-identical; the generated corpus asks for the simplified (SC) and traditional (TC) faces.
FONT_FAMILIES = {
    "cjk-serif": ("Noto Serif CJK JP", "fonts-noto-cjk"),
    "cjk-serif-bold": ("Noto Serif CJK JP:bold", "fonts-noto-cjk"),
    "cjk-sans": ("Noto Sans CJK JP", "fonts-noto-cjk"),
    "cjk-sans-bold": ("Noto Sans CJK JP:bold", "fonts-noto-cjk"),
    "latin-serif": ("DejaVu Serif", "fonts-dejavu-core"),
    "latin-serif-bold": ("DejaVu Serif:bold", "fonts-dejavu-core"),
    **{f"{script}-{kind}{weight}": (f"Noto {kind.title()} CJK {face}{':bold' if weight else ''}", "fonts-noto-cjk")
       for script, face in (("hans", "SC"), ("hant", "TC")) for kind in ("serif", "sans") for weight in ("", "-bold")},
    "dejavu-serif": ("DejaVu Serif", "fonts-dejavu-core"),
    "dejavu-serif-bold": ("DejaVu Serif:bold", "fonts-dejavu-core"),
    "dejavu-sans-bold": ("DejaVu Sans:bold", "fonts-dejavu-core"),
    "dejavu-serif-condensed-bold": ("DejaVu Serif Condensed:bold", "fonts-dejavu-extra"),
    "noto-serif": ("Noto Serif", "fonts-noto-core"),
    "noto-serif-bold": ("Noto Serif:bold", "fonts-noto-core"),
    "noto-serif-italic": ("Noto Serif:italic", "fonts-noto-core"),
    "noto-sans": ("Noto Sans", "fonts-noto-core"),
    "noto-sans-bold": ("Noto Sans:bold", "fonts-noto-core"),
    "freeserif": ("FreeSerif", "fonts-freefont-ttf"),
    "freeserif-bold": ("FreeSerif:bold", "fonts-freefont-ttf"),
    "freeserif-italic": ("FreeSerif:italic", "fonts-freefont-ttf"),
    "liberation-serif": ("Liberation Serif", "fonts-liberation2"),
    "liberation-serif-bold": ("Liberation Serif:bold", "fonts-liberation2"),
    "liberation-serif-italic": ("Liberation Serif:italic", "fonts-liberation2"),
    "fraktur": ("Blankenburg_UNZ1A", "fonts-blankenburg"),
}


class FontMissing(RuntimeError):
    pass


@cache
def font_face(family: str) -> tuple[str, int]:
    """The file and the face index in it that fontconfig gives for the family's pattern.

    fc-match always answers with some font, so the answer is checked against the family and
    weight asked for: a fallback would draw other shapes than the ground truth promises.
    """
    pattern, package = FONT_FAMILIES[family]
    name, _, style = pattern.partition(":")
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}\t%{style}\t%{file}\t%{index}", pattern],
                               capture_output=True, text=True, check=False, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        found = ""
    parts = found.split("\t")
    if len(parts) == 4 and name in parts[0].split(",") and style.lower() in parts[1].lower() \
            and Path(parts[2]).is_file():
        return parts[2], int(parts[3] or 0)
    raise FontMissing(f"font {pattern!r} not installed (Debian package {package}; fontconfig's fc-match "
                      f"must find it)")


#: A CJK face holds its whole collection in memory: keep the last few dozen, not every size drawn.
@lru_cache(maxsize=48)
def font(family: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = font_face(family)
    return ImageFont.truetype(path, size, index=index)


@dataclass(slots=True)
class Canvas:
    """A white page plus the ground-truth blocks drawn on it so far: grey ("L") unless coloured
    ink is printed on it ("RGB")."""

    width: int
    height: int
    mode: str = "L"
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new(self.mode, (self.width, self.height), "white")
        self.draw = ImageDraw.Draw(self.image)

    def page(self, name: str) -> Page:
        digest = hashlib.sha256(self.image.tobytes()).hexdigest()
        page = Page(self.width, self.height, Source(name, digest), dpi=300.0, blocks=list(self.blocks))
        for i, b in enumerate(page.blocks):
            b.order = i
        return page

    def ink(self, colour: tuple[int, int, int]) -> int | tuple[int, int, int]:
        """A colour as this canvas takes it: its grey on a grey page."""
        if self.mode == "L":
            r, g, b = colour
            return round(0.299 * r + 0.587 * g + 0.114 * b)
        return colour

    def next_id(self) -> str:
        return f"b{len(self.blocks) + 1}"


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: float, indent: float = 0.0) -> list[str]:
    """Break a paragraph into lines no wider than `width`: per character for CJK, per word else."""
    lines: list[str] = []
    current = ""
    limit = width - indent
    tokens = _tokens(text)
    for tok in tokens:
        candidate = current + tok
        if current and fnt.getlength(candidate.rstrip()) > limit:
            lines.append(current.rstrip())
            current = tok.lstrip()
            limit = width
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in text:
        if is_wide(ch):
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            out.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def draw_line(canvas: Canvas, text: str, x: float, y: float, fnt: ImageFont.FreeTypeFont) -> TextLine:
    """Draw one horizontal line; its ground-truth box is the ink-independent layout box."""
    canvas.draw.text((x, y), text, font=fnt, fill=0)
    ascent, _descent = fnt.getmetrics()
    width = fnt.getlength(text)
    top = y + ascent - fnt.size * 0.88
    box = Box(x, top, x + width, top + fnt.size * 1.04)
    return TextLine(box.polygon(), Direction.LTR, [String(text, box, 1.0)])


def draw_vertical(canvas: Canvas, text: str, x: float, y: float, fnt: ImageFont.FreeTypeFont,
                  pitch: float) -> TextLine:
    """Draw a top-to-bottom column of CJK characters starting at (x, y)."""
    ascent, _ = fnt.getmetrics()
    for i, ch in enumerate(text):
        cw = fnt.getlength(ch)
        canvas.draw.text((x + (fnt.size - cw) / 2, y + i * pitch - (ascent - fnt.size * 0.88)), ch,
                         font=fnt, fill=0)
    box = Box(x, y, x + fnt.size, y + pitch * (len(text) - 1) + fnt.size)
    return TextLine(box.polygon(), Direction.TTB, [String(text, box, 1.0)])


def to_bgr(image: Image.Image) -> np.ndarray:
    arr = np.asarray(image)
    if arr.ndim == 3:
        return np.ascontiguousarray(arr[:, :, ::-1])
    return np.ascontiguousarray(np.repeat(arr[:, :, None], 3, axis=2))


def degrade(bgr: np.ndarray, page: Page, *, rotate_deg: float = 0.0, noise: float = 0.0,
            blur: float = 0.0, jpeg_quality: int | None = None, bleed: float = 0.0, uneven: float = 0.0,
            seed: int = 0) -> tuple[np.ndarray, Page]:
    """A "scan" of a rendered page: rotation (ground truth rotated with it), bleed-through of the
    mirrored page, uneven light, noise, blur, JPEG. A grey page may come as one channel (a third of
    the work); with JPEG it comes back as three."""
    rng = np.random.default_rng(seed)
    h, w = bgr.shape[:2]
    out = bgr
    if bleed:
        back = cv2.GaussianBlur(255 - bgr[:, ::-1], (0, 0), 2.0).astype(np.float32)
        out = np.clip(out.astype(np.float32) - bleed * back, 0, 255).astype(np.uint8)
    if uneven:
        yy, xx = np.arange(h, dtype=np.float32)[:, None], np.arange(w, dtype=np.float32)[None, :]
        light = 1.0 - uneven * ((xx / w - 0.2) ** 2 + (yy / h - 0.3) ** 2)
        out = np.clip(out.astype(np.float32) * (light[:, :, None] if out.ndim == 3 else light), 0, 255).astype(np.uint8)
    if rotate_deg:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), rotate_deg, 1.0)
        out = cv2.warpAffine(out, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
        _transform_page(page, m)
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise:
        out = np.clip(out.astype(np.float32) + rng.normal(0, noise, out.shape), 0, 255).astype(np.uint8)
    if jpeg_quality:
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
        if ok:
            out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return out, page


def _transform_page(page: Page, m: np.ndarray) -> None:
    def tx(poly: list[tuple[float, float]]) -> list[tuple[float, float]]:
        pts = np.asarray(poly, dtype=np.float64)
        res = pts @ m[:, :2].T + m[:, 2]
        return [(float(a), float(b)) for a, b in res]

    for block in page.blocks:
        block.polygon = tx(block.polygon)
        for line in block.lines:
            line.polygon = tx(line.polygon)
            if line.baseline:
                line.baseline = tx(line.baseline)
            for s in line.strings:
                s.box = Box.of(tx(s.box.polygon()))
                for g in s.glyphs:
                    g.box = Box.of(tx(g.box.polygon()))
    for sep in page.separators:
        sep.polygon = tx(sep.polygon)


def quarter_turn(bgr: np.ndarray, page: Page, k: int) -> tuple[np.ndarray, Page]:
    """The page turned k quarter turns counter-clockwise, ground truth turned with it (a scan fed
    into the scanner sideways or upside down)."""
    h, w = bgr.shape[:2]
    _transform_page(page, quarter_turn_matrix(k, w, h)[:2])
    if k % 2:
        page.width, page.height = page.height, page.width
    return np.ascontiguousarray(np.rot90(bgr, k)), page

"""Press photographs for the generated pages: scenes of large soft shapes, never anything a
recogniser could take for letters, printed continuous-tone or through a halftone screen."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image


def photo(rng: np.random.Generator, width: int, height: int, colour: bool, halftone: bool) -> Image.Image:
    """A landscape, a street, a field or a portrait, in RGB when the page prints colour."""
    h, w = max(8, height), max(8, width)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    yy /= h
    xx /= w
    scene = int(rng.integers(4))
    sky = np.array(rng.uniform([150, 170, 200], [210, 225, 250]), dtype=np.float32)
    ground = np.array(rng.uniform([60, 80, 40], [140, 150, 110]), dtype=np.float32)
    img = np.empty((h, w, 3), np.float32)
    horizon = rng.uniform(0.35, 0.7)
    if scene == 3:  # a portrait: a head and shoulders before a plain wall
        img[:] = sky * 0.8
        cx = rng.uniform(0.35, 0.65)
        head = ((xx - cx) / 0.16) ** 2 + ((yy - 0.38) / 0.2) ** 2 < 1
        body = (((xx - cx) / 0.42) ** 2 + ((yy - 1.05) / 0.45) ** 2 < 1)
        img[body] = rng.uniform([30, 30, 40], [90, 80, 90])
        img[head] = rng.uniform([170, 130, 110], [220, 180, 160])
    else:
        ridge = horizon + 0.06 * np.sin(xx * rng.uniform(3, 9) + rng.uniform(0, 6)) \
            + 0.03 * np.sin(xx * rng.uniform(11, 23))
        img[:] = sky * (1 - 0.3 * yy[..., None])
        below = yy > ridge
        img[below] = (ground * (0.8 + 0.3 * yy[..., None]))[below]
        if scene == 1:  # a street: blocks of houses along the horizon
            x = 0.0
            while x < 1:
                bw, bh = rng.uniform(0.05, 0.16), rng.uniform(0.1, 0.35)
                tone = rng.uniform(70, 200)
                house = (xx >= x) & (xx < x + bw) & (yy > horizon - bh) & (yy < horizon + 0.05)
                img[house] = tone * rng.uniform(0.85, 1.1, 3)
                for wy in np.arange(horizon - bh + 0.03, horizon, 0.06):
                    win = house & (np.abs(yy - wy) < 0.012) & ((xx - x) % 0.03 < 0.012)
                    img[win] = tone * 0.5
                x += bw + rng.uniform(0.0, 0.04)
        elif scene == 2:  # a field with rows running to the horizon
            rows = below & (np.sin((xx - 0.5) / np.maximum(yy - horizon + 0.02, 0.02) * 6.0) > 0.3)
            img[rows] *= 0.7
        for _ in range(int(rng.integers(2, 7))):  # trees or people: soft dark blobs
            cx, cy = rng.uniform(0, 1), rng.uniform(horizon, 0.95)
            r = rng.uniform(0.02, 0.07)
            blob = ((xx - cx) / r) ** 2 + ((yy - cy) / (r * 2.2)) ** 2 < 1
            img[blob] = rng.uniform(20, 70, 3)
    img = cv2.GaussianBlur(img, (0, 0), max(0.8, w / 400))
    img += rng.normal(0, 8, img.shape).astype(np.float32)
    if not colour:
        grey = img @ np.array([0.299, 0.587, 0.114], np.float32)
        img = np.repeat(grey[..., None], 3, axis=2)
    if halftone:
        img = _screen(img, max(3, round(min(w, h) / 90)))
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def _screen(img: np.ndarray, cell: int) -> np.ndarray:
    """A 45-degree halftone screen: each cell a dot whose size follows the tone."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (xx + yy) / (cell * 1.414), (xx - yy) / (cell * 1.414)
    dist = np.hypot(u - np.round(u), v - np.round(v)) / 0.707
    tone = img.mean(axis=2) / 255.0
    ink = dist < np.sqrt(np.clip(1 - tone, 0, 1)) * 0.95
    out = np.where(ink[..., None], img * 0.25, 245.0)
    return out.astype(np.float32)


def infographic(rng: np.random.Generator, width: int, height: int, style) -> Image.Image:
    """A chart, a table of figures or a row of pictograms with their numbers, drawn as one figure
    (the page's ground truth holds it as one graphic block, not the words drawn in it)."""
    from PIL import ImageDraw

    from .synth import font

    w, h = max(40, width), max(40, height)
    tint = tuple(int(v) for v in rng.choice([(255, 255, 255), (244, 240, 228), (232, 240, 248)]))
    img = Image.new("RGB", (w, h), tint)
    d = ImageDraw.Draw(img)
    ink = (0, 0, 0)
    accent = tuple(int(v) for v in rng.choice([(200, 40, 40), (30, 80, 160), (40, 120, 60), (90, 90, 90)]))
    size = max(8, round(style.body.size * float(rng.uniform(0.8, 1.1))))
    small, big = font(style.sans, size), font(style.heads[-1], max(9, round(size * 1.6)))
    places = [style.prose.fill(str(p)) for p in style.prose.data["places"]]
    pad = size
    title = str(rng.choice(places)) + (style.prose.fill("（单位：%）") if style.cjk else " in Prozent")
    d.text((pad, pad), title, font=big, fill=accent)
    top = pad + big.size * 1.5
    kind = int(rng.integers(3))
    if kind == 0:  # bars over years, each with its value
        n = int(rng.integers(4, 8))
        values = rng.uniform(0.2, 1.0, n)
        base = h - pad - size * 1.5
        step = (w - 2 * pad) / n
        d.line((pad, base, w - pad, base), fill=ink, width=max(1, size // 8))
        for k, v in enumerate(values):
            bx0 = pad + k * step + step * 0.2
            by0 = base - v * (base - top - size * 1.5)
            d.rectangle((bx0, by0, bx0 + step * 0.6, base), fill=accent)
            d.text((bx0, by0 - size * 1.2), f"{v * 100:.1f}", font=small, fill=ink)
            d.text((bx0, base + size * 0.3), str(2018 + k), font=small, fill=ink)
    elif kind == 1:  # a table: a place and two figures a row, ruled
        rows = max(2, min(9, int((h - top - pad) / (size * 1.8))))
        cw = (w - 2 * pad) / 3
        for r in range(rows):
            y = top + r * size * 1.8
            if r == 0:
                d.rectangle((pad, y, w - pad, y + size * 1.8), fill=accent)
            cells = ["", "2024", "2025"] if r == 0 else [str(rng.choice(places)), f"{rng.uniform(1, 999):.1f}",
                                                         f"{rng.uniform(1, 999):.1f}"]
            for c, text in enumerate(cells):
                d.text((pad + c * cw + size * 0.3, y + size * 0.35), text, font=small,
                       fill=(255, 255, 255) if r == 0 else ink)
            d.line((pad, y + size * 1.8, w - pad, y + size * 1.8), fill=ink, width=1)
    else:  # pictograms, each over its number
        n = int(rng.integers(2, 5))
        step = (w - 2 * pad) / n
        r = min(step * 0.3, (h - top - pad) * 0.25)
        for k in range(n):
            cx, cy = pad + step * (k + 0.5), top + r + size
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=accent)
            d.rectangle((cx - r * 0.35, cy - r * 0.1, cx + r * 0.35, cy + r * 0.6), fill=tint)
            d.ellipse((cx - r * 0.25, cy - r * 0.6, cx + r * 0.25, cy - r * 0.15), fill=tint)
            d.text((cx - r, cy + r + size * 0.5), f"{int(rng.integers(2, 999))}", font=big, fill=ink)
            d.text((cx - r, cy + r + size * 0.5 + big.size * 1.3), str(rng.choice(places)), font=small, fill=ink)
    if not style.colour:
        img = img.convert("L").convert("RGB")
    return img

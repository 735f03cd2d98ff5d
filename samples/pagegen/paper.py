"""Paper formats and scanning resolutions of the generated pages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Paper formats (long, short side in mm) the kinds are printed on.
FORMATS = {"zh": [(545, 390), (500, 350), (390, 272)], "de": [(470, 315), (570, 400), (480, 330), (430, 290)],
           "zhv": [(390, 270), (430, 300), (545, 390)]}


@dataclass
class Geometry:
    width: int
    height: int
    dpi: float
    body_px: int


def geometry(rng: np.random.Generator, formats: list[tuple[int, int]], body_pt: float) -> Geometry:
    """Format and resolution: most pages 2500-4500 px on the long side, some smaller or larger,
    always 100-400 dpi and 1400-6000 px, body type at least 10 px except on low-resolution pages."""
    long_mm, short_mm = formats[int(rng.integers(len(formats)))]
    r = rng.random()
    target = rng.uniform(1400, 2500) if r < 0.12 else rng.uniform(4500, 6000) if r > 0.9 else rng.uniform(2500, 4500)
    dpi = float(np.clip(target * 25.4 / long_mm, 100, 400))
    if body_pt * dpi / 72 < 10 and r >= 0.12:
        dpi = min(6000 * 25.4 / long_mm, 10 * 72 / body_pt)
    dpi = round(dpi)
    long_px = min(6000, round(long_mm * dpi / 25.4))
    return Geometry(round(short_mm * dpi / 25.4), long_px, dpi, max(7, round(body_pt * dpi / 72)))

"""Render the sample pages and their ground truth into samples/.

    python samples/generate.py            # writes samples/*.png, *.gt.xml (PAGE 2019), *.gt.json

Each page comes clean and as a degraded "scan" (skew, noise, blur, JPEG, bleed-through, uneven
light) whose ground-truth coordinates are transformed with it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from layoutkit import atomic  # noqa: E402
from layoutkit.export.jsonout import dumps, structure  # noqa: E402
from layoutkit.export.page import to_page_xml  # noqa: E402
from layoutkit.model import Page  # noqa: E402
from samples.pagegen.compose import changji_front_page, latin_front_page  # noqa: E402
from samples.pagegen.synth import degrade  # noqa: E402


def write(folder: Path, name: str, image, page: Page, ext: str = ".png") -> None:
    """Clean pages as PNG; "scans" as JPEG, as scanners deliver them (and a tenth of the size)."""
    page.source.path = f"{name}{ext}"
    params = [cv2.IMWRITE_PNG_COMPRESSION, 9] if ext == ".png" else [cv2.IMWRITE_JPEG_QUALITY, 80]
    ok, data = cv2.imencode(ext, cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), params)
    if not ok:
        raise RuntimeError(f"cannot encode {name}{ext}")
    atomic.write_bytes(folder / f"{name}{ext}", data.tobytes())
    atomic.write_bytes(folder / f"{name}.gt.xml", to_page_xml(page, creator="layoutkit samples/generate.py"))
    atomic.write_text(folder / f"{name}.gt.json", dumps(structure(page)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=HERE)
    args = parser.parse_args()
    for name, make in (("changji-2025-11-26", changji_front_page), ("talbote-2025-11-26", latin_front_page)):
        image, page = make()
        write(args.output, name, image, page)
        scan, scanned = degrade(image, make()[1], rotate_deg=-0.8, noise=10.0, blur=0.6, jpeg_quality=60,
                                bleed=0.12, uneven=0.25, seed=11)
        write(args.output, f"{name}-scan", scan, scanned, ext=".jpg")


if __name__ == "__main__":
    main()

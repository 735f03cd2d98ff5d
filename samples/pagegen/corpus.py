"""Render the generated corpus: pages with exact ground truth, to develop on and to report on.

    python -m samples.pagegen.corpus -o DIR [--seeds 0-239] [--split dev|report|all] [-j N]

For each seed: DIR/gen-<seed:04d>-<kind>.png (.jpg for a degraded "scan"), .gt.xml (PAGE 2019,
with Word and Glyph elements) and .gt.json. A page already written by this generator version is
skipped; the same seed and version always give the same files.

The split is fixed once, in samples/pagegen/split.py by `split_of`: a seed is "report" when the SHA-256 of
"layoutkit-pagegen-split-<seed>" is divisible by three, else "dev" (about one seed in three
reported, independent of the page's kind); the two halves print disjoint small texts (captions,
credits, bylines, headlines, names). Develop and tune on dev pages only; report on the others.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from layoutkit import atomic
from layoutkit.export.jsonout import dumps, structure
from layoutkit.export.page import to_page_xml

from .newspaper import degraded, make_page, page_name
from .split import split_of

__all__ = ["main", "render", "split_of"]

#: Raised whenever a change to the generator changes any page it draws.
VERSION = "2"
CREATOR = f"layoutkit samples/pagegen v{VERSION}"


def parse_seeds(text: str) -> list[int]:
    """"0-239" or "3,7,10-12"."""
    seeds: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        seeds.extend(range(int(first), int(last or first) + 1))
    return seeds


def done(folder: Path, seed: int) -> bool:
    stem = folder / page_name(seed)
    xml = stem.with_suffix(".gt.xml")
    return stem.with_suffix(".gt.json").is_file() and xml.is_file() and CREATOR.encode() in xml.read_bytes()[:2000]


def render(seed: int, folder: Path) -> str:
    """Draw one page and write its three files (the JSON last: its presence marks the page done)."""
    if done(folder, seed):
        return f"{page_name(seed)} (kept)"
    image, page = make_page(seed)
    ext = ".jpg" if degraded(page) else ".png"
    name = page_name(seed) + ext
    page.source.path = name
    grey = np.array_equal(image[..., 0], image[..., 1]) and np.array_equal(image[..., 1], image[..., 2])
    params = [cv2.IMWRITE_PNG_COMPRESSION, 6] if ext == ".png" else [cv2.IMWRITE_JPEG_QUALITY, 85]
    ok, data = cv2.imencode(ext, image[..., 0] if grey else image, params)
    if not ok:
        raise RuntimeError(f"cannot encode {name}")
    atomic.write_bytes(folder / name, data.tobytes())
    atomic.write_bytes(folder / f"{page_name(seed)}.gt.xml", to_page_xml(page, creator=CREATOR, words=True))
    atomic.write_text(folder / f"{page_name(seed)}.gt.json", dumps(structure(page)))
    return name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seeds", default="0-239", help="seeds and ranges, e.g. 0-239 or 3,7,10-12")
    parser.add_argument("--split", choices=["dev", "report", "all"], default="all")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    seeds = [s for s in parse_seeds(args.seeds) if args.split in ("all", split_of(s))]
    args.output.mkdir(parents=True, exist_ok=True)
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            for name in pool.map(render, seeds, [args.output] * len(seeds)):
                print(name, flush=True)
    else:
        for seed in seeds:
            print(render(seed, args.output), flush=True)


if __name__ == "__main__":
    main()

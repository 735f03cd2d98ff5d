"""Find and load the scan an ALTO file was made from.

ALTO names its image by file name only. A batch's completion records (OUTDIR/.layoutkit/*.json)
know the full input path of each ALTO file it wrote; failing that, an image of that name beside
the ALTO file is taken. The scan is only ever read here, never served as a path a client names.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..batch import RECORDS


def recorded_images(outdir: Path) -> dict[str, tuple[Path, int]]:
    """ALTO file name -> (image file, page of it) from a batch's completion records."""
    found: dict[str, tuple[Path, int]] = {}
    for rec in sorted((outdir / RECORDS).glob("*.json")):
        try:
            data = json.loads(rec.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        for index, page in enumerate(data.get("pages", [])):
            # Records written before spreads were split hold one image page per output page.
            found[Path(page["alto"]).name] = (Path(page["image"]), page.get("image_index", index))
    return found


def find_image(alto: Path, image_name: str,
               records: dict[str, tuple[Path, int]] | None = None) -> tuple[Path, int] | None:
    if records is None:
        records = recorded_images(alto.parent)
    if alto.name in records and records[alto.name][0].is_file():
        return records[alto.name]
    beside = alto.parent / Path(image_name).name
    if image_name and beside.is_file():
        return beside, 0
    return None

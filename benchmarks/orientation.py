"""Which pages orientation would turn, with each engine's pipeline: all 38 NZZ pages (nzz, nzz-dev)
and the samples, every one of them upright, so every turn counted is a wrong one.

Orientation alone runs (detection and the few line reads it asks for), through the line cache of
the packaged greedy recogniser (`--cache`, the shared one by default): a page another run has
detected is not detected again.

    flock /tmp/lk/cpu.lock python benchmarks/orientation.py --engines ppocr,tesseract
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layoutkit.io.images import load_pages  # noqa: E402
from layoutkit.pipeline import Pipeline, Settings  # noqa: E402
from layoutkit.preprocess import prepare  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
#: The language Tesseract reads each set with (as benchmarks/sets.py does).
LANG = {"nzz": "frk", "samples": "chi_sim+deu"}


def pages() -> list[tuple[str, Path]]:
    out = [("nzz", p) for folder in ("nzz", "nzz-dev") for p in sorted((EVAL / folder).glob("*.tif"))]
    out += [("samples", p) for p in sorted((ROOT / "samples").glob("*-2025-11-26*.[pj][np]g"))]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engines", default="ppocr,tesseract")
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "layoutkit" / "lines"))
    args = ap.parse_args()
    todo = pages()
    if not any(s == "nzz" for s, _ in todo):
        print(f"no NZZ scans under {EVAL}: only the samples are run", file=sys.stderr)
    for engine in args.engines.split(","):
        pipelines = {s: Pipeline(Settings(engine=engine, lang=LANG[s] if engine == "tesseract" else None,
                                          cache_dir=args.cache)) for s in LANG}
        turned: list[str] = []
        t0 = time.perf_counter()
        for subset, path in todo:
            pipeline = pipelines[subset]
            assert pipeline.orientation is not None and pipeline.orientation_cache is not None
            for image in load_pages(path):
                cache = pipeline.orientation_cache.page(image.sha256, image.page_index, image.crop)
                work = prepare(image.pixels)
                _scale, quads = pipeline._lines(work, cache)
                turns = pipeline.orientation.quarter_turns(work.bgr, quads, cache)
                cache.save()
                if turns:
                    turned.append(f"{path.name} ({90 * turns} degrees)")
                print(f"{engine:9} {path.name:40} turns {turns}", flush=True)
        print(f"{engine}: {len(todo) - len(turned)} of {len(todo)} upright pages not turned "
              f"({time.perf_counter() - t0:.0f} s){'; turned: ' + ', '.join(turned) if turned else ''}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

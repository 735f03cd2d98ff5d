"""Character error by line geometry, greedy against beam search with the language model.

Each ground-truth line (PAGE TextLine with its polygon and text) is cut from the scan along its
polygon's rotated box and read once by the recogniser; its lattice (the frames' best classes and
the unsure frames' alternatives) is kept in ~/.cache/layoutkit/lm-eval/, so that decoding again
with another weight costs no network run. CER is the edit distance over the page's lines (NFKC,
whitespace removed, as layoutkit.eval.metrics.cer) divided by the ground truth's characters.

Sets (scripts/build_lm.py says which NZZ pages the German model read):
- nzz-test: ../shared/eval/nzz/ (4 pages): in no model, never tuned on;
- nzz-tune: the nzz-dev pages not in the model (every other one by date): the weights are tuned here;
- nzz-lm: the nzz-dev pages whose text the model holds (reported only to show what seen text does);
- samples: the rendered pages of samples/ (modern Chinese and German, in no model);
- generated-zh, generated-latin: the dev pages of the generated corpus (~/.cache/layoutkit/corpus,
  rendered by benchmarks/sets.py; modern text, horizontal and vertical): the Han weight is tuned here;
- `--folds`: the 晶報 folds of ../shared/eval/jingbao-scans read whole by the pipeline (their
  ground truth has no line geometry), order-free CER with punctuation, greedy and with the models.

    flock /tmp/lk/cpu.lock python benchmarks/lm_eval.py --sets nzz-tune,nzz-test,samples -j 2
    python benchmarks/lm_eval.py --sets nzz-tune --grid     # tune from the cached lattices
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import pickle
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layoutkit.eval.metrics import normalise  # noqa: E402
from layoutkit.io.images import load_pages  # noqa: E402
from layoutkit.io.readers import read_layout  # noqa: E402
from layoutkit.ocr.beam import Lattice  # noqa: E402
from layoutkit.ocr.crops import cut  # noqa: E402
from layoutkit.ocr.decoding import WEIGHTS, Decoding  # noqa: E402
from layoutkit.ocr.models import manifest_entry  # noqa: E402
from layoutkit.ocr.ppocr import PPOCRRecognizer, order_quad  # noqa: E402
from layoutkit.ocr.runtime import run_all  # noqa: E402
from scripts.build_lm import lm_fold, nzz_pages  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CACHE = Path.home() / ".cache" / "layoutkit" / "lm-eval"
SETS = ("nzz-test", "nzz-tune", "nzz-lm", "samples", "generated-zh", "generated-latin")
#: The generated corpus (benchmarks/sets.py renders it there): its dev pages tune the Han model's weight.
GENERATED = Path.home() / ".cache" / "layoutkit" / "corpus"


def pages_of(name: str) -> list[tuple[Path, Path]]:
    """(scan, PAGE ground truth) of a set."""
    if name == "nzz-test":
        gts = sorted((EVAL / "nzz" / "gt").glob("*.xml"))
    elif name in ("nzz-tune", "nzz-lm"):
        every = nzz_pages()
        seen = set(lm_fold(every))
        gts = [p for p in every if (p in seen) == (name == "nzz-lm")]
    elif name == "samples":
        gts = sorted((ROOT / "samples").glob("*.gt.xml"))
    elif name.startswith("generated-"):
        from samples.pagegen.corpus import split_of

        kind = name.removeprefix("generated-")
        gts = [p for p in sorted(GENERATED.glob(f"gen-*-{kind}*.gt.xml"))
               if split_of(int(p.name.split("-")[1])) == "dev"]
    else:
        raise SystemExit(f"unknown set {name}")
    out = []
    for gt in gts:
        stem = gt.name.removesuffix(".gt.xml").removesuffix(".xml")
        folder = gt.parent.parent if gt.parent.name == "gt" else gt.parent
        scan = next((p for p in (folder / (stem + s) for s in (".tif", ".png", ".jpg")) if p.exists()), None)
        if scan is not None:
            out.append((scan, gt))
    return out


Read = tuple[Lattice, float, int, str]


def lattices(scan: Path, gt: Path, rec: PPOCRRecognizer, threads: int) -> list[Read]:
    """Every ground-truth line's lattice, step, crop width and truth; cached by page and model."""
    key = hashlib.sha256(f"{manifest_entry('ppocr-rec').sha256}{scan.resolve()}".encode()).hexdigest()[:16]
    path = CACHE / f"{scan.stem}-{key}.pkl.gz"
    if path.exists():
        return pickle.loads(gzip.decompress(path.read_bytes()))
    (image,) = load_pages(scan)
    page = read_layout(gt)
    lines = [ln for b in page.blocks for ln in b.lines if normalise(ln.text)]
    crops = []
    for ln in lines:
        pts = np.asarray(ln.polygon, dtype=np.float32).reshape(-1, 2)
        crops.append(cut(image.pixels, order_quad(cv2.boxPoints(cv2.minAreaRect(pts)))))
    reads = run_all(lambda c: rec.lattice(c, alternatives=True), crops, threads)
    out = [(lat, step, width, ln.text) for (lat, step, width), ln in zip(reads, lines, strict=True)]
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(pickle.dumps(out)))
    return out


def page_cer(rec: PPOCRRecognizer, reads: list[Read]) -> tuple[float, float]:
    """(CER, seconds spent decoding) of a page's lines."""
    edits = chars = 0
    t0 = time.perf_counter()
    for lat, step, width, truth in reads:
        text = rec.spans(lat, step, width).text
        t = normalise(truth)
        edits += Levenshtein.distance(normalise(text), t)
        chars += len(t)
    return edits / max(1, chars), time.perf_counter() - t0


def run(sets: list[str], weights: dict[str, tuple[float, float]] | None, threads: int,
        show: bool = True, every: int = 1) -> dict[str, list[tuple[str, float, float, float]]]:
    rec = PPOCRRecognizer(threads=1)
    beam = Decoding(dict(weights or WEIGHTS))
    out: dict[str, list[tuple[str, float, float, float]]] = {}
    for name in sets:
        rows = []
        for scan, gt in pages_of(name)[::every]:
            reads = lattices(scan, gt, rec, threads)
            rec.decoding = None
            greedy, tg = page_cer(rec, reads)
            rec.decoding = beam
            lm, tl = page_cer(rec, reads)
            rows.append((scan.stem, greedy, lm, tl - tg))
            if show:
                print(f"{name:9} {scan.stem:34} lines {len(reads):4}  greedy {greedy:.4f}  lm {lm:.4f}  "
                      f"decode +{tl - tg:.2f}s", flush=True)
        out[name] = rows
    return out


def summary(results: dict[str, list[tuple[str, float, float, float]]]) -> None:
    for name, rows in results.items():
        if not rows:
            continue
        g = [r[1] for r in rows]
        m = [r[2] for r in rows]
        better = sum(b < a for a, b in zip(g, m, strict=True))
        worse = sum(b > a for a, b in zip(g, m, strict=True))
        print(f"{name:9} pages {len(rows):2}  median CER greedy {statistics.median(g):.4f} -> lm "
              f"{statistics.median(m):.4f}  mean {statistics.fmean(g):.4f} -> {statistics.fmean(m):.4f}  "
              f"pages better {better}, worse {worse}")


def folds(cache: str) -> None:
    """The 晶報 folds with text ground truth, read whole by the pipeline (vertical columns, heads,
    adverts) greedily and with the models: order-free CER with punctuation and article CER
    (benchmarks/ecpo.py). The fold's own issue is in no model."""
    from benchmarks.ecpo import read_fold, score_fold
    from layoutkit.eval.metrics import page_text
    from layoutkit.pipeline import Pipeline, Settings

    gts = sorted((EVAL / "jingbao-scans").glob("*.text.xml"))
    for lm in ("none", "auto"):
        pipeline = Pipeline(Settings(lm=lm, cache_dir=cache))
        for gt in gts:
            scan = gt.with_name(gt.name.removesuffix(".text.xml") + ".jpg")
            t0 = time.perf_counter()
            pages = [p for image in load_pages(scan) for p in pipeline.process_spread(image)]
            scores = score_fold("\n".join(page_text(p) for p in pages), read_fold(gt))
            article = scores["article_cer"]
            print(f"jingbao   {scan.stem:34} lm {lm:4}  order-free CER {scores['cer_order_free']:.4f}  "
                  f"article CER {article if article is not None else float('nan'):.4f}  "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="nzz-tune,nzz-test,samples")
    ap.add_argument("-j", type=int, default=1, help="network runs at once (2 only under the CPU lock)")
    ap.add_argument("--weights", help="script=weight:bonus,... (default: ocr.decoding.WEIGHTS)")
    ap.add_argument("--grid", action="store_true", help="try weights and bonuses, per script, on the sets")
    ap.add_argument("--grid-weights", default="0.3,0.5,0.7")
    ap.add_argument("--grid-bonuses", default="0.5,1,1.5")
    ap.add_argument("--every", type=int, default=1, help="every n-th page of each set (a cheaper run)")
    ap.add_argument("--folds", action="store_true", help="also read the 晶報 folds whole, greedy and with the models")
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "layoutkit" / "lines"),
                    help="line cache of the whole-fold runs")
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    weights = dict(WEIGHTS)
    if args.weights:
        for part in args.weights.split(","):
            script, wb = part.split("=")
            w, b = wb.split(":")
            weights[script] = (float(w), float(b))
    if args.grid:
        for w in map(float, args.grid_weights.split(",")):
            for b in map(float, args.grid_bonuses.split(",")):
                res = run(sets, {s: (w, b) for s in weights}, args.j, show=False, every=args.every)
                print(f"weight {w} bonus {b}")
                summary(res)
        return 0
    summary(run(sets, weights, args.j, every=args.every))
    if args.folds:
        folds(args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where a page's time and memory go: seconds, CPU seconds and peak memory per pipeline stage.

    python benchmarks/profile.py PAGE...                     # one table per page
    python benchmarks/profile.py PAGE... --repeat 3 --json after.json --before before.json

Models are loaded once (their own row); each page then runs `--repeat` times and every figure is
the median over the runs (peak memory the largest): on a shared machine CPU seconds, user + system
over all threads, are the figure to compare, wall seconds move with the neighbours' load. No line
cache is used. The recogniser's padding ratio is the width it ran over (each line padded to a
whole number of 32 px) over the lines' own width. Stages run in the model threads (detection and
recognition inference, the recogniser's input and decoding) add up their threads' seconds and
show no peak of their own. `--before` puts an earlier `--json` beside each figure.

A page's peak memory is its own only in a fresh process: give one page per run for that figure
(later pages start from what the earlier ones left allocated).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# In place of this script's folder, where this file would hide the standard library's `profile`.
sys.path[0] = str(ROOT)

from layoutkit.batch import write_page  # noqa: E402
from layoutkit.io.images import load_pages  # noqa: E402
from layoutkit.ocr.decoding import DEFAULT_LM, LM_CHOICES  # noqa: E402
from layoutkit.pipeline import Pipeline, Settings  # noqa: E402
from layoutkit.profiling import Profile, profiled, stage  # noqa: E402

#: Rows shown for every page, in pipeline order; nested stages follow their parent.
TOP = ("load", "preprocess", "detection", "orientation", "layout", "recognition", "structure", "export")


def run_page(pipeline: Pipeline, path: Path, scratch: Path) -> Profile:
    with profiled() as prof, stage("page"):
        with stage("load"):
            image = next(iter(load_pages(path)))
        page = pipeline.process_image(image)
        with stage("export"):
            write_page(page, scratch, path.stem)
    return prof


def summarise(runs: list[Profile]) -> dict:
    """Median seconds over the runs, largest peak; stage names without the `page/` in front."""
    names = list(dict.fromkeys(n for p in runs for n in p.stages))
    rows = {}
    for name in names:
        got = [p.stages[name] for p in runs if name in p.stages]
        rows[name.removeprefix("page/") if name != "page" else "total"] = {
            "cpu": statistics.median(s.cpu for s in got), "wall": statistics.median(s.wall for s in got),
            "peak_mb": max(s.peak_mb for s in got), "calls": statistics.median(s.calls for s in got)}
    counts = runs[0].counts
    padded, real = counts.get("padded width", 0.0), counts.get("real width", 0.0)
    return {"stages": rows, "padding_ratio": padded / real if real else None, "runs": len(runs)}


def ordered(stages: dict) -> list[str]:
    """Top-level stages in pipeline order, each followed by its nested ones, then the total."""
    out: list[str] = []
    for top in TOP:
        out += [n for n in stages if n == top or n.startswith(top + "/")]
    return out + [n for n in stages if n not in out]


def table(name: str, now: dict, before: dict | None) -> str:
    head = "| stage | CPU s | wall s | peak MB |"
    if before:
        head = "| stage | CPU s before | CPU s | wall s before | wall s | peak MB before | peak MB |"
    rows = [f"### {name}", "", head, "|" + "---|" * (head.count("|") - 1)]

    def cell(data: dict | None, stage_name: str, key: str, digits: int) -> str:
        got = (data or {}).get("stages", {}).get(stage_name)
        return f"{got[key]:.{digits}f}" if got and (got[key] or key != "peak_mb") else "-"

    for s in ordered(now["stages"]):
        label = f"  {s}" if "/" in s else f"**{s}**" if s == "total" else s
        keys = (("cpu", 1), ("wall", 1), ("peak_mb", 0))
        cells = [c for key, d in keys for c in ([cell(before, s, key, d)] if before else []) + [cell(now, s, key, d)]]
        rows.append(f"| {label} | {' | '.join(cells)} |")
    ratio = now["padding_ratio"]
    was = f" (before {before['padding_ratio']:.3f})" if before and before.get("padding_ratio") else ""
    rows += ["", f"Recogniser padding ratio {ratio:.3f}{was}; median of {now['runs']} run(s)." if ratio else ""]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="runs per page (figures are medians)")
    parser.add_argument("--threads", type=int, help="onnxruntime threads (default: all cores)")
    parser.add_argument("-o", "--out", type=Path, help="keep the pages' outputs here (to score them)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--lm", default=DEFAULT_LM, choices=LM_CHOICES, help="the recogniser's decoding")
    parser.add_argument("--before", type=Path, help="an earlier --json to show beside")
    args = parser.parse_args()
    before = json.loads(args.before.read_text("utf-8")) if args.before else {}
    with profiled() as loading, stage("models"):
        pipeline = Pipeline(Settings(threads=args.threads, lm=args.lm))
    models = loading.stages["models"]
    results: dict[str, dict] = {"models": {"cpu": models.cpu, "wall": models.wall, "peak_mb": models.peak_mb}}
    print(f"models loaded: {models.cpu:.1f} CPU s, {models.wall:.1f} s, {models.peak_mb:.0f} MB peak\n")
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        for path in args.pages:
            runs = [run_page(pipeline, path, out) for _ in range(args.repeat)]
            results[path.stem] = summarise(runs)
            print(table(path.stem, results[path.stem], before.get(path.stem)) + "\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

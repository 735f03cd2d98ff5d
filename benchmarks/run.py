"""layoutkit beside Tesseract on the same pages: quality, seconds and peak memory per page.

    python benchmarks/run.py [--set samples nzz gbn] [--engines ppocr tesseract paddleocr]
                             [--no-tesseract] [--keep DIR] [-o benchmarks/RESULTS.md]

Each tool runs as its own process per page under GNU time (wall seconds, peak RSS), so model
loading is included for both; quality comes from layoutkit's own evaluation against the ground
truth. Needs the README's test set-up (Tesseract with chi_sim, chi_sim_vert, frk, deu).

`--engines` runs layoutkit once per recognition engine (layout and order are the same; only the
recogniser differs); the paddleocr engine runs with the Python of the environment scripts/test.sh
makes for it (`~/.cache/layoutkit/venv-paddle`, or `LAYOUTKIT_PADDLE_VENV`). Where ABBYY
FineReader 11's ALTO for a page lies beside the scans (NZZ), its quality is listed too (no time: it
was not run here).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from layoutkit import __version__  # noqa: E402
from layoutkit.eval.metrics import PageScores, evaluate  # noqa: E402
from layoutkit.io.readers import read_layout  # noqa: E402


@dataclass
class Case:
    name: str
    image: Path
    gt: Path
    tesseract_lang: str
    abbyy: Path | None = None


@dataclass
class Run:
    seconds: float
    peak_mb: float
    scores: PageScores | None
    error: str = ""


def cases(sets: list[str]) -> list[Case]:
    out: list[Case] = []
    if "samples" in sets:
        for gt in sorted((ROOT / "samples").glob("*.gt.xml")):
            stem = gt.name[: -len(".gt.xml")]
            image = next(p for p in (gt.with_name(stem + ".png"), gt.with_name(stem + ".jpg")) if p.exists())
            out.append(Case(stem, image, gt, "chi_sim" if stem.startswith("changji") else "deu"))
    if "nzz" in sets and (SHARED / "eval" / "nzz").is_dir():
        for tif in sorted((SHARED / "eval" / "nzz").glob("*.tif")):
            abbyy = SHARED / "eval" / "nzz" / "abbyy-fr11" / f"{tif.stem}.xml"
            out.append(Case(tif.stem, tif, SHARED / "eval" / "nzz" / "gt" / f"{tif.stem}.xml", "frk",
                            abbyy if abbyy.is_file() else None))
    if "gbn" in sets and (SHARED / "eval" / "gbn").is_dir():
        for png in sorted((SHARED / "eval" / "gbn").glob("*.png")):
            out.append(Case(png.stem, png, png.with_suffix(".xml"), "frk"))
    return out


def timed(cmd: list[str]) -> tuple[float, float, str]:
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=False)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
    seconds = (int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])) if wall else float("nan")
    error = "" if res.returncode == 0 else (res.stderr.strip().splitlines() or ["failed"])[0]
    return seconds, int(rss[1]) / 1024 if rss else float("nan"), error


PADDLE_VENV = Path(os.environ.get("LAYOUTKIT_PADDLE_VENV")
                   or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "layoutkit" / "venv-paddle")
PADDLE_PYTHON = PADDLE_VENV / "bin" / "python"


def run_layoutkit(case: Case, out: Path, engine: str = "ppocr") -> Run:
    python = str(PADDLE_PYTHON) if engine == "paddleocr" else sys.executable
    extra = ["--lang", case.tesseract_lang] if engine == "tesseract" else []
    seconds, peak, error = timed([python, "-m", "layoutkit", "run", str(case.image), "-o", str(out), "-q",
                                  "--engine", engine, *extra])
    alto = out / f"{case.image.stem}.alto.xml"
    scores = evaluate(read_layout(alto), read_layout(case.gt), case.name) if alto.exists() else None
    return Run(seconds, peak, scores, error)


def run_tesseract(case: Case, out: Path) -> Run:
    out.mkdir(parents=True, exist_ok=True)
    base = out / case.image.stem
    seconds, peak, error = timed(["tesseract", str(case.image), str(base), "-l", case.tesseract_lang, "alto"])
    alto = base.with_suffix(".xml")
    scores = evaluate(read_layout(alto), read_layout(case.gt), case.name) if alto.exists() else None
    return Run(seconds, peak, scores, error)


def score_abbyy(case: Case) -> Run:
    assert case.abbyy is not None
    return Run(float("nan"), float("nan"), evaluate(read_layout(case.abbyy), read_layout(case.gt), case.name))


def fmt(v: float | None, digits: int = 4) -> str:
    return "-" if v is None or v != v else f"{v:.{digits}f}"


def table(results: list[tuple[Case, dict[str, Run]]]) -> str:
    rows = ["| page | tool | CER | WER | next line | order pair | region F1 | lines found | type acc | s/page "
            "| peak MB | time vs layoutkit |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for case, runs in results:
        base = runs["layoutkit"].seconds
        for tool, r in runs.items():
            s = r.scores
            ratio = f"{r.seconds / base:.1f}x" if base and tool != "layoutkit" and r.seconds == r.seconds else ""
            rows.append(f"| {case.name} | {tool} | {fmt(s and s.cer)} | {fmt(s and s.wer)} | "
                        f"{fmt(s and s.order_next_line)} | {fmt(s and s.order_pairwise)} | {fmt(s and s.region_f1)} | "
                        f"{fmt(s and s.line_recall if s.gt_lines else None)} | {fmt(s and s.type_accuracy)} | "
                        f"{fmt(r.seconds, 1)} | {fmt(r.peak_mb, 0)} | {ratio}{' ' + r.error if r.error else ''} |")
    return "\n".join(rows)


def cpu_model() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    return next((ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), "")


def settings() -> str:
    tess = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False).stdout.split("\n")[0]
    return "\n".join([
        f"- layoutkit {__version__}, default settings (PP-OCRv6 small, onnxruntime, deskew on); other engines "
        "as named (`--engine tesseract --lang` as for Tesseract; `--engine paddleocr`: PP-OCRv5 mobile, Paddle 3.3.1)",
        f"- {tess or 'tesseract not found'}, `tesseract IMG OUT -l LANG alto` (chi_sim, deu, frk as the page needs)",
        f"- machine: {platform.machine()} {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "- one process per page and tool under GNU time: wall seconds and peak RSS include model loading",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs="+", default=["samples", "nzz", "gbn"], choices=["samples", "nzz", "gbn"])
    parser.add_argument("--engines", nargs="+", default=["ppocr"], choices=["ppocr", "tesseract", "paddleocr"],
                        help="layoutkit's recognition engines to run (the first is the time baseline)")
    parser.add_argument("--no-tesseract", action="store_true", help="skip Tesseract's own page pipeline")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only pages whose name contains one of these")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep every tool's output here (default: discarded)")
    args = parser.parse_args()
    results: list[tuple[Case, dict[str, Run]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or scratch
        for case in cases(args.set):
            if args.only and not any(part in case.name for part in args.only):
                continue
            runs: dict[str, Run] = {}
            for i, engine in enumerate(args.engines):
                name = "layoutkit" if i == 0 else f"layoutkit --engine {engine}"
                runs[name] = run_layoutkit(case, Path(tmp) / f"layoutkit-{engine}", engine)
            if not args.no_tesseract:
                runs["tesseract"] = run_tesseract(case, Path(tmp) / "tesseract")
            if case.abbyy:
                runs["ABBYY FineReader 11"] = score_abbyy(case)
            results.append((case, runs))
            print("\n".join(table([results[-1]]).splitlines()[2:]), flush=True)
    report = f"# Benchmark: layoutkit beside Tesseract\n\n{settings()}\n\n{table(results)}\n"
    args.output.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()

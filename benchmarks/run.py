"""layoutkit judged on whole sets of pages, beside Tesseract: quality as medians, worst tenths
and worst pages; and seconds and peak memory per page.

    python benchmarks/run.py                       # every set, quality and speed -> benchmarks/RESULTS.md
    python benchmarks/run.py --set nzz jingbao --tesseract --no-speed
    python benchmarks/run.py --set generated --split dev --no-speed -o /tmp/dev.md   # the part to tune on

Quality runs layoutkit's batch runner in this process's workers with a line cache (`--cache`,
default ~/.cache/layoutkit/lines): detection and recognition of a page are done once, so a
change to layout or order re-scores a set in minutes. Generated pages are rendered into
`--corpus` on first use. Tesseract's output is cached the same way (by the scan's sha256, its
version and language). Speed runs each tool as its own process per page under GNU time (model
loading included, no cache), so those seconds are what a user waits, over the samples, the NZZ
pages, the German-Brazilian broadsheets and a 4000x5800 broadsheet (set `broadsheet`); then the
samples as one batch, `layoutkit run -j` against Tesseract as many pages at a time, in pages a
minute. A per-stage profile of one page is `benchmarks/profile.py`.

    python benchmarks/run.py --set samples nzz broadsheet --speed-only --only changji talbote 19330203

Needs the README's test set-up (Tesseract with chi_sim, chi_sim_vert, chi_tra_vert, frk, deu).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ecpo import FoldText, fold_segmentation, page_segmentation, read_fold, score_fold  # noqa: E402
from benchmarks.sets import SETS, Case, cases  # noqa: E402
from layoutkit import __version__  # noqa: E402
from layoutkit.batch import run_batch  # noqa: E402
from layoutkit.eval.metrics import evaluate, page_text  # noqa: E402
from layoutkit.io.readers import read_layout  # noqa: E402
from layoutkit.model import BlockType, Page  # noqa: E402
from layoutkit.pipeline import Settings  # noqa: E402

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "layoutkit"

#: (label, PageScores field, higher is better)
MEASURES = [
    ("next line", "order_next_line", True),
    ("next line in articles", "order_next_line_in_articles", True),
    ("order pairwise", "order_pairwise", True),
    ("article CER", "article_cer", False),
    ("article completeness", "article_completeness", True),
    ("article purity", "article_purity", True),
    ("articles ≥ 90 % complete", "articles_complete_90", True),
    ("articles ≥ 90 % pure", "articles_pure_90", True),
    ("CER", "cer", False),
    ("CER order-free", "cer_order_free", False),
    ("masthead fields", "masthead_accuracy", True),
    ("caption links", "caption_link_accuracy", True),
    ("region F1", "region_f1", True),
]


@dataclass
class Scored:
    case: Case
    tool: str
    values: dict[str, float | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    roles: dict[str, dict[str, int]] = field(default_factory=dict)


# -- running the tools ------------------------------------------------------------------------------
def run_layoutkit(todo: list[Case], out: Path, cache: Path, jobs: int, order_model: Path | None = None) -> None:
    """The cases through layoutkit's batch runner, ordered by `order_model` (a file) or the shipped model."""
    if not todo:
        return
    settings = Settings(cache_dir=str(cache / "lines"), order_model=str(order_model) if order_model else None)
    summary = run_batch([c.image for c in todo], out, settings, formats=("alto",), jobs=jobs,
                        progress=True)
    for f in summary.failures:
        print(f"layoutkit failed: {f.message.splitlines()[0]}", file=sys.stderr)


#: The real sets the shipped order model is trained on: scored with fold models (train_models.py --folds).
TRAINED_SETS = ("nzz",)
FOLDS_MANIFEST = "folds.json"
#: Each folds folder read: what its models were trained on (the manifest's words).
FOLDS_TRAINED_ON: dict[Path, str] = {}


def fold_models(folder: Path) -> dict[str, Path]:
    """Page name -> the fold order model that did not see that page, from `folder`'s manifest
    (benchmarks/train_models.py --folds K). Fold models trained beside another role model than the
    installed one saw other features: refused."""
    manifest = folder / FOLDS_MANIFEST
    if not manifest.is_file():
        raise SystemExit(f"{manifest}: no fold models. Make them with `python benchmarks/train_models.py --folds 4`, "
                         "or pass --no-folds to order the trained-on pages by the shipped model (which saw them)")
    data = json.loads(manifest.read_text("utf-8"))
    roles_file = ROOT / "layoutkit" / "layout" / "roles_model.txt"
    if data.get("roles_model") != hashlib.sha256(roles_file.read_bytes()).hexdigest():
        raise SystemExit(f"{manifest}: the fold models were trained beside another role model than "
                         f"{roles_file.name}; make them again with train_models.py --folds")
    FOLDS_TRAINED_ON[folder] = data.get("trained_on", "")
    return {name: folder / fold["model"] for fold in data["folds"] for name in fold["held_out"]}


def run_with_folds(todo: list[Case], out: Path, cache: Path, jobs: int, folds: dict[str, Path] | None) -> None:
    """Pages of a set the shipped models train on, each ordered by the fold model that did not see
    it (`folds`); every other page by the shipped models. A trained-on page no fold holds out is
    an error, not a figure from a model that saw it."""
    trained = [c for c in todo if c.set in TRAINED_SETS]
    if folds is None:
        run_layoutkit(todo, out, cache, jobs)
        return
    unseen = [c.name for c in trained if c.name not in folds]
    if unseen:
        raise SystemExit(f"no fold model held out {', '.join(unseen)}: make the folds again (train_models.py --folds)")
    run_layoutkit([c for c in todo if c.set not in TRAINED_SETS], out, cache, jobs)
    for model in sorted(set(folds.values())):
        run_layoutkit([c for c in trained if folds[c.name] == model], out, cache, jobs, model)


def provenance(set_name: str, split: str, folds: dict[str, Path] | None) -> str:
    """Which pages the models behind a set's figures trained on."""
    if set_name == "generated":
        return ("report seeds, never trained on (both models train on the dev seeds)" if split == "report" else
                f"{split} seeds: the models were trained on the dev seeds")
    if set_name in TRAINED_SETS:
        if folds is None:
            return "trained on: the shipped order model saw every one of these pages (run without --no-folds)"
        folders = {m.parent for m in folds.values()}
        trained_on = "; ".join(FOLDS_TRAINED_ON.get(f, "") for f in folders) or "the other folds"
        return (f"held-out: {len(set(folds.values()))} folds, each page ordered by an order model that did not "
                f"see it (trained on {trained_on}); the role model never saw them")
    if set_name == "samples":
        return "never trained on (but looked at in development: the role model's settings were chosen on them)"
    return "never trained on"


def predicted_pages(folder: Path, stem: str, suffix: str = ".alto.xml") -> list[Page]:
    """The pages written for one input: `stem.alto.xml`, or `stem_p0001.alto.xml` … for several."""
    single = folder / f"{stem}{suffix}"
    files = [single] if single.exists() else sorted(folder.glob(f"{stem}_p[0-9][0-9][0-9][0-9]{suffix}"))
    return [read_layout(f) for f in files]


def tesseract_version() -> str:
    res = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    return (res.stdout or res.stderr).split("\n")[0].strip()


def run_tesseract(case: Case, cache: Path) -> Path | None:
    """Tesseract's ALTO for the page, from the cache when this scan, version and language ran before."""
    key = hashlib.sha256(case.image.read_bytes() + f"{tesseract_version()}|{case.tesseract_lang}".encode())
    base = cache / "tesseract" / key.hexdigest()[:24]
    alto = base.with_suffix(".xml")
    if not alto.exists():
        base.parent.mkdir(parents=True, exist_ok=True)
        env = os.environ | {"OMP_THREAD_LIMIT": "1"}
        # Tesseract opens its output when it starts: written under another name and renamed when
        # it ends, a run that is stopped leaves no empty file for the next run to take as done.
        part = base.with_name(base.name + ".part")
        subprocess.run(["tesseract", str(case.image), str(part), "-l", case.tesseract_lang, "alto"],
                       capture_output=True, check=False, env=env)
        written = part.with_name(part.name + ".xml")
        if written.exists() and written.stat().st_size:
            os.replace(written, alto)
    return alto if alto.exists() else None


# -- scoring --------------------------------------------------------------------------------------
def score(case: Case, tool: str, pages: list[Page], folds: dict[Path, FoldText]) -> Scored:
    result = Scored(case, tool)
    if not pages:
        result.notes.append("no output")
        return result
    if case.text_only:
        fold = folds.setdefault(case.gt, read_fold(case.gt))
        result.values = score_fold("\n".join(page_text(p) for p in pages), fold) | fold_segmentation(pages, case.gt)
        return result
    truth = read_layout(case.gt)
    s = evaluate(pages[0], truth, case.name)
    result.values = {key: getattr(s, key) for _, key, _ in MEASURES if hasattr(s, key)}
    result.values |= page_segmentation(pages[0], truth)
    result.roles = s.roles
    result.notes = [f"masthead {e}" for e in s.masthead_errors]
    return result


TESSERACT_SETS = ("nzz", "jingbao")


def run_tesseract_all(todo: list[Case], cache: Path, jobs: int) -> None:
    """Tesseract's outputs for the sets it is compared on, `jobs` pages at a time (one thread each)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        list(pool.map(lambda c: run_tesseract(c, cache), [c for c in todo if c.set in TESSERACT_SETS]))


def score_all(todo: list[Case], out: Path, cache: Path, tesseract: bool) -> list[Scored]:
    folds: dict[Path, FoldText] = {}
    results = []
    for case in todo:
        results.append(score(case, "layoutkit", predicted_pages(out / "layoutkit", case.image.stem), folds))
        if tesseract and case.set in TESSERACT_SETS:
            alto = run_tesseract(case, cache)
            results.append(score(case, "tesseract", [read_layout(alto)] if alto else [], folds))
        if case.abbyy:
            results.append(score(case, "ABBYY FineReader 11", [read_layout(case.abbyy)], folds))
    return results


# -- reporting ------------------------------------------------------------------------------------
def fmt(v: float | None, digits: int = 4) -> str:
    return "-" if v is None or v != v else f"{v:.{digits}f}"


def tail(values: list[float], higher_better: bool) -> float:
    """The worst tenth's edge: the 10th percentile of an accuracy, the 90th of an error rate."""
    if len(values) == 1:
        return values[0]
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    return deciles[0] if higher_better else deciles[-1]


def summary_table(results: list[Scored], set_name: str) -> str:
    tools = list(dict.fromkeys(r.tool for r in results if r.case.set == set_name))
    rows = ["| measure | tool | pages | median | worst tenth | five worst pages |", "|---|---|---|---|---|---|"]
    for label, key, higher in MEASURES:
        for tool in tools:
            got = [(r.values[key], r.case.name) for r in results
                   if r.case.set == set_name and r.tool == tool and r.values.get(key) is not None]
            if not got:
                continue
            vals = [v for v, _ in got]
            worst = sorted(got, reverse=not higher)[:5]
            names = ", ".join(f"{name} {v:.3f}" for v, name in worst)
            rows.append(f"| {label} | {tool} | {len(vals)} | {fmt(statistics.median(vals))} | "
                        f"{fmt(tail(vals, higher))} | {names} |")
    missing = [f"{r.case.name} ({r.tool}): {'; '.join(r.notes)}" for r in results
               if r.case.set == set_name and r.notes and not r.values]
    return "\n".join(rows + (["", "No output: " + ", ".join(missing)] if missing else []))


def roles_table(results: list[Scored], set_name: str, tool: str = "layoutkit") -> str:
    """Each role's precision and recall over the set's pages (blocks matched by their lines,
    `metrics.role_counts`), with its count of ground-truth and predicted blocks."""
    total: dict[str, dict[str, int]] = {}
    pages = 0
    for r in results:
        if r.case.set != set_name or r.tool != tool or not r.roles:
            continue
        pages += 1
        for role, counts in r.roles.items():
            row = total.setdefault(role, dict.fromkeys(counts, 0))
            for k, v in counts.items():
                row[k] += v
    if not total:
        return ""
    rows = ["| role | ground-truth blocks | predicted blocks | precision | recall |", "|---|---|---|---|---|"]
    for role in [t.value for t in BlockType if t.value in total]:
        c = total[role]
        precision = c["right"] / c["pred"] if c["pred"] else None
        recall = c["recalled"] / c["gt"] if c["gt"] else None
        rows.append(f"| {role} | {c['gt']} | {c['pred']} | {fmt(precision, 3)} | {fmt(recall, 3)} |")
    return f"Roles of text blocks, {tool}, over {pages} pages:\n\n" + "\n".join(rows)


# -- speed ------------------------------------------------------------------------------------------
@dataclass
class Timed:
    wall: float
    cpu: float  # user + system, all threads and children
    mb: float
    error: str


def timed(cmd: list[str]) -> Timed:
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=False)

    def field_of(label: str) -> float:
        got = re.search(rf"{label}: ([\d.]+)", res.stderr)
        return float(got[1]) if got else float("nan")

    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    seconds = (int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])) if wall else float("nan")
    error = "" if res.returncode == 0 else (res.stderr.strip().splitlines() or ["failed"])[0]
    return Timed(seconds, field_of(r"User time \(seconds\)") + field_of(r"System time \(seconds\)"),
                 field_of(r"Maximum resident set size \(kbytes\)") / 1024, error)


def tesseract_cmd(case: Case, out: Path) -> list[str]:
    return ["tesseract", str(case.image), str(out / case.name), "-l", case.tesseract_lang, "alto"]


def speed_table(todo: list[Case], scratch: Path) -> str:
    rows = ["| page | size | layoutkit s | layoutkit CPU s | layoutkit MB | tesseract s | tesseract CPU s "
            "| tesseract MB | tesseract time / layoutkit |", "|---|---|---|---|---|---|---|---|---|"]
    from PIL import Image

    out = scratch / "speed"
    for case in todo:
        with Image.open(case.image) as im:
            size = f"{im.width}×{im.height}"
        lk = timed([sys.executable, "-m", "layoutkit", "run", str(case.image), "-o", str(out), "-q"])
        ts = timed(tesseract_cmd(case, out))
        ratio = f"{ts.wall / lk.wall:.1f}x" if lk.wall == lk.wall and ts.wall == ts.wall and lk.wall > 0 else ""
        errors = "".join(f" {e}" for e in (lk.error, ts.error) if e)
        rows.append(f"| {case.name} | {size} | {fmt(lk.wall, 1)} | {fmt(lk.cpu, 1)} | {fmt(lk.mb, 0)} | "
                    f"{fmt(ts.wall, 1)} | {fmt(ts.cpu, 1)} | {fmt(ts.mb, 0)} | {ratio}{errors} |")
        print(rows[-1], flush=True)
    return "\n".join(rows)


def throughput(todo: list[Case], scratch: Path, jobs: int = 2) -> str:
    """Pages a minute over a set as a batch: `layoutkit run -j JOBS`, and Tesseract JOBS pages at a time."""
    import shutil
    import time
    from concurrent.futures import ThreadPoolExecutor

    out = scratch / "throughput"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    lk = timed([sys.executable, "-m", "layoutkit", "run", *(str(c.image) for c in todo), "-o", str(out), "-q",
                "-j", str(jobs)])
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        done = list(pool.map(lambda c: subprocess.run(tesseract_cmd(c, out), capture_output=True, check=False), todo))
    tess = time.perf_counter() - start
    failed = sum(r.returncode != 0 for r in done)
    lk_note = f", {lk.error}" if lk.error else ""
    return (f"{len(todo)} pages ({', '.join(c.name for c in todo)}): `layoutkit run -j {jobs}` "
            f"{len(todo) / lk.wall * 60:.1f} pages/min ({lk.wall:.1f} s, {lk.cpu:.1f} CPU s{lk_note}); "
            f"Tesseract {jobs} at a time {len(todo) / tess * 60:.1f} pages/min ({tess:.1f} s"
            f"{f', {failed} failed' if failed else ''}).")


def machine() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next((ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), "")
    except OSError:
        cpu = platform.processor()
    return f"{platform.machine()} {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def git_commit() -> str:
    res = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    dirty = subprocess.run(["git", "status", "--porcelain", "layoutkit"], cwd=ROOT, capture_output=True,
                           text=True, check=False).stdout.strip()
    return res.stdout.strip() + (" (with uncommitted changes to layoutkit/)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--split", default="report", choices=["report", "dev", "all"],
                        help="generated pages: the reported seeds (default), the ones to develop on, or all")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only pages whose name contains one of these")
    parser.add_argument("--corpus", type=Path, default=CACHE / "corpus", help="where generated pages are rendered")
    parser.add_argument("--cache", type=Path, default=CACHE, help="line cache and Tesseract outputs")
    parser.add_argument("--out", type=Path, default=CACHE / "bench-out", help="layoutkit's outputs (kept)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--tesseract", action="store_true", help="Tesseract's quality beside, on NZZ and 晶報")
    parser.add_argument("--no-speed", action="store_true", help="skip the seconds-and-memory table")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--json", type=Path, help="write every page's scores here")
    parser.add_argument("--folds-dir", type=Path, default=CACHE / "order-folds",
                        help="fold order models (train_models.py --folds): NZZ pages are ordered by them")
    parser.add_argument("--no-folds", action="store_true",
                        help="order NZZ pages by the shipped model, which was trained on them (not a held-out figure)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    todo = [c for c in cases(args.set, args.corpus, args.split)
            if not args.only or any(part in c.name for part in args.only)]
    sections = [f"# Benchmark: layoutkit {__version__} on commit {git_commit()}\n\n- machine: {machine()}\n"
                f"- {tesseract_version() or 'tesseract not found'}, `tesseract IMG OUT -l LANG alto`\n"
                f"- command: `python benchmarks/run.py {' '.join(sys.argv[1:])}`"]
    if not args.speed_only:
        trained = any(c.set in TRAINED_SETS for c in todo)
        folds = fold_models(args.folds_dir) if trained and not args.no_folds else None
        run_with_folds(todo, args.out / "layoutkit", args.cache, args.jobs, folds)
        if args.tesseract:
            run_tesseract_all(todo, args.cache, args.jobs)
        results = score_all(todo, args.out, args.cache, args.tesseract)
        sets = list(dict.fromkeys(c.set for c in todo))
        sections[0] += "\n- the models behind each set's figures:\n" + "\n".join(
            f"  - {name}: {provenance(name, args.split, folds)}" for name in sets)
        if folds:
            by_model: dict[Path, list[str]] = {}
            for name, model in folds.items():
                by_model.setdefault(model, []).append(name)
            sections[0] += "\n- fold models (each held out the pages named): " + "; ".join(
                f"`{m.name}`: {', '.join(sorted(n))}" for m, n in sorted(by_model.items()))
        for set_name in sets:
            split = f" ({args.split} seeds)" if set_name == "generated" else ""
            roles = roles_table(results, set_name)
            sections.append(f"## {set_name}{split}\n\n_{provenance(set_name, args.split, folds)}._\n\n"
                            f"{summary_table(results, set_name)}" + (f"\n\n{roles}" if roles else ""))
            print(sections[-1], flush=True)
        if args.json:
            args.json.write_text(json.dumps([{"page": r.case.name, "set": r.case.set, "tool": r.tool, **r.values,
                                              "roles": r.roles} for r in results], indent=1), encoding="utf-8")
    if not args.no_speed:
        speed_cases = [c for c in todo if c.set in ("samples", "gbn", "broadsheet") or c.image.parent.name == "nzz"]
        sections.append("## Seconds and peak memory per page (one process per page, models loaded, no cache)\n\n"
                        "CPU seconds are user + system: on a shared machine the figure to compare, where "
                        "wall seconds move with the neighbours' load.\n\n" + speed_table(speed_cases, args.out))
        samples = [c for c in todo if c.set == "samples"]
        if samples:
            sections.append("## Pages a minute\n\n" + throughput(samples, args.out, args.jobs))
            print(sections[-1], flush=True)
    args.output.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

"""Run the pipeline over many inputs: parallel, resumable, and one bad file never stops the rest.

Each input file is one task, done by `process_file` wherever it runs (this process, a pool of
worker processes, or a Dask cluster); workers keep their models loaded between tasks. A task
writes its outputs atomically and then a small completion record, so `--resume` can trust what
it finds after a crash or a SIGKILL and recompute only what was not finished.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from multiprocessing.queues import Queue
from pathlib import Path

import cv2

from . import atomic
from .errors import InputError, LayoutkitError
from .export.alto import to_alto
from .export.hocr import to_hocr
from .export.jsonout import dumps, masthead, structure
from .export.mets import PageRecord, to_mets
from .export.page import to_page_xml
from .export.text import to_text
from .io.images import file_sha256, is_image_path, load_page, page_count
from .model import Box, Page
from .pipeline import Pipeline, Settings
from .progress import Progress

FORMATS = ("alto", "page", "text", "json", "hocr", "pdf")
DEFAULT_FORMATS = ("alto", "text", "json")
RECORDS = ".layoutkit"
#: How often, in seconds, the runner looks for pages its workers report while it waits on files.
REPORT_WAIT = 0.5

#: Told the number of pages just finished.
PageReport = Callable[[int], None]


@dataclass(slots=True)
class Failure:
    file: str
    stage: str
    error: str
    message: str


@dataclass(slots=True)
class FileResult:
    file: str
    pages: int = 0
    failures: list[Failure] = field(default_factory=list)
    records: list[PageRecord] = field(default_factory=list)
    skipped: bool = False


@dataclass(slots=True)
class Summary:
    """Pages written by this run; every input file counted once: done, already done or failed."""

    pages: int = 0
    files: int = 0
    done: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len({f.file for f in self.failures})


@dataclass(frozen=True, slots=True)
class Task:
    path: Path
    stem: str
    outdir: Path
    settings: Settings
    formats: tuple[str, ...]
    page_timeout: float | None = None


def expand_inputs(inputs: Iterable[str]) -> list[Path]:
    """Files, folders (searched recursively for images and PDFs) and glob patterns, in order."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found.extend(sorted(x for x in p.rglob("*") if x.is_file() and is_image_path(x)))
        elif any(ch in item for ch in "*?[") and not p.exists():
            found.extend(sorted(Path(x) for x in glob.glob(item, recursive=True) if Path(x).is_file()))
        else:
            found.append(p)
    return list(dict.fromkeys(found))


def output_stems(files: list[Path]) -> dict[Path, str]:
    """Output names: the file stem; where inputs share a stem, their folders below the folder they
    have in common are put in front (a/page.png, b/page.png -> a__page, b__page)."""
    groups: dict[str, list[Path]] = {}
    for f in files:
        groups.setdefault(f.stem, []).append(f)
    stems: dict[Path, str] = {}
    for stem, group in groups.items():
        if len(group) == 1:
            stems[group[0]] = stem
            continue
        parents = [f.resolve().parent for f in group]
        common = Path(os.path.commonpath(parents))
        for f, parent in zip(group, parents, strict=True):
            stems[f] = "__".join([*parent.relative_to(common).parts, f.stem + f.suffix.replace(".", "_")
                                  if len(set(parents)) == 1 else f.stem])
    return stems


def page_stem(stem: str, page: Page) -> str:
    return stem if page.source.page_count == 1 else f"{stem}_p{page.source.page_index + 1:04d}"


def write_page(page: Page, outdir: Path, stem: str, formats: tuple[str, ...] = DEFAULT_FORMATS) -> list[Path]:
    """Every requested output of one page, each written atomically.

    A page cut from a spread gets its image written too (`<name>.png`, lossless), and its outputs
    name that image: ALTO's coordinates are in the pixels of the image it names, and a viewer or
    an ALTO consumer draws them there (the scan it was cut from and where are kept beside).
    """
    name = page_stem(stem, page)
    outputs: list[tuple[Path, bytes]] = []
    crop_image: tuple[Path, bytes] | None = None
    if page.source.crop is not None and page.source.cut_from is None:
        crop_image = (outdir / f"{name}.png", page_png(Path(page.source.path), page.source.image_index,
                                                        page.source.crop))
        page.source = replace(page.source, path=str(crop_image[0]), sha256=hashlib.sha256(crop_image[1]).hexdigest(),
                              image_index=0, cut_from=page.source.path)
    if "alto" in formats:
        outputs.append((outdir / f"{name}.alto.xml", to_alto(page)))
    if "page" in formats:
        outputs.append((outdir / f"{name}.page.xml", to_page_xml(page, confidences=True)))
    if "text" in formats:
        outputs.append((outdir / f"{name}.txt", to_text(page).encode("utf-8")))
    if "json" in formats:
        outputs.append((outdir / f"{name}.structure.json", dumps(structure(page)).encode("utf-8")))
        if page.masthead:
            outputs.append((outdir / f"{name}.masthead.json", dumps(masthead(page)).encode("utf-8")))
    if "hocr" in formats:
        outputs.append((outdir / f"{name}.hocr", to_hocr(page)))
    if "pdf" in formats:
        from .export.pdf import to_pdf  # needs the ocrmypdf extra

        outputs.append((outdir / f"{name}.pdf", to_pdf(page)))
    if crop_image:
        outputs.append(crop_image)
    for path, data in outputs:
        atomic.write_bytes(path, data)
    return [path for path, _ in outputs]


def page_png(path: Path, index: int, crop: Box) -> bytes:
    """The pixels of a page cut from a spread, as PNG; one channel where the scan is grey."""
    pixels = load_page(path, index)[int(crop.y0):int(crop.y1), int(crop.x0):int(crop.x1)]
    grey = bool((pixels[:, :, 0] == pixels[:, :, 1]).all() and (pixels[:, :, 1] == pixels[:, :, 2]).all())
    ok, data = cv2.imencode(".png", pixels[:, :, 0] if grey else pixels)
    if not ok:
        raise LayoutkitError(f"{path}: the page at {crop} could not be written as PNG")
    return data.tobytes()


# -- resume -----------------------------------------------------------------------------------------
def settings_key(settings: Settings, formats: tuple[str, ...]) -> str:
    blob = json.dumps({"settings": settings.record(), "formats": sorted(formats)}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _record_path(task: Task) -> Path:
    return task.outdir / RECORDS / f"{task.stem}.json"


def finished(task: Task) -> FileResult | None:
    """The task's earlier result if its outputs are complete and were made from this very input
    with these settings; None if it must run."""
    try:
        record = json.loads(_record_path(task).read_text("utf-8"))
        done = (record["input_sha256"] == file_sha256(task.path)
                and record["settings"] == settings_key(task.settings, task.formats)
                and all((task.outdir / name).is_file() for name in record["outputs"]))
        if not done:
            return None
        return FileResult(str(task.path), records=[PageRecord.from_dict(d) for d in record["pages"]], skipped=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# -- one task, wherever it runs ---------------------------------------------------------------------
_pipelines: dict[Settings, Pipeline] = {}


def worker_pipeline(settings: Settings) -> Pipeline:
    """The models of this process, loaded on its first task."""
    if settings not in _pipelines:
        _pipelines[settings] = Pipeline(settings)
    return _pipelines[settings]


class PageTimeout(LayoutkitError):
    pass


@contextlib.contextmanager
def time_limit(seconds: float | None, path: Path) -> Iterator[None]:
    """SIGALRM-based; where signals cannot be used (a thread of a Dask worker) it does not apply."""
    usable = seconds and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise PageTimeout(f"{path}: page took longer than the limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_file(task: Task, on_page: PageReport | None = None) -> FileResult:
    result = FileResult(str(task.path))
    stage = "load"
    outputs: list[Path] = []
    try:
        pages = worker_pipeline(task.settings).process_file(task.path)
        while True:
            with time_limit(task.page_timeout, task.path):
                page = next(pages, None)
            if page is None:
                break
            stage = "write"
            written = write_page(page, task.outdir, task.stem, task.formats)
            outputs.extend(written)
            if "alto" in task.formats:
                result.records.append(PageRecord.of(page, written[0]))
            result.pages += 1
            if on_page is not None:
                on_page(1)
            stage = "load"
        record = {"input": str(task.path), "input_sha256": file_sha256(task.path),
                  "settings": settings_key(task.settings, task.formats),
                  "outputs": [p.relative_to(task.outdir).as_posix() for p in outputs],
                  "pages": [r.to_dict() for r in result.records]}
        atomic.write_text(_record_path(task), json.dumps(record, ensure_ascii=True))
    except LayoutkitError as exc:
        kind = "input" if isinstance(exc, InputError) else "timeout" if isinstance(exc, PageTimeout) else stage
        result.failures.append(Failure(str(task.path), kind, type(exc).__name__, str(exc)))
    except Exception as exc:  # a bug must not stop the other 9 999 pages; it is recorded in full
        result.failures.append(Failure(str(task.path), "process", type(exc).__name__,
                                       f"{task.path}: {exc}\n{traceback.format_exc(limit=5)}"))
    return result


# -- executors --------------------------------------------------------------------------------------
#: In a pool worker: where it reports each page it finishes.
_reports: Queue | None = None


def _worker_reports(reports: Queue) -> None:
    """A pool worker's start. A worker that ends does not wait for its last reports to be read."""
    global _reports
    reports.cancel_join_thread()
    _reports = reports


def _report(pages: int) -> None:
    if _reports is not None:
        _reports.put(pages)


def _pool_file(task: Task) -> FileResult:
    return process_file(task, _report)


def _local(tasks: list[Task], jobs: int, on_page: PageReport) -> Iterator[FileResult]:
    if jobs <= 1:
        for task in tasks:
            yield process_file(task, on_page)
        return
    context = get_context("spawn")
    reports = context.Queue()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_reports,
                               initargs=(reports,))
    try:
        pending = {pool.submit(_pool_file, t) for t in tasks}
        while pending:
            done, pending = wait(pending, timeout=REPORT_WAIT, return_when=FIRST_COMPLETED)
            with contextlib.suppress(queue.Empty):
                while True:
                    on_page(reports.get_nowait())
            for fut in done:
                yield fut.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(tasks: list[Task], scheduler: str | None, jobs: int, on_page: PageReport) -> Iterator[FileResult]:
    """Pages are reported as each file comes back: a cluster's workers report nothing sooner."""
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise LayoutkitError("--executor dask needs dask.distributed: pip install 'layoutkit[dask]'") from exc
    cluster = None if scheduler else LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = client.map(process_file, tasks, pure=False)
        for fut in dask_completed(futures):
            result = fut.result()
            on_page(result.pages)
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(files: Sequence[Path], outdir: Path, settings: Settings, *,
              formats: tuple[str, ...] = DEFAULT_FORMATS, mets: Path | None = None, jobs: int = 1,
              resume: bool = False, executor: str = "local", scheduler: str | None = None,
              page_timeout: float | None = None, progress: bool = True) -> Summary:
    """Process every input file (`expand_inputs` finds them); with `mets`, also write one METS file
    for all pages done (needs ALTO). Paths are made absolute first, so the records (and the viewer
    reading them) find the scans from any folder, and Dask workers do not depend on this one's."""
    if jobs > 1 and settings.threads is None:
        # Each worker gets its share of the cores: onnxruntime would otherwise take all of them in
        # every worker, and two workers on two cores ran 25 % slower than one.
        settings = replace(settings, threads=max(1, (os.cpu_count() or 1) // jobs))
    files = [f.absolute() for f in files]
    outdir = outdir.absolute()
    stems = output_stems(files)
    summary = Summary(files=len(files))
    start = time.perf_counter()
    tasks = [Task(f, stems[f], outdir, settings, formats, page_timeout) for f in files]
    records: dict[str, list[PageRecord]] = {}
    if resume:
        todo = []
        for t in tasks:
            earlier = finished(t)
            if earlier is None:
                todo.append(t)
            else:
                records[earlier.file] = earlier.records
        summary.skipped = len(tasks) - len(todo)
        tasks = todo
    expected = {str(t.path): page_count(t.path) if progress else 1 for t in tasks}
    bar = Progress(sum(expected.values()), len(tasks), enabled=progress)
    results = (_dask(tasks, scheduler, jobs, bar.page) if executor == "dask"
               else _local(tasks, jobs, bar.page))
    try:
        for result in results:
            summary.pages += result.pages
            summary.failures.extend(result.failures)
            summary.done += not result.failures
            records[result.file] = result.records
            bar.file(bool(result.failures), max(0, expected[result.file] - result.pages) if result.failures else 0)
    finally:
        bar.close(summary.pages)
    if summary.failures:
        lines = [json.dumps(vars_of(x), ensure_ascii=True) for x in summary.failures]
        with contextlib.suppress(LayoutkitError):  # the failures still reach the terminal
            atomic.write_text(outdir / "errors.jsonl", "\n".join(lines) + "\n")
    if mets is not None:
        ordered = [r for f in files for r in records.get(str(f), [])]
        if ordered:
            atomic.write_bytes(mets, to_mets(ordered, mets))
    summary.seconds = time.perf_counter() - start
    return summary


def vars_of(f: Failure) -> dict[str, str]:
    return {"file": f.file, "stage": f.stage, "error": f.error, "message": f.message}

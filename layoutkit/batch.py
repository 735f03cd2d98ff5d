"""Run the pipeline over many inputs: one bad file is recorded and the batch goes on."""

from __future__ import annotations

import contextlib
import glob
import json
import sys
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import atomic
from .errors import InputError, LayoutkitError
from .export.alto import to_alto
from .export.jsonout import dumps, masthead, structure
from .export.mets import PageRecord, to_mets
from .export.page import to_page_xml
from .export.text import to_text
from .io.images import is_image_path
from .model import Page
from .pipeline import Pipeline, Settings


@dataclass(slots=True)
class Failure:
    file: str
    stage: str
    error: str
    message: str


@dataclass(slots=True)
class Summary:
    pages: int = 0
    files: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0


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
    unique: dict[Path, None] = {}
    for f in found:
        unique.setdefault(f, None)
    return list(unique)


def output_stems(files: list[Path]) -> dict[Path, str]:
    """Output names: the file stem, or parent folders added where two inputs share a stem."""
    stems: dict[Path, str] = {}
    taken: dict[str, int] = {}
    for f in files:
        taken[f.stem] = taken.get(f.stem, 0) + 1
    for f in files:
        if taken[f.stem] == 1:
            stems[f] = f.stem
        else:
            parts = [x for x in f.resolve().parent.parts[-2:] if x not in ("/", "")]
            stems[f] = "__".join([*parts, f.stem])
    return stems


def page_stem(stem: str, page: Page) -> str:
    return stem if page.source.page_count == 1 else f"{stem}_p{page.source.page_index + 1:04d}"


FORMATS = ("alto", "page", "text", "json")
DEFAULT_FORMATS = ("alto", "text", "json")


def write_page(page: Page, outdir: Path, stem: str, formats: tuple[str, ...] = DEFAULT_FORMATS) -> list[Path]:
    """Every requested output of one page, each written atomically."""
    name = page_stem(stem, page)
    outputs: list[tuple[Path, bytes]] = []
    if "alto" in formats:
        outputs.append((outdir / f"{name}.alto.xml", to_alto(page)))
    if "page" in formats:
        outputs.append((outdir / f"{name}.page.xml", to_page_xml(page)))
    if "text" in formats:
        outputs.append((outdir / f"{name}.txt", to_text(page).encode("utf-8")))
    if "json" in formats:
        outputs.append((outdir / f"{name}.structure.json", dumps(structure(page)).encode("utf-8")))
        if page.masthead:
            outputs.append((outdir / f"{name}.masthead.json", dumps(masthead(page)).encode("utf-8")))
    for path, data in outputs:
        atomic.write_bytes(path, data)
    return [path for path, _ in outputs]


def run_batch(inputs: list[str], outdir: Path, settings: Settings, *, formats: tuple[str, ...] = DEFAULT_FORMATS,
              mets: Path | None = None, progress: bool = True) -> Summary:
    """Process every input; with `mets`, also write one METS file for all pages done (needs ALTO)."""
    files = expand_inputs(inputs)
    stems = output_stems(files)
    summary = Summary(files=len(files))
    records: list[PageRecord] = []
    start = time.perf_counter()
    pipeline = Pipeline(settings) if files else None
    errors_path = outdir / "errors.jsonl"
    bar = tqdm(files, unit="file", disable=not progress or not sys.stderr.isatty())
    for f in bar:
        stage = "load"
        try:
            assert pipeline is not None
            for page in pipeline.process_file(f):
                stage = "write"
                written = write_page(page, outdir, stems[f], formats)
                if mets is not None:
                    records.append(PageRecord.of(page, written[0]))
                summary.pages += 1
                stage = "load"
        except LayoutkitError as exc:
            summary.failures.append(Failure(str(f), "input" if isinstance(exc, InputError) else stage,
                                            type(exc).__name__, str(exc)))
        except Exception as exc:  # a bug must not stop the other 9 999 pages; it is recorded in full
            summary.failures.append(Failure(str(f), "process", type(exc).__name__,
                                            f"{f}: {exc}\n{traceback.format_exc(limit=5)}"))
    if summary.failures:
        lines = [json.dumps(vars_of(x), ensure_ascii=False) for x in summary.failures]
        with contextlib.suppress(LayoutkitError):  # the failures still reach the terminal
            atomic.write_text(errors_path, "\n".join(lines) + "\n")
    if mets is not None and records:
        atomic.write_bytes(mets, to_mets(records, mets))
    summary.seconds = time.perf_counter() - start
    return summary


def vars_of(f: Failure) -> dict[str, str]:
    return {"file": f.file, "stage": f.stage, "error": f.error, "message": f.message}

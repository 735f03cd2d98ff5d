"""An OCR engine plugin for OCRmyPDF: `ocrmypdf --plugin layoutkit.ocrmypdf IN.pdf OUT.pdf`.

OCRmyPDF keeps doing what it does well (rasterising, PDF/A, optimising, grafting a text layer onto
each page) and asks this engine for the text of each page image it makes. The engine runs
layoutkit's pipeline on that image and hands back the page as OCRmyPDF's own OcrElement tree
(`generate_ocr`, which its default fpdf2 renderer draws): lines in layoutkit's reading order,
vertical columns laid along their direction. The `sandwich` renderer gets the same layer as a
text-only PDF (`generate_pdf`), and hOCR is offered too (`generate_hocr`).

The models are loaded once per OCRmyPDF worker process, on its first page. layoutkit finds a
page's orientation and skew itself and writes its text in the pixels of the image it was given,
so OCRmyPDF is told 0 for both and keeps the image as it is. Needs the `ocrmypdf` extra.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrmypdf import hookimpl
from ocrmypdf.exceptions import BadArgsError
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence
from pydantic import BaseModel

from . import __version__
from .export.hocr import to_hocr
from .export.pdf import render_text_layer, text_tree
from .export.text import to_text
from .model import Page
from .ocr.engines import ENGINES

if TYPE_CHECKING:
    from ocrmypdf._options import OcrOptions

#: OCRmyPDF's executor may run pages in threads of one process: they share its pipeline in turn.
_lock = threading.Lock()


class LayoutkitOptions(BaseModel):
    """The options this plugin adds, read as `options.layoutkit.<name>`."""

    engine: str = "ppocr"
    cache: str | None = None


@hookimpl
def register_options() -> dict[str, type[BaseModel]]:
    return {"layoutkit": LayoutkitOptions}


@hookimpl
def add_options(parser: Any) -> None:
    group = parser.add_argument_group("layoutkit", "OCR by layoutkit (layout, reading order, CJK and Fraktur)")
    group.add_argument("--layoutkit-engine", choices=ENGINES, default="ppocr",
                       help="the recogniser layoutkit runs (default ppocr)")
    group.add_argument("--layoutkit-cache", metavar="DIR",
                       help="keep each page's detected and recognised lines here; a page seen before skips the models")


@hookimpl
def check_options(options: OcrOptions) -> None:
    if options.layoutkit.engine not in ENGINES:
        raise BadArgsError(f"--layoutkit-engine {options.layoutkit.engine}: choose from {', '.join(ENGINES)}")


def settings_of(options: OcrOptions) -> Any:
    """layoutkit's settings for OCRmyPDF's options: one page an image (OCRmyPDF's page is never
    a spread to cut), one thread a worker (OCRmyPDF runs its workers side by side)."""
    from .pipeline import Settings

    lang = "+".join(options.languages) if options.layoutkit.engine == "tesseract" and options.languages else None
    return Settings(engine=options.layoutkit.engine, spreads="keep", threads=1, lang=lang,
                    cache_dir=options.layoutkit.cache)


def read_page(input_file: Path, options: OcrOptions) -> Page:
    """The page model of the image OCRmyPDF hands over, by this process's pipeline."""
    from .batch import worker_pipeline

    with _lock:
        pipeline = worker_pipeline(settings_of(options))
        pages = list(pipeline.process_file(input_file))
    return pages[0]


class LayoutkitEngine(OcrEngine):
    @staticmethod
    def version() -> str:
        return __version__

    @staticmethod
    def creator_tag(options: OcrOptions) -> str:
        return f"layoutkit {__version__} ({options.layoutkit.engine})"

    def __str__(self) -> str:
        return f"layoutkit {__version__}"

    @staticmethod
    def languages(options: OcrOptions) -> set[str]:
        """None named: the default recogniser reads Chinese and Latin script without being told a
        language (an empty set lets OCRmyPDF take any -l, which the tesseract engine passes on)."""
        return set()

    @staticmethod
    def get_orientation(input_file: Path, options: OcrOptions) -> OrientationConfidence:
        return OrientationConfidence(angle=0, confidence=0.0)

    @staticmethod
    def get_deskew(input_file: Path, options: OcrOptions) -> float:
        return 0.0

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(input_file: Path, options: OcrOptions, page_number: int = 0) -> tuple[Any, str]:
        page = read_page(input_file, options)
        tree = text_tree(page)
        tree.page_number = page_number
        return tree, to_text(page)

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: OcrOptions) -> None:
        page = read_page(input_file, options)
        output_hocr.write_bytes(to_hocr(page))
        output_text.write_text(to_text(page), encoding="utf-8")

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options: OcrOptions) -> None:
        page = read_page(input_file, options)
        render_text_layer(text_tree(page), output_pdf)
        output_text.write_text(to_text(page), encoding="utf-8")


@hookimpl
def get_ocr_engine(options: OcrOptions | None) -> OcrEngine | None:
    """This engine unless another is asked for by name (`--ocr-engine tesseract` or `none`)."""
    if options is not None and getattr(options, "ocr_engine", "auto") != "auto":
        return None
    return LayoutkitEngine()

"""The one sequence every shell (CLI, batch runner, viewer, benchmarks) calls.

    load (-> two pages of a spread) -> preprocess -> detect lines (-> stand the page upright,
         again) -> layout -> recognise -> refine types -> order -> articles (a page of vertical
         columns cut into articles, each read whole) -> column grid -> restore

Line detection runs before layout because the layout is built from the lines it finds; both
look at the same deskewed working image, and `restore` maps the finished page back to the scan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import __version__
from .io.images import DEFAULT_MAX_PIXELS, DEFAULT_PDF_DPI, PageImage, load_pages
from .layout.blocks import analyse
from .layout.classify import refine_types
from .layout.columns import find_columns
from .layout.roles import roles_model
from .layout.spread import page_order, split_spread
from .model import Page, Processing, Source
from .ocr.base import Recognizer
from .ocr.cache import CachedRecognizer, LineCache, PageCache, digest
from .ocr.decoding import DEFAULT_LM
from .ocr.engines import make_recognizer
from .ocr.orientation import OrientationClassifier
from .ocr.ppocr import LineDetector, PPOCRRecognizer, detection_scale
from .ocr.recognize import recognise_page
from .preprocess import WorkingImage, prepare, restore
from .profiling import stage
from .structure.articles import group_articles, link_continuations
from .structure.masthead import find_masthead
from .structure.order import median_body, order_blocks, vertical_page
from .structure.relations import load_order_model, order_model
from .structure.tiers import read_articles


@dataclass(frozen=True, slots=True)
class Settings:
    engine: str = "ppocr"
    deskew: bool = True
    orient: bool = True
    max_pixels: int = DEFAULT_MAX_PIXELS
    pdf_dpi: float = DEFAULT_PDF_DPI
    model_dir: str | None = None
    threads: int | None = None
    lang: str | None = None
    #: A folder of detected and recognised lines (ocr.cache): a page seen before skips the models.
    cache_dir: str | None = None
    #: "split": an image of two facing pages gives two pages (layout.spread); "keep": one.
    spreads: str = "split"
    #: The ppocr engine's decoding: "auto" (beam search with the language model of each line's
    #: script, ocr.decoding) or "none" (greedy).
    lm: str = DEFAULT_LM
    #: Another reading-order model file than the packaged one: a fold's model, which orders the
    #: pages it was not trained on (benchmarks/train_models.py --folds).
    order_model: str | None = None

    def record(self) -> dict[str, str]:
        """The settings that shape the output (threads and the cache only change the speed; the
        language model only the ppocr engine's)."""
        ignored = {"threads", "cache_dir"} | ({"lm"} if self.engine != "ppocr" else set())
        return {k: str(v) for k, v in asdict(self).items() if v is not None and k not in ignored}


class Pipeline:
    """Holds the loaded models, so a worker loads them once and not once per page."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        model_dir = Path(self.settings.model_dir) if self.settings.model_dir else None
        self.detector = LineDetector(model_dir, self.settings.threads)
        self.recognizer = make_recognizer(self.settings.engine, model_dir, self.settings.threads, self.settings.lang,
                                          self.settings.lm)
        # Which way up a page stands is decided by the packaged models whatever engine reads the
        # text: another engine's confidences do not say how PP-OCR's lines stand (a Fraktur model
        # reads an upright page no surer than the same page upside down).
        reader = self.recognizer.greedy() if isinstance(self.recognizer, PPOCRRecognizer) else None
        self.orientation = (OrientationClassifier(model_dir, self.settings.threads, reader) if self.settings.orient
                            else None)
        ocr = self.detector.describe() | self.recognizer.describe()
        # The cache holds what the OCR models saw and read; the order model does not change that.
        self.cache = LineCache(self.settings.cache_dir, ocr) if self.settings.cache_dir else None
        # The orientation's readings are the packaged recogniser's: kept apart from another
        # engine's, or in the same file where the engine is that recogniser.
        self.orientation_cache = self.cache
        if self.settings.cache_dir and self.orientation and self.orientation.describe() != self.recognizer.describe():
            self.orientation_cache = LineCache(self.settings.cache_dir,
                                               self.detector.describe() | self.orientation.describe())
        self.order_booster = load_order_model(self.settings.order_model) if self.settings.order_model else None
        self.models = ocr | roles_model() | order_model(self.settings.order_model)

    def process_file(self, path: str | Path) -> Iterator[Page]:
        """The file's pages in order; an image of two pages gives both, and the pages after it
        are numbered on (so `page_count` is the file's count plus the spreads found so far)."""
        added = 0
        for image in load_pages(path, max_pixels=self.settings.max_pixels, pdf_dpi=self.settings.pdf_dpi):
            pages = self.process_spread(image)
            added += len(pages) - 1
            for k, page in enumerate(pages):
                page.source.page_index = image.page_index + added - (len(pages) - 1) + k
                page.source.page_count = image.page_count + added
            yield from pages

    def process_spread(self, image: PageImage) -> list[Page]:
        """One page, or the two pages of a spread in the paper's order."""
        halves = split_spread(image, self.settings.deskew) if self.settings.spreads == "split" else []
        if not halves:
            return [self.process_image(image)]
        left, right = (self.process_image(h) for h in halves)
        return page_order(left, right)

    def process_image(self, image: PageImage) -> Page:
        page, work, scale = self.recognise(image)
        with stage("structure"):
            page, body = type_page(page, *work_size(work))
            page = order_page(page, body, self.order_booster)
            page = restore(page, work)
        settings = self.settings.record() | {"detection_scale": f"{scale:.3f}",
                                             "deskew_deg": f"{work.transform.skew_deg:.2f}",
                                             "rotation_deg": str(work.transform.rotation)}
        page.processing = Processing("layoutkit", __version__, self.settings.engine, dict(self.models), settings)
        return page

    def recognise(self, image: PageImage) -> tuple[Page, WorkingImage, float]:
        """The page as recognition leaves it, in the working image's frame (upright, deskewed),
        with that image and the detection scale: what the structure stages and the models'
        training (benchmarks/train_models.py) start from."""
        with stage("preprocess"):
            work = prepare(image.pixels, deskew=self.settings.deskew)
        source = Source(str(image.path), image.sha256, image.page_index, image.page_count, image.page_index,
                        image.crop)
        page = Page(image.width, image.height, source, dpi=image.dpi)
        cache = self.cache.page(image.sha256, image.page_index, image.crop) if self.cache else None
        recognizer: Recognizer = CachedRecognizer(self.recognizer, cache) if cache else self.recognizer
        orient_cache = cache
        if self.orientation_cache is not self.cache and self.orientation_cache:
            orient_cache = self.orientation_cache.page(image.sha256, image.page_index, image.crop)
        # Detections depend on the detector alone: they are kept with the packaged reader's
        # readings, so that another engine or decoding finds them there.
        with stage("detection"):
            scale, quads = self._lines(work, orient_cache)
        with stage("orientation"):
            turns = self.orientation.quarter_turns(work.bgr, quads, orient_cache) if self.orientation else 0
            if turns:
                # Lying or upside down: stand it up, deskew again, and find the lines the right way.
                work = prepare(image.pixels, deskew=self.settings.deskew, quarter_turns=turns)
                scale, quads = self._lines(work, orient_cache)
        with stage("layout"):
            page = analyse(work, quads, page)
        with stage("recognition"):
            page = recognise_page(page, work.bgr, recognizer, work.text_height)
        for kept in {id(c): c for c in (cache, orient_cache) if c}.values():
            kept.save()
        return page, work, scale

    def _lines(self, work: WorkingImage, cache: PageCache | None) -> tuple[float, list[np.ndarray]]:
        """Line quads on the working image, detected at the scale its text height asks for."""
        scale = detection_scale(work.text_height)
        key = digest(work.bgr, extra=f"{scale:.6f}") if cache else ""
        quads = cache.quads(key) if cache else None
        if quads is None:
            quads = [d.quad for d in self.detector.detect(work.bgr, scale, work.binary)]
            if cache:
                cache.keep_quads(key, quads)
        return scale, quads


def work_size(work: WorkingImage) -> tuple[float, float]:
    """The working image's width and height: the page's extent as the role model measures it."""
    return float(work.bgr.shape[1]), float(work.bgr.shape[0])


def type_page(page: Page, width: float, height: float) -> tuple[Page, float]:
    """Roles, captions and the masthead on a recognised page in the working frame: the page as
    the order model sees it, and the body size the order measures in. The role model sees the
    blocks as they come here, the order model the page this returns: training computes both
    models' features from these same two points (benchmarks/train_models.py)."""
    # Before roles every text block outside a frame counts as body; after, only body text does.
    page.blocks = refine_types(page.blocks, median_body(page), width, height)
    body = median_body(page)
    return find_masthead(page, body), body


def order_page(page: Page, body: float, booster=None) -> Page:
    """Reading order (by `booster`, or the packaged order model), articles, continuations and the
    column grid, still in the working frame."""
    page = order_blocks(page, body, booster)
    # A page of vertical columns is cut into articles as a reader cuts it, and read one by one.
    page = read_articles(page, body) if vertical_page(page.blocks) else group_articles(page)
    page = link_continuations(page, body)
    page.columns = find_columns(page.blocks, page.separators)
    return page

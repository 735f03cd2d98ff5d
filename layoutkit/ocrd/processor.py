"""The OCR-D processor: one page image in, layoutkit's PAGE of it out, in the workspace's terms.

OCR-D core does the workspace work (file groups, page IDs, METS, parallel pages, provenance);
this class only loads the models once (`setup`), runs the library's `Pipeline` on the page's
original image and parses the library's PAGE writer's output into OCR-D's page model. The PAGE
is written with OCR-D's conventions for words (`export.page`, `tokens`), so that
`ocrd workspace validate` finds the text consistent across regions, lines, words and glyphs.

The original image, not a derived one: an earlier step may have binarised, deskewed or cropped
the page into an AlternativeImage, but layoutkit does its own preprocessing on the scan's
colours and writes coordinates in the frame of the image that Page/@imageFilename names.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from lxml import etree
from ocrd import Processor
from ocrd.processor.ocrd_page_result import OcrdPageResult
from ocrd_models.constants import PAGE_ALTIMG_FEATURES
from ocrd_models.ocrd_page import OcrdPage, parseString

from .. import __version__
from ..errors import LayoutkitError
from ..export.page import build
from ..io.images import PageImage, file_sha256, to_bgr
from ..pipeline import Pipeline, Settings

#: Every feature a derived image can have: filtering them all leaves the original image.
ORIGINAL_IMAGE = ",".join(PAGE_ALTIMG_FEATURES)


class LayoutkitProcessor(Processor):
    """`ocrd-layoutkit`: typed regions, lines, words, glyphs, text and reading order of each page."""

    @property
    def executable(self) -> str:
        return "ocrd-layoutkit"

    @property
    def metadata_filename(self) -> str:
        return "ocrd/ocrd-tool.json"

    @property
    def version(self) -> str:
        return __version__

    def settings(self) -> Settings:
        p = self.parameter or {}
        return Settings(engine=p.get("engine", "ppocr"), lang=p.get("lang") or None, deskew=p.get("deskew", True),
                        orient=p.get("orient", True), spreads=p.get("spreads", "keep"),
                        cache_dir=p.get("cache_dir") or None)

    def setup(self) -> None:
        self.pipeline = Pipeline(self.settings())

    def shutdown(self) -> None:
        self.pipeline = None

    def process_page_pcgts(self, *input_pcgts: OcrdPage | None, page_id: str | None = None) -> OcrdPageResult:
        pcgts = input_pcgts[0]
        assert pcgts is not None  # the base class calls this only with the page's input
        page = pcgts.get_Page()
        name = page.get_imageFilename()
        pil, coords, _ = self.workspace.image_from_page(page, page_id, feature_filter=ORIGINAL_IMAGE)
        if coords["features"] or not np.allclose(coords["transform"], np.eye(3)):
            raise LayoutkitError(f"{name}: page {page_id} gives no untransformed original image "
                                 f"(features {coords['features']!r}); ocrd-layoutkit needs the scan itself")
        pixels = to_bgr(pil)
        path = Path(self.workspace.directory, name)
        # The file's digest, as `layoutkit run` keys its line cache; the pixels' where it is remote.
        sha256 = file_sha256(path) if path.is_file() else hashlib.sha256(pixels.tobytes()).hexdigest()
        image = PageImage(pixels, coords.get("DPI"), path, sha256, 0, 1)
        result = self.pipeline.process_image(image)
        tree = build(result, creator=f"layoutkit {__version__}", confidences=True, tokens=True)
        out = parseString(etree.tostring(tree), silence=True)
        out.get_Page().set_imageFilename(name)
        # Provenance stays the workflow's: its Metadata, to which OCR-D core adds this step.
        out.set_Metadata(pcgts.get_Metadata())
        return OcrdPageResult(out)

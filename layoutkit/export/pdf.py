"""A searchable PDF of a page: the scan, with the text under it, invisible, in reading order.

No PDF writer of our own: the page's hOCR (export.hocr) is rendered by OCRmyPDF's own text-layer
renderer (`ocrmypdf.hocrtransform` parses it, `ocrmypdf.fpdf_renderer` draws it with fpdf2), the
code OCRmyPDF itself puts under every page it makes searchable. It picks a font per word that
covers its characters (CJK included), fits each word to its box, and lays a line with a
`textangle` along its direction, so a vertical column is selected and copied top to bottom. Its
lines go in the order of the hOCR, which is layoutkit's reading order. Needs the `ocrmypdf` extra.

Between parsing and drawing, three changes to OCRmyPDF's tree, each for how viewers copy text:
words with no space between them are joined (`join_unspaced`), a vertical column is laid as two
runs (`split_columns`), and a line set right to left in a left-to-right script as one run turned
half round (`turn_right_to_left_lines`). The plugin (layoutkit.ocrmypdf) hands OCRmyPDF the same tree.
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image

from ..errors import LayoutkitError
from ..model import Page, String
from .alto import with_companions
from .hocr import to_hocr

#: The resolution taken for a scan whose file names none: it sets only the PDF page's size in
#: inches, never where the text lies on the scan.
ASSUMED_DPI = 300.0
#: Images the PDF can carry as they are (JPEG untouched, PNG re-compressed losslessly).
EMBEDDABLE = {"JPEG", "PNG"}
MISSING = ("the pdf format renders its text layer with OCRmyPDF's renderer, which is not installed: "
           "pip install 'layoutkit[ocrmypdf]'")


def renderer() -> Any:
    """OCRmyPDF's hOCR parser and text-layer renderer, or a clear error where they are missing."""
    try:
        from ocrmypdf.font import MultiFontManager
        from ocrmypdf.fpdf_renderer import Fpdf2PdfRenderer
        from ocrmypdf.hocrtransform import HocrParser
    except ImportError as exc:
        raise LayoutkitError(MISSING) from exc
    return HocrParser, Fpdf2PdfRenderer, MultiFontManager


_fonts: Any = None


def font_manager() -> Any:
    """One font manager a process: it caches what it learned of the fonts installed."""
    global _fonts
    if _fonts is None:
        import ocrmypdf

        _, _, manager = renderer()
        _fonts = manager(Path(ocrmypdf.__file__).parent / "data")
    return _fonts


def text_tree(page: Page) -> Any:
    """The page as OCRmyPDF's renderer takes it (an OcrElement tree), parsed from layoutkit's hOCR
    by OCRmyPDF's own parser, with each vertical column laid as two runs (`split_columns`)."""
    parser, _, _ = renderer()
    with tempfile.TemporaryDirectory(prefix="layoutkit-hocr-") as tmp:
        hocr = Path(tmp) / "page.hocr"
        hocr.write_bytes(to_hocr(page))
        tree = parser(hocr).parse()
    join_unspaced(tree, page)
    split_columns(tree)
    turn_right_to_left_lines(tree)
    return tree


def _printed(s: String) -> bool:
    """Whether OCRmyPDF's parser keeps the word (it drops those empty after NFKC and stripping)."""
    return bool(unicodedata.normalize("NFKC", s.text + ("-" if s.hyphenated else "")).strip())


def join_unspaced(tree: Any, page: Page) -> None:
    """Strings with no space between them (a word and its comma, 2025 and 年) become one word.

    layoutkit's Strings part punctuation from its word, as ALTO's do, and the hOCR keeps them so
    (its ids are ALTO's); OCRmyPDF's renderer takes a word for a whitespace-delimited one and puts a
    space after each that is not CJK, which would copy as "Mittwoch , 26 . November". The tree's
    lines are the hOCR's, so they pair with the page's lines in the hOCR's order.
    """
    from ocrmypdf.models.ocr_element import BoundingBox, OcrElement

    model = [ln for first, rest in with_companions(page.ordered_blocks()) for b in (first, *rest)
             if b.type.is_text for ln in b.lines if any(_printed(s) for s in ln.strings)]
    if len(model) != len(tree.lines):
        return
    for strings, line in zip(([s for s in ln.strings if _printed(s)] for ln in model), tree.lines, strict=True):
        words = [w for w in line.children if w.ocr_class == "ocrx_word"]
        if len(words) != len(strings) or any(w.bbox is None for w in words):
            continue
        runs: list[list[Any]] = []
        for n, word in enumerate(words):
            if n and not strings[n - 1].space_after:
                runs[-1].append(word)
            else:
                runs.append([word])
        line.children = [run[0] if len(run) == 1 else OcrElement(
            ocr_class="ocrx_word", text="".join(w.text for w in run),
            bbox=BoundingBox(min(w.bbox.left for w in run), min(w.bbox.top for w in run),
                             max(w.bbox.right for w in run), max(w.bbox.bottom for w in run)),
            confidence=min((w.confidence for w in run if w.confidence is not None), default=None))
            for run in runs]


def split_columns(tree: Any) -> None:
    """A vertical line whose text is one word becomes two words, its halves along the column.

    PDFium (Chrome's viewer, pypdfium2) gathers runs of text that start at one height and reads
    them left to right: the columns of a vertical block all start at its top, so as single runs
    they would be read backwards. The second run of each column starts lower, out of that group,
    and the columns keep their order; within a column the two runs are read as one line.
    """
    from ocrmypdf.models.ocr_element import BoundingBox, OcrElement

    for line in tree.lines:
        angle = math.radians(line.textangle or 0.0)
        words = [w for w in line.children if w.ocr_class == "ocrx_word"]
        if abs(math.sin(angle)) < abs(math.cos(angle)) or len(words) != 1 or len(words[0].text) < 2:
            continue
        word, box = words[0], words[0].bbox
        if box is None:
            continue
        cut = len(word.text) // 2
        down = math.sin(angle) < 0  # 270: the text runs down the page
        at = box.top + box.height * (cut if down else len(word.text) - cut) / len(word.text)
        upper = BoundingBox(box.left, box.top, box.right, at)
        lower = BoundingBox(box.left, at, box.right, box.bottom)
        line.children = [OcrElement(ocr_class="ocrx_word", bbox=b, text=t, confidence=word.confidence)
                         for b, t in zip((upper, lower) if down else (lower, upper),
                                         (word.text[:cut], word.text[cut:]), strict=True)]


def turn_right_to_left_lines(tree: Any) -> None:
    """A line set right to left in a script written left to right (a Chinese head of the 1930s)
    becomes one word turned half round (`textangle 180`), its characters advancing leftwards over
    the characters they stand for.

    As words side by side, PDFium and Poppler would both read them left to right, backwards; the
    right-to-left scripts (Arabic, Hebrew) are left to the renderer, which knows them.
    """
    from ocrmypdf.models.ocr_element import BoundingBox, OcrElement

    for line in tree.lines:
        words = [w for w in line.children if w.ocr_class == "ocrx_word" and w.bbox is not None]
        text = "".join(w.text for w in words)
        if line.direction != "rtl" or line.textangle or not words or _has_rtl_script(text):
            continue
        box = BoundingBox(min(w.bbox.left for w in words), min(w.bbox.top for w in words),
                          max(w.bbox.right for w in words), max(w.bbox.bottom for w in words))
        confidences = [w.confidence for w in words if w.confidence is not None]
        line.children = [OcrElement(ocr_class="ocrx_word", bbox=box, text=text,
                                    confidence=min(confidences) if confidences else None)]
        line.textangle = 180.0
        line.baseline = None


def _has_rtl_script(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def render_text_layer(tree: Any, output: Path, image: Path | None = None, dpi: float | None = None) -> None:
    """An OcrElement tree to a one-page PDF: the text invisible, and the image over it where one is
    given (else a text-only page, for grafting onto a page that has its image already)."""
    _, pdf_renderer, _ = renderer()
    pdf_renderer(page=tree, dpi=dpi or tree.dpi or ASSUMED_DPI, multi_font_manager=font_manager(),
                 invisible_text=True, image=image).render(output)


def _embeddable(page: Page) -> bool:
    """Whether the page's own file can be placed in the PDF as it is: one still picture of exactly
    the page's pixels, not turned by an EXIF tag."""
    try:
        with Image.open(page.source.path) as img:
            return (img.format in EMBEDDABLE and getattr(img, "n_frames", 1) == 1
                    and img.size == (page.width, page.height) and img.getexif().get(0x0112, 1) == 1
                    and img.mode in ("1", "L", "RGB"))
    except OSError:
        return False


@contextmanager
def page_image(page: Page, folder: Path) -> Iterator[Path]:
    """A file of the page's pixels: its own file where the PDF can carry it, else a PNG of them."""
    if _embeddable(page):
        yield Path(page.source.path)
        return
    import cv2

    from ..io.images import load_page

    pixels = load_page(Path(page.source.path), page.source.image_index)
    if page.source.crop is not None and page.source.cut_from is None:
        c = page.source.crop
        pixels = pixels[int(c.y0):int(c.y1), int(c.x0):int(c.x1)]
    path = folder / "page.png"
    if not cv2.imwrite(str(path), pixels):
        raise LayoutkitError(f"{page.source.readable_path}: the page image could not be written for the PDF")
    yield path


def to_pdf(page: Page) -> bytes:
    renderer()  # fail before any work where OCRmyPDF is missing
    with tempfile.TemporaryDirectory(prefix="layoutkit-pdf-") as tmp:
        folder = Path(tmp)
        out = folder / "page.pdf"
        with page_image(page, folder) as image:
            render_text_layer(text_tree(page), out, image, page.dpi or ASSUMED_DPI)
        return out.read_bytes()

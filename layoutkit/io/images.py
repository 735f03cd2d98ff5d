"""Load page images from PNG, JPEG, TIFF (any page, bit depth or colour model) and PDF.

Everything comes out as 8-bit BGR (OpenCV's order) plus the DPI the file declares, because every
later stage works on that one representation; the source hash is taken from the file's bytes so
that ALTO's sourceImageInformation and `--resume` both identify the exact scan.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import InputError
from ..model import Box

#: A 600 dpi broadsheet is about 75 MP; 300 MP leaves room for larger formats and refuses bombs.
DEFAULT_MAX_PIXELS = 300_000_000
DEFAULT_PDF_DPI = 300.0
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".jp2", ".pdf"}

# Pillow's own bomb check raises a warning or a DecompressionBombError with no file name; layoutkit
# checks the declared size itself before decoding and says which file and why.
Image.MAX_IMAGE_PIXELS = None


@dataclass(slots=True)
class PageImage:
    pixels: np.ndarray  # H x W x 3, uint8, BGR
    dpi: float | None
    path: Path
    sha256: str
    page_index: int
    page_count: int
    #: Where these pixels lie in the file's image, when they are one page of a spread.
    crop: Box | None = None

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_pages(path: str | Path, *, max_pixels: int = DEFAULT_MAX_PIXELS,
               pdf_dpi: float = DEFAULT_PDF_DPI) -> Iterator[PageImage]:
    """Yield every page of an image or PDF file, one at a time to keep memory flat."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(p, f"cannot read file ({exc.strerror or exc})") from exc
    if size == 0:
        raise InputError(p, "empty file (0 bytes)")
    try:
        digest = file_sha256(p)
    except OSError as exc:
        raise InputError(p, f"cannot read file ({exc.strerror or exc})") from exc
    with p.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        yield from _pdf_pages(p, digest, max_pixels, pdf_dpi)
    else:
        yield from _raster_pages(p, digest, max_pixels)


def _raster_pages(path: Path, digest: str, max_pixels: int) -> Iterator[PageImage]:
    try:
        img = Image.open(path)
    except UnidentifiedImageError as exc:
        raise InputError(path, "not an image file (unrecognised format)") from exc
    except OSError as exc:
        raise InputError(path, f"corrupt or truncated image ({exc})") from exc
    with img:
        count = getattr(img, "n_frames", 1)
        for index in range(count):
            try:
                img.seek(index)
            except EOFError as exc:
                raise InputError(path, f"page {index + 1} of {count} is missing (truncated file)") from exc
            _check_size(path, img.width, img.height, max_pixels)
            try:
                img.load()
                pixels = to_bgr(ImageOps.exif_transpose(img) if index == 0 else img)
            except (OSError, SyntaxError, ValueError) as exc:
                raise InputError(path, f"corrupt or truncated image data ({exc})") from exc
            yield PageImage(pixels, _dpi(img), path, digest, index, count)


def _check_size(path: Path, width: int, height: int, max_pixels: int) -> None:
    if width < 1 or height < 1:
        raise InputError(path, f"image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise InputError(path, f"image is {width}x{height} = {width * height / 1e6:.0f} MP, over the "
                               f"limit of {max_pixels / 1e6:.0f} MP (raise it with --max-pixels)")


def _dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and float(dpi[0]) > 1:
        return float(dpi[0])
    return None


def to_bgr(img: Image.Image) -> np.ndarray:
    """Any Pillow mode to 8-bit BGR; 16-bit and float greys are scaled, not clipped."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        grey = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Transparent areas are paper: composite on white rather than dropping alpha to black.
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    rgb = np.asarray(img.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _pdf_pages(path: Path, digest: str, max_pixels: int, dpi: float) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise InputError(path, "encrypted PDF (a password is needed)") from exc
        if "Success" in reason:  # PDFium refuses a document with an empty page tree without an error code
            raise InputError(path, "PDF has no pages (empty or unreadable page tree)") from exc
        raise InputError(path, f"cannot open PDF ({reason})") from exc
    try:
        count = len(doc)
        if count == 0:
            raise InputError(path, "PDF has no pages")
        for index in range(count):
            page = doc[index]
            w_pt, h_pt = page.get_size()
            scale = dpi / 72.0
            _check_size(path, round(w_pt * scale), round(h_pt * scale), max_pixels)
            bitmap = page.render(scale=scale)
            pil = bitmap.to_pil()
            yield PageImage(to_bgr(pil), dpi, path, digest, index, count)
    finally:
        doc.close()


def page_count(path: Path) -> int:
    """How many pages `load_pages` will yield, from the file's header and page tree without
    decoding a page; 1 for a file that cannot be read (loading it then says why)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"%PDF"):
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(str(path))
            try:
                return max(1, len(doc))
            finally:
                doc.close()
        with Image.open(path) as img:
            return max(1, getattr(img, "n_frames", 1))
    except (OSError, RuntimeError, ValueError, EOFError, SyntaxError):  # pdfium's errors are RuntimeErrors
        return 1


def load_page(path: Path, index: int = 0) -> np.ndarray:
    """BGR pixels of one page of the file (PDF and multi-page TIFF included)."""
    page = next(islice(load_pages(path), index, None), None)
    if page is None:
        raise InputError(path, f"has no page {index + 1}")
    return page.pixels


def is_image_path(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def from_array(pixels: np.ndarray, name: str, dpi: float | None = None) -> PageImage:
    """A page already in memory (rendered, or decoded by the caller), hashed by its pixels."""
    bgr = pixels if pixels.ndim == 3 else np.repeat(pixels[:, :, None], 3, axis=2)
    digest = hashlib.sha256(np.ascontiguousarray(bgr).tobytes()).hexdigest()
    return PageImage(np.ascontiguousarray(bgr), dpi, Path(name), digest, 0, 1)

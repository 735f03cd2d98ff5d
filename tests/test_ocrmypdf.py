"""The OCRmyPDF plugin through OCRmyPDF's own command line: a scan and a PDF of two pages become
PDF/A whose text, as PDFium extracts it, is layoutkit's text of each page in reading order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EVAL, ROOT, need_shared
from tests.helpers import cer, squash
from tests.test_searchable import assert_lead_story, pdf_text

pytest.importorskip("ocrmypdf", reason="the plugin needs the ocrmypdf extra (scripts/test.sh installs it)")
pikepdf = pytest.importorskip("pikepdf")

pytestmark = pytest.mark.slow

CHINESE = ROOT / "samples" / "changji-2025-11-26.png"
GERMAN = ROOT / "samples" / "talbote-2025-11-26.png"
#: The samples' files name no resolution; the pages were set at 300 dpi.
SAMPLE_DPI = "300"


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One line cache for the module: a page OCRmyPDF rasterises to the same pixels twice is read once."""
    return tmp_path_factory.mktemp("lines")


def ocrmypdf(source: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    """Runs `ocrmypdf --plugin layoutkit.ocrmypdf` to PDF/A; the sidecar's text of each page."""
    sidecar = out.with_suffix(".txt")
    res = subprocess.run([sys.executable, "-m", "ocrmypdf", "--plugin", "layoutkit.ocrmypdf", "--output-type", "pdfa",
                          "-j", "1", "--sidecar", str(sidecar), "--layoutkit-cache", str(cache), *extra,
                          str(source), str(out)], capture_output=True, text=True, timeout=900, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status.startswith("2")
        assert "layoutkit" in meta.get("xmp:CreatorTool", "")
    return sidecar.read_text("utf-8").split("\f")


def assert_text_layer(pdf: Path, index: int, sidecar: str) -> str:
    """The page's text layer is the text layoutkit gave for it (the sidecar), in the same order:
    the sidecar joins a paragraph's parts and moves nothing else, so the two agree to the letter."""
    text = pdf_text(pdf, index)
    assert len(squash(sidecar)) > 500
    assert cer(text, sidecar) <= 0.01
    return text


def test_scan_to_pdfa(cache, tmp_path):
    out = tmp_path / "german.pdf"
    (sidecar, *_) = ocrmypdf(GERMAN, out, cache, "--image-dpi", SAMPLE_DPI)
    text = assert_text_layer(out, 0, sidecar)
    assert "Gemeinde" in text


def test_two_page_pdf_to_pdfa_chinese_and_german(cache, tmp_path):
    import img2pdf

    source = tmp_path / "two.pdf"
    dpi = img2pdf.get_fixed_dpi_layout_fun((int(SAMPLE_DPI), int(SAMPLE_DPI)))
    source.write_bytes(img2pdf.convert([str(CHINESE), str(GERMAN)], layout_fun=dpi))
    out = tmp_path / "two.ocr.pdf"
    sidecars = ocrmypdf(source, out, cache)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 2
    chinese = assert_text_layer(out, 0, sidecars[0])
    assert_lead_story(chinese)
    assert "Gemeinde" in assert_text_layer(out, 1, sidecars[1])


def test_fraktur_scan_to_pdfa(cache, tmp_path):
    """A Fraktur page of 1780, scanned: its text layer in layoutkit's order, German letters kept."""
    scan = need_shared(EVAL / "nzz" / "nzz_17800719_0_0_a1_p1_1.tif")
    out = tmp_path / "nzz.pdf"
    (sidecar, *_) = ocrmypdf(scan, out, cache)
    text = assert_text_layer(out, 0, sidecar)
    assert any(ch in text for ch in "äöüß")

"""Image loading: every format and colour model a library's scans come in, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layoutkit.errors import InputError
from layoutkit.io.images import load_pages


def _page(mode: str = "L", size: tuple[int, int] = (120, 80)) -> Image.Image:
    img = Image.new("RGB", size, "white")
    img.paste((0, 0, 0), (10, 10, 60, 30))
    return img.convert(mode)


def test_png_keeps_dpi_and_content(tmp_path: Path):
    p = tmp_path / "a.png"
    _page().save(p, dpi=(300, 300))
    (page,) = load_pages(p)
    assert page.dpi == pytest.approx(300, abs=1)
    assert page.pixels.shape == (80, 120, 3)
    assert page.pixels[20, 20].tolist() == [0, 0, 0] and page.pixels[70, 100].tolist() == [255, 255, 255]
    assert len(page.sha256) == 64


def test_sixteen_bit_tiff_is_scaled_not_clipped(tmp_path: Path):
    arr = np.full((50, 60), 65535, dtype=np.uint16)
    arr[10:20, 10:20] = 0
    arr[30:40, 30:40] = 32768
    p = tmp_path / "deep.tif"
    Image.fromarray(arr).save(p)
    (page,) = load_pages(p)
    assert page.pixels[15, 15, 0] == 0 and page.pixels[5, 5, 0] == 255
    assert 120 <= page.pixels[35, 35, 0] <= 135


@pytest.mark.parametrize("mode", ["1", "CMYK", "P"])
def test_colour_models_become_bgr(tmp_path: Path, mode: str):
    p = tmp_path / f"m.{'jpg' if mode == 'CMYK' else 'tif'}"
    _page(mode).save(p)
    (page,) = load_pages(p)
    assert page.pixels.dtype == np.uint8 and page.pixels.shape[2] == 3
    assert page.pixels[20, 20].max() < 60 and page.pixels[70, 100].min() > 200


def test_palette_png_with_alpha_composited_on_white(tmp_path: Path):
    img = Image.new("P", (120, 80), 0)
    img.putpalette([255, 255, 255, 0, 0, 0, 0, 0, 0])
    img.paste(1, (10, 10, 60, 30))
    img.paste(2, (90, 60, 110, 80))  # black, but fully transparent: paper shows through
    p = tmp_path / "pal.png"
    img.save(p, transparency=2)
    (page,) = load_pages(p)
    assert page.pixels[70, 100].min() > 200 and page.pixels[20, 20].max() < 60


def test_multipage_tiff_yields_each_page(tmp_path: Path):
    p = tmp_path / "multi.tif"
    frames = [_page(), _page().rotate(180), _page()]
    frames[0].save(p, save_all=True, append_images=frames[1:])
    pages = list(load_pages(p))
    assert [x.page_index for x in pages] == [0, 1, 2] and all(x.page_count == 3 for x in pages)
    assert pages[1].pixels[60, 100].max() < 60 and pages[0].pixels[60, 100].min() > 200


def test_exif_orientation_applied(tmp_path: Path):
    img = _page("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 clockwise to display
    p = tmp_path / "phone.jpg"
    img.save(p, exif=exif)
    (page,) = load_pages(p)
    assert page.pixels.shape[:2] == (120, 80)


def test_pdf_pages_rendered_at_stated_dpi(tmp_path: Path):
    p = tmp_path / "doc.pdf"
    _page("RGB", (200, 100)).save(p, resolution=100, save_all=True, append_images=[_page("RGB", (200, 100))])
    pages = list(load_pages(p, pdf_dpi=150))
    assert len(pages) == 2 and pages[0].dpi == 150
    assert pages[0].width == pytest.approx(300, abs=2)


def test_zero_byte_file(tmp_path: Path):
    p = tmp_path / "empty.png"
    p.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.png: empty file"):
        list(load_pages(p))


def test_text_file_named_png(tmp_path: Path):
    p = tmp_path / "notes.png"
    p.write_text("not an image\n")
    with pytest.raises(InputError, match=r"notes\.png: not an image"):
        list(load_pages(p))


def test_truncated_png(tmp_path: Path):
    p = tmp_path / "cut.png"
    _page("RGB", (400, 400)).save(p)
    p.write_bytes(p.read_bytes()[:200])
    with pytest.raises(InputError, match=r"cut\.png: corrupt or truncated"):
        list(load_pages(p))


def test_pixel_limit_refuses_before_decoding(tmp_path: Path):
    p = tmp_path / "big.png"
    _page("L", (3000, 2000)).save(p)
    with pytest.raises(InputError, match=r"big\.png: image is 3000x2000 = 6 MP, over the limit"):
        list(load_pages(p, max_pixels=1_000_000))

"""Recognition quality on pages rendered with a real CJK font, through the real models."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from layoutkit.io.images import from_array
from layoutkit.model import Page
from layoutkit.ocr.strings import is_cjk
from samples.pagegen import compose, synth
from tests.helpers import cer, line_recall, page_text
from tests.pages import coloured_page, vertical_page


@pytest.fixture(scope="module")
def clean_page(chinese_paragraphs):
    return compose.text_columns_page(chinese_paragraphs[:6], width=1800, height=2000, columns=2,
                                   font_px=34, margin=100, gutter=70)


def test_clean_horizontal_chinese_cer_under_1_percent(pipeline, clean_page):
    image, truth = clean_page
    page = pipeline.process_image(from_array(image, "clean.png"))
    assert cer(page_text(page), page_text(truth)) <= 0.01


def test_degraded_chinese_cer_under_2_percent(pipeline, clean_page):
    image, truth = clean_page
    scan, truth = synth.degrade(image.copy(), truth, rotate_deg=0.5, noise=12.0, jpeg_quality=40, seed=3)
    page = pipeline.process_image(from_array(scan, "degraded.jpg"))
    assert abs(page.transform.skew_deg - 0.5) <= 0.1
    assert cer(page_text(page), page_text(truth)) <= 0.02


@pytest.mark.slow
def test_broadsheet_size_page_loses_no_line(pipeline, chinese_paragraphs):
    """4000x5800 with 38 px body text: detection must not shrink the page until lines vanish."""
    image, truth = compose.text_columns_page(chinese_paragraphs * 3, width=4000, height=5800, columns=6,
                                           font_px=38, margin=160, gutter=60)
    page = pipeline.process_image(from_array(image, "broadsheet.png"))
    assert len(truth.text_lines) > 500
    assert line_recall(page, truth) >= 0.99
    assert cer(page_text(page), page_text(truth)) <= 0.01


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_page_fed_sideways_or_upside_down_is_read_upright(pipeline, chinese_paragraphs, turns):
    """Orientation is found, the text read upright, and every box still points into the scan."""
    image, truth = compose.text_columns_page(chinese_paragraphs[:3], width=1400, height=1300, columns=2,
                                           font_px=30, margin=80, gutter=60)
    scan, truth = synth.quarter_turn(image, truth, turns)
    page = pipeline.process_image(from_array(scan, "turned.png"))
    # np.rot90 turned the page counter-clockwise; standing it up takes the remaining quarter turns.
    assert page.transform.rotation == 90 * ((4 - turns) % 4)
    assert (page.width, page.height) == (scan.shape[1], scan.shape[0])
    assert cer(page_text(page), page_text(truth)) <= 0.01
    assert line_recall(page, truth) >= 0.95


@pytest.mark.parametrize("turns", [0, 1, 3])
def test_page_of_vertical_columns_stays_upright_and_turned_is_stood_up(pipeline, chinese_paragraphs, turns):
    """Columns are tall lines on an upright page: the page is turned only when its characters lie
    (fed into the scanner sideways, either way), and then turned back."""
    image, truth = vertical_page("".join(chinese_paragraphs)[:600], width=1100, height=900)
    scan, truth = synth.quarter_turn(image, truth, turns)
    page = pipeline.process_image(from_array(scan, "vertical.png"))
    assert page.transform.rotation == 90 * ((4 - turns) % 4)
    assert (page.width, page.height) == (scan.shape[1], scan.shape[0])
    # Ideographs, order-free: the columns' reading order is the layout's business, and vertical
    # punctuation (；……) the recogniser's, not orientation's.
    def ideographs(p: Page) -> str:
        return "".join(sorted(ch for ch in page_text(p) if is_cjk(ch)))

    assert cer(ideographs(page), ideographs(truth)) <= 0.01


def test_light_coloured_print_is_kept_and_grey_show_through_dropped(pipeline, chinese_paragraphs):
    """Yellow, pink, green and sky-blue type, and type on a tinted box, are as light as print
    showing through from the back; they are of a colour of their own, show-through is not."""
    text = "".join(chinese_paragraphs)
    image, printed, foot = coloured_page([text[i * 34:(i + 1) * 34] for i in range(14)])
    page = pipeline.process_image(from_array(image, "colour.png"))
    assert not [ln.text for ln in page.text_lines if ln.box.y0 > foot], "a line was read from the back"
    read = [ln.text for ln in page.text_lines]
    for ink, line in printed:
        assert min(cer(r, line) for r in read) <= 0.05, (ink, line, read)


def test_page_of_eight_pixel_type_reads_its_small_lines_enlarged(pipeline, chinese_paragraphs):
    """An e-paper render: three columns shrunk to 8 px type. Each line is cut enlarged to the
    recogniser's height (cut at the page's size and enlarged after, the page read 4.2 % wrong)."""
    image, truth = compose.text_columns_page(chinese_paragraphs[:6], width=2000, height=2400, columns=3, font_px=30,
                                             margin=100, gutter=60)
    small = cv2.resize(image, (540, 648), interpolation=cv2.INTER_AREA)
    page = pipeline.process_image(from_array(small, "e-paper.png"))
    assert float(page.processing.settings["detection_scale"]) > 1.0
    assert cer(page_text(page), page_text(truth)) <= 0.035


@pytest.mark.slow
def test_fraktur_advert_page_is_not_turned(pipeline):
    """On Der Pionier's advert page of 1889 the direction classifier reads most display lines as
    upside down; the recogniser reads them better as they stand, so the page is not turned."""
    from layoutkit.io.images import load_pages
    from layoutkit.preprocess import prepare
    from tests.conftest import EVAL, need_shared

    (image,) = load_pages(need_shared(EVAL / "gbn" / "DerPionier_18890119-p04.png"))
    work = prepare(image.pixels)
    _scale, quads = pipeline._lines(work, None)
    assert pipeline.orientation.quarter_turns(work.bgr, quads) == 0


def test_print_showing_through_from_the_back_is_not_read(pipeline):
    """The top of the first column, mirrored as it shows through from the sheet's other side and
    as dark as the front's print, stands in the page's blank foot: the recogniser reads it as
    garbage it is unsure of, mirrored as the words they are, so those lines are dropped."""
    paragraphs = compose.load_corpus("talbote-2025-11-26.de.json")["lead"]["paragraphs"]
    image, truth = compose.text_columns_page(paragraphs, width=1800, height=3200, columns=2, font_px=34,
                                           family="latin-serif", margin=120, gutter=60)
    lines = truth.text_lines
    top, bottom = int(lines[0].box.y0) - 5, int(lines[7].box.y1) + 5
    foot = 3200 - 120 - (bottom - top)
    assert foot > max(ln.box.y1 for ln in lines) + 100
    back = image[top:bottom, 120:870][:, ::-1]
    image[foot:foot + bottom - top, 120:870] = np.minimum(image[foot:foot + bottom - top, 120:870], back)
    page = pipeline.process_image(from_array(image, "show-through.png"))
    assert not [ln.text for ln in page.text_lines if ln.box.y1 > foot], "a line was read from the back"
    assert line_recall(page, truth) == 1.0
    assert cer(page_text(page), page_text(truth)) <= 0.01

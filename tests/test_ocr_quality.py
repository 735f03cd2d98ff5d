"""Recognition quality on pages rendered with a real CJK font, through the real models."""

from __future__ import annotations

import pytest

from layoutkit import compose, synth
from layoutkit.io.images import from_array
from tests.helpers import cer, line_recall, page_text


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

"""How the models run: calls spread over threads give what one call at a time gives, blank paper
is not run through the detector, and the profile says where the time and memory went."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from layoutkit.ocr.crops import cut
from layoutkit.ocr.ppocr import DET_OVERLAP, DET_TILE, LineDetector, PPOCRRecognizer
from layoutkit.ocr.runtime import run_all
from layoutkit.preprocess import prepare
from layoutkit.profiling import count, profiled, stage
from samples.pagegen import compose

#: Two tiles across and down, with type only in the top-left one.
SIDE = 2 * DET_TILE - DET_OVERLAP - 50


class Counting:
    """The detector's session, counting its runs."""

    def __init__(self, session) -> None:
        self.session, self.runs = session, 0

    def run(self, names, feed):
        self.runs += 1
        return self.session.run(names, feed)


@pytest.fixture(scope="module")
def corner_page(chinese_paragraphs):
    bgr, _ = compose.text_columns_page(chinese_paragraphs[:2], width=SIDE, height=SIDE, columns=2,
                                       font_px=30, margin=80, gutter=60)
    work = prepare(bgr, deskew=False)
    inked = np.argwhere(work.binary)
    assert inked.max(axis=0).tolist() < [DET_TILE - DET_OVERLAP, DET_TILE - DET_OVERLAP]
    return work


def test_run_all_runs_calls_at_once_and_keeps_their_order():
    both_running = threading.Barrier(2, timeout=10)

    def call(i: int) -> tuple[int, str]:
        if i < 2:
            both_running.wait()  # breaks, failing the test, unless two calls run at the same time
        return i, threading.current_thread().name

    got = run_all(call, range(6), threads=2)
    assert [i for i, _ in got] == list(range(6))
    assert all(name.startswith("layoutkit-model") for _, name in got)
    here = threading.current_thread().name
    assert run_all(call, [5, 4], threads=1) == [(5, here), (4, here)]


def test_detector_skips_blank_tiles_and_finds_the_same_lines(corner_page):
    detector = LineDetector(threads=2)
    counting = Counting(detector.session)
    detector.session = counting
    whole = detector.detect(corner_page.bgr, 1.0)
    assert counting.runs == 4
    inked = detector.detect(corner_page.bgr, 1.0, corner_page.binary)
    assert counting.runs == 4 + 1
    assert len(whole) > 8
    assert [ln.quad.tolist() for ln in inked] == [ln.quad.tolist() for ln in whole]


def test_recogniser_reads_the_same_on_one_thread_and_on_two(corner_page):
    quads = [ln.quad for ln in LineDetector().detect(corner_page.bgr, 1.0, corner_page.binary)]
    crops = [cut(corner_page.bgr, q) for q in quads]
    one, two = PPOCRRecognizer(threads=1).recognize(crops), PPOCRRecognizer(threads=2).recognize(crops)
    assert sum(len(r.chars) for r in one) > 100
    assert [[(c.char, c.x0, c.x1, c.confidence) for c in r.chars] for r in two] == \
           [[(c.char, c.x0, c.x1, c.confidence) for c in r.chars] for r in one]


def test_profile_names_nested_and_threaded_stages_and_their_peaks():
    with profiled() as prof:
        with stage("outer"):
            held = np.ones(200 * 2**20 // 8)  # 200 MB, touched
            with stage("inner"):
                count("width", 3)
            run_all(lambda i: _in_stage("call", i), range(4), threads=2)
            count("width", 4)
        del held
        with stage("after"):
            pass
    assert list(prof.stages) == ["outer", "outer/inner", "outer/call", "after"]
    assert prof.stages["outer/call"].calls >= 4
    assert prof.counts == {"width": 7}
    outer, after = prof.stages["outer"], prof.stages["after"]
    assert outer.peak_mb - after.peak_mb > 150
    assert outer.cpu > 0 and outer.calls == 1


def _in_stage(name: str, i: int) -> int:
    with stage(name):
        return i

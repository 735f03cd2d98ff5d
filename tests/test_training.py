"""The learned models are trained on the features they are used with: the same functions on the
same page, in the working image's frame (benchmarks/train_models.py against the pipeline's
structure stages). Synthetic boxes, the shipped models: no image, no OCR."""

from __future__ import annotations

import copy
from pathlib import Path

import cv2
import numpy as np
import pytest

from benchmarks.sets import Case
from benchmarks.train_models import Example, order_features, role_features, typed
from layoutkit.layout import roles
from layoutkit.model import Block, BlockType, Box, Page, Separator, Source, String, TextLine, Transform
from layoutkit.pipeline import order_page, type_page
from layoutkit.preprocess import WorkingImage, into_working, restore
from layoutkit.structure import relations

H = 20.0
WIDTH, HEIGHT = 1300.0, 1900.0


def _block(bid: str, box: Box, lines: int, text: str) -> Block:
    h = box.height / lines
    tl = [TextLine(Box(box.x0, box.y0 + k * h, box.x1, box.y0 + (k + 1) * h - 0.2 * h).polygon(), strings=[
        String(f"{text} {k}", Box(box.x0, box.y0 + k * h, box.x1, box.y0 + (k + 1) * h - 0.2 * h), 0.9)])
        for k in range(lines)]
    return Block(bid, BlockType.BODY, box.polygon(), tl)


def recognised_page() -> Page:
    """A page as recognition leaves it: every text block body, a photo, a rule."""
    blocks = [_block("h", Box(60, 60, 1240, 160), 1, "Die Brücke über den Fluss ist eröffnet"),
              _block("by", Box(60, 180, 400, 202), 1, "Von Anna Keller"),
              _block("c1", Box(60, 220, 400, 1100), 30, "Am Sonntag wurde die neue Brücke dem Verkehr übergeben."),
              _block("c2", Box(430, 220, 770, 1100), 30, "Der Gemeinderat hatte den Kredit im Frühjahr bewilligt."),
              Block("ph", BlockType.PHOTO, Box(800, 220, 1240, 700).polygon()),
              _block("cap", Box(800, 710, 1240, 760), 2, "Die Brücke am Abend der Eröffnung"),
              _block("cr", Box(1100, 765, 1240, 785), 1, "Foto: Peter Huber"),
              _block("h2", Box(60, 1180, 1240, 1240), 1, "Neue Schule im Dorf"),
              _block("d1", Box(60, 1260, 640, 1800), 18, "Die Schule öffnet im Herbst ihre Türen."),
              _block("d2", Box(660, 1260, 1240, 1800), 18, "Der Bau kostete weniger als geplant.")]
    page = Page(int(WIDTH), int(HEIGHT), Source("synthetic.png", ""), blocks=blocks)
    page.separators.append(Separator("s1", Box(60, 1140, 1240, 1143).polygon(), "horizontal"))
    return page


class Recorder:
    """A booster that keeps every feature matrix it is asked about, answering as the real one."""

    def __init__(self, booster) -> None:
        self.booster = booster
        self.seen: list[np.ndarray] = []

    def predict(self, feats: np.ndarray) -> np.ndarray:
        self.seen.append(np.array(feats))
        return self.booster.predict(feats)


def test_features_in_training_are_those_the_models_see_at_run_time(monkeypatch):
    example = Example(Case("synthetic", "generated", Path("x.png"), Path("x.gt.xml"), "deu"), recognised_page(),
                      recognised_page(), (WIDTH, HEIGHT))
    # The training way: benchmarks/train_models.py's features of the recognised page.
    role_rows = role_features(example)
    page, body = typed(example)
    pair_rows = order_features(page, body)
    # The run-time way: the pipeline's structure stages, the models asked through recorders.
    role_model, order_model = Recorder(roles._booster()), Recorder(relations._booster())
    monkeypatch.setattr(roles, "_booster", lambda: role_model)
    monkeypatch.setattr(relations, "_booster", lambda: order_model)
    run_page, run_body = type_page(copy.deepcopy(example.page), WIDTH, HEIGHT)
    order_page(run_page, run_body)
    (seen_roles,) = role_model.seen
    (seen_pairs,) = order_model.seen
    assert role_rows.shape == (9, len(roles.FEATURES))
    np.testing.assert_array_equal(seen_roles, role_rows)
    n = len(page.blocks)
    np.testing.assert_array_equal(seen_pairs, pair_rows.reshape(n * n, len(relations.FEATURES)))
    assert run_body == body


def _working(skew: float) -> WorkingImage:
    """A working image deskewed by `skew` degrees, as `preprocess.prepare` records it."""
    forward = np.vstack([cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), -skew, 1.0), [0, 0, 1]])
    blank = np.zeros((int(HEIGHT), int(WIDTH)), np.uint8)
    return WorkingImage(np.dstack([blank] * 3), blank, np.linalg.inv(forward)[:2], Transform(skew_deg=skew), H)


def test_ground_truth_moved_into_the_working_frame_and_back():
    work = _working(1.5)
    truth = recognised_page()
    back = restore(into_working(copy.deepcopy(truth), work), work)
    for a, b in zip(truth.blocks, back.blocks, strict=True):
        np.testing.assert_allclose(a.polygon, b.polygon, atol=1e-6)
        for la, lb in zip(a.lines, b.lines, strict=True):
            np.testing.assert_allclose(la.polygon, lb.polygon, atol=1e-6)


def test_a_page_read_back_in_scan_coordinates_has_other_features():
    """Why training left ALTO read back: on a page scanned 1.5 degrees off, a line's upright box
    round its turned quad is thicker the wider the line, so a headline across the page measured
    against the narrow body lines is a fifth bigger than the model sees it at run time."""
    example = Example(Case("synthetic", "generated", Path("x.png"), Path("x.gt.xml"), "deu"), recognised_page(),
                      recognised_page(), (WIDTH, HEIGHT))
    scan = restore(copy.deepcopy(example.page), _working(1.5))
    for b in scan.blocks:
        for ln in b.lines:
            ln.polygon = Box.of(ln.polygon).polygon()  # as ALTO writes a line: its upright box
    read_back = Example(example.case, scan, example.gt, example.size)
    size = roles.FEATURES.index("size")
    headline = [b.id for b in example.page.blocks if b.type.is_text].index("h2")
    working, scanned = role_features(example)[headline, size], role_features(read_back)[headline, size]
    assert working == pytest.approx(48 / (880 / 30 * 0.8))  # its 48 px line over the columns' lines
    assert scanned > 1.15 * working

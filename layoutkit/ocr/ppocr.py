"""PP-OCRv6 small detection and recognition, run directly on onnxruntime.

Why not a ready pipeline: the usual wrappers shrink the whole page to 2000 px before detection,
which makes broadsheet body text illegible, and they return lines without character positions.
Here detection runs on overlapping tiles at a scale chosen from the page's own text height, the
tiles' probability maps are stitched into one before boxes are drawn (so no line is cut or doubled
at a tile edge), a tile without ink is not run (a page's blank paper costs nothing), and
recognition keeps the CTC time steps so each character gets a box (and a word space it read as
none is found in the line's ink, see strings.ink_spaces).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
from shapely.geometry import Polygon as ShapelyPolygon

from ..profiling import count, stage
from .base import CharSpan, Recognition
from .beam import Lattice, beam_search, greedy
from .crops import LineCrop
from .decoding import Decoding
from .models import manifest_entry, model_path
from .runtime import make_session, parallel_calls, run_all
from .strings import ink_spaces

#: Detection sees character-sized ink components (Latin x-height, CJK radicals) at about this height.
DET_TARGET_TEXT_HEIGHT = 20.0
DET_TILE = 1024
DET_OVERLAP = 96
#: The detection network's input is a whole number of its coarsest stride.
DET_STRIDE = 32
#: A 1024 px tile takes 330 MB while it runs: at most this many run at once, each on a share of
#: the cores (peak of a 4000x5800 page on 2 cores: 1.1 GB).
DET_TILES_AT_ONCE = 2
REC_HEIGHT = 48
#: Lines are padded up to a multiple of this width (pixels at REC_HEIGHT).
REC_WIDTH_STEP = 32
REC_MIN_WIDTH = 64


def to_chw(bgr: np.ndarray) -> np.ndarray:
    """PP-OCR's input: BGR scaled to [-1, 1], channels first."""
    return ((bgr.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)


@dataclass(slots=True)
class DetectedLine:
    quad: np.ndarray  # 4 x 2 float32, clockwise from top-left, working-image pixels
    score: float


def detection_scale(text_height: float) -> float:
    """Shrink large text to DET_TARGET_TEXT_HEIGHT px and never below; enlarge only tiny text.

    Full resolution is the most a scan holds, so text is only enlarged when it is so small (under
    10 px) that the detector would miss it.
    """
    if text_height <= 0:
        return 1.0
    if text_height < DET_TARGET_TEXT_HEIGHT / 2:
        return min(2.0, DET_TARGET_TEXT_HEIGHT / 2 / text_height)
    return float(max(0.25, min(1.0, DET_TARGET_TEXT_HEIGHT / text_height)))


class LineDetector:
    def __init__(self, model_dir: Path | None = None, threads: int | None = None,
                 thresh: float = 0.3, box_thresh: float = 0.5, unclip_ratio: float = 1.6) -> None:
        calls = parallel_calls(threads)
        self.tiles_at_once = min(calls, DET_TILES_AT_ONCE)
        self.session = make_session(model_path("ppocr-det", model_dir), calls // self.tiles_at_once)
        self.input_name = self.session.get_inputs()[0].name
        self.thresh = thresh
        self.box_thresh = box_thresh
        self.unclip_ratio = unclip_ratio

    def describe(self) -> dict[str, str]:
        return {"ppocr-det": manifest_entry("ppocr-det").provenance()}

    def probability_map(self, bgr: np.ndarray, ink: np.ndarray | None = None) -> np.ndarray:
        """DB text probability for every pixel of `bgr`, as uint8 0-255, computed tile by tile;
        where `ink` (a mask of `bgr`'s size) is given, a tile without ink is not run: no text there,
        probability 0.

        A tile is run whole or not at all: the network pools over its whole input (squeeze and
        excitation), so the same line cut out with less paper round it comes out up to 3 px
        different, and reads differently now and then.
        """
        h, w = bgr.shape[:2]
        prob = np.zeros((h, w), dtype=np.uint8)
        step = DET_TILE - DET_OVERLAP
        half = DET_OVERLAP // 2
        tiles: list[tuple[int, int, int, int]] = []
        for y in range(0, max(1, h - DET_OVERLAP), step):
            for x in range(0, max(1, w - DET_OVERLAP), step):
                y1, x1 = min(h, y + DET_TILE), min(w, x + DET_TILE)
                if ink is None or ink[y:y1, x:x1].any():
                    tiles.append((y, x, y1, x1))

        def run(tile: tuple[int, int, int, int]) -> np.ndarray:
            y, x, y1, x1 = tile
            with stage("inference"):
                return self._run(bgr[y:y1, x:x1])

        for (y, x, y1, x1), tile_prob in zip(tiles, run_all(run, tiles, self.tiles_at_once), strict=True):
            # Keep each tile's centre only; its margin is covered by the neighbour's centre.
            ty0 = 0 if y == 0 else half
            tx0 = 0 if x == 0 else half
            ty1 = y1 - y if y1 == h else y1 - y - half
            tx1 = x1 - x if x1 == w else x1 - x - half
            prob[y + ty0:y + ty1, x + tx0:x + tx1] = tile_prob[ty0:ty1, tx0:tx1]
        return prob

    def _run(self, tile: np.ndarray) -> np.ndarray:
        th, tw = tile.shape[:2]
        ph, pw = math.ceil(th / DET_STRIDE) * DET_STRIDE, math.ceil(tw / DET_STRIDE) * DET_STRIDE
        padded = np.full((ph, pw, 3), 255, dtype=np.uint8)
        padded[:th, :tw] = tile
        x = to_chw(padded)[None]
        out = self.session.run(None, {self.input_name: x})[0][0, 0]
        return (np.clip(out[:th, :tw], 0, 1) * 255).astype(np.uint8)

    def detect(self, bgr: np.ndarray, scale: float = 1.0, ink: np.ndarray | None = None) -> list[DetectedLine]:
        """Lines on `bgr`, detected at `scale`; `ink` (nonzero where there is ink, `bgr`'s size)
        spares the detector the blank paper."""
        h, w = bgr.shape[:2]
        work = bgr
        if abs(scale - 1.0) > 1e-3:
            interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
            size = (max(32, round(w * scale)), max(32, round(h * scale)))
            work = cv2.resize(bgr, size, interpolation=interp)
            ink = cv2.resize(ink, size, interpolation=cv2.INTER_AREA) if ink is not None else None
        prob = self.probability_map(work, ink)
        with stage("boxes"):
            lines = self.boxes_from_map(prob)
        sx, sy = w / work.shape[1], h / work.shape[0]
        for line in lines:
            line.quad[:, 0] = np.clip(line.quad[:, 0] * sx, 0, w)
            line.quad[:, 1] = np.clip(line.quad[:, 1] * sy, 0, h)
        return lines

    def boxes_from_map(self, prob: np.ndarray) -> list[DetectedLine]:
        bitmap = (prob > int(self.thresh * 255)).astype(np.uint8)
        bitmap = cv2.dilate(bitmap, np.ones((2, 2), np.uint8))
        contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        lines: list[DetectedLine] = []
        for contour in contours:
            if len(contour) < 4:
                continue
            rect = cv2.minAreaRect(contour)
            if min(rect[1]) < 3:
                continue
            score = _box_score(prob, cv2.boxPoints(rect))
            if score < self.box_thresh:
                continue
            expanded = self._unclip(cv2.boxPoints(rect))
            if expanded is None:
                continue
            rect2 = cv2.minAreaRect(expanded)
            if min(rect2[1]) < 5:
                continue
            lines.append(DetectedLine(order_quad(cv2.boxPoints(rect2)), score))
        return lines

    def _unclip(self, box: np.ndarray) -> np.ndarray | None:
        poly = ShapelyPolygon(box)
        if poly.length == 0:
            return None
        grown = poly.buffer(poly.area * self.unclip_ratio / poly.length)
        if grown.is_empty or grown.geom_type != "Polygon":
            return None
        return np.asarray(grown.exterior.coords, dtype=np.float32)


def _box_score(prob: np.ndarray, box: np.ndarray) -> float:
    h, w = prob.shape
    x0 = int(np.clip(np.floor(box[:, 0].min()), 0, w - 1))
    x1 = int(np.clip(np.ceil(box[:, 0].max()), 0, w - 1))
    y0 = int(np.clip(np.floor(box[:, 1].min()), 0, h - 1))
    y1 = int(np.clip(np.ceil(box[:, 1].max()), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    cv2.fillPoly(mask, [(box - [x0, y0]).astype(np.int32)], 1)
    return float(cv2.mean(prob[y0:y1 + 1, x0:x1 + 1], mask)[0]) / 255.0


def order_quad(pts: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(pts, dtype=np.float32)
    by_x = pts[np.argsort(pts[:, 0])]
    left, right = by_x[:2], by_x[2:]
    tl, bl = left[np.argsort(left[:, 1])]
    tr, br = right[np.argsort(right[:, 1])]
    return np.array([tl, tr, br, bl], dtype=np.float32)


class PPOCRRecognizer:
    """CTC recogniser; the dictionary travels inside the ONNX file's metadata."""

    name = "ppocr"

    def __init__(self, model_dir: Path | None = None, threads: int | None = None, lm: str = "none") -> None:
        path = model_path("ppocr-rec", model_dir)
        self.session = make_session(path)
        self.threads = threads
        self.input_name = self.session.get_inputs()[0].name
        meta = self.session.get_modelmeta().custom_metadata_map
        # Index 0 is the CTC blank; the model's last class is the space character.
        self.alphabet = ["", *meta["character"].splitlines(), " "]
        self.model_dir = model_dir
        self.decoding = Decoding.named(lm)

    def greedy(self) -> PPOCRRecognizer:
        """The same network decoding greedily (what orientation asks), sharing its session."""
        if self.decoding is None:
            return self
        other = copy.copy(self)
        other.decoding = None
        return other

    def describe(self) -> dict[str, str]:
        out = {"onnxruntime": ort.__version__, "ppocr-rec": manifest_entry("ppocr-rec").provenance()}
        if self.decoding is not None:
            out["ppocr-decoding"] = self.decoding.describe()
        return out

    def recognize(self, line_crops: Sequence[LineCrop]) -> list[Recognition]:
        """One line a call, padded to a whole number of REC_WIDTH_STEP; the widest go first, so
        that the narrow ones fill in at the end.

        Measured on a 4000x5800 page, one call on one thread at a time: batches of 4 lines of one
        padded width take 7 % more CPU than single lines, of 8 lines 15 %, for the same text (a
        line's reading does not depend on its batch). Read at its exact width instead, a line
        reads worse now and then: a 1933 Fraktur front page's CER 0.0741 -> 0.0750, a Chinese scan's 0.0028 -> 0.0033
        (order-free).
        """

        def read(crop: LineCrop) -> Recognition:
            lat, step, width = self.lattice(crop)
            with stage("decoding"):
                return ink_spaces(self.spans(lat, step, width), crop)

        shapes = [c.image.shape for c in line_crops]
        order = sorted(range(len(line_crops)), key=lambda i: -shapes[i][1] / shapes[i][0])
        results: list[Recognition] = [Recognition() for _ in line_crops]
        for i, rec in zip(order, run_all(lambda i: read(line_crops[i]), order, self.threads), strict=True):
            results[i] = rec
        return results

    def lattice(self, crop: LineCrop, alternatives: bool | None = None) -> tuple[Lattice, float, int]:
        """The network's reading of one line: its lattice (with the unsure frames' alternatives
        where `alternatives`, by default where the decoding asks for them), the crop pixels per
        time step, and the crop's width."""
        image = crop.image
        width = max(1, math.ceil(REC_HEIGHT * image.shape[1] / max(1, image.shape[0])))
        padded = max(REC_MIN_WIDTH, math.ceil(width / REC_WIDTH_STEP) * REC_WIDTH_STEP)
        with stage("input"):
            x = np.zeros((1, 3, REC_HEIGHT, padded), dtype=np.float32)
            x[0, :, :, :width] = to_chw(cv2.resize(image, (width, REC_HEIGHT), interpolation=cv2.INTER_LINEAR))
            count("padded width", padded)
            count("real width", width)
        with stage("inference"):
            probs = self.session.run(None, {self.input_name: x})[0][0]
        with stage("decoding"):
            lat = Lattice.of(probs, self.decoding is not None if alternatives is None else alternatives)
        step = padded / probs.shape[0]
        scale = width / max(1, image.shape[1])
        return lat, step / scale, image.shape[1]

    def spans(self, lat: Lattice, step: float, crop_width: int) -> Recognition:
        """A line's reading from its lattice (greedy, or with the line's language model: see
        `decoding`): characters, with the time steps of each turned into its extent along the crop."""
        emitted = greedy(lat)
        if self.decoding is not None and len(lat.unsure):
            model = self.decoding.model_for("".join(self.alphabet[k] for k, _, _ in emitted))
            if model is not None:
                emitted = beam_search(lat, self.alphabet, *model)
        if not emitted:
            return Recognition()
        centres = [((a + b) / 2 + 0.5) * step for _, a, b in emitted]
        gaps = np.diff(centres)
        pitch = float(np.median(gaps)) if len(gaps) else crop_width / 2
        chars: list[CharSpan] = []
        for j, (k, a, b) in enumerate(emitted):
            left = (centres[j - 1] + centres[j]) / 2 if j else centres[j] - pitch / 2
            right = (centres[j] + centres[j + 1]) / 2 if j + 1 < len(centres) else centres[j] + pitch / 2
            conf = float(lat.conf[a:b + 1].mean()) if (lat.best[a:b + 1] == k).all() else \
                float(np.mean([lat.prob(t, k) for t in range(a, b + 1)]))
            chars.append(CharSpan(self.alphabet[k], max(0.0, left), min(float(crop_width), right), conf))
        return Recognition(chars)

"""Which way up a page stands is the packaged models' call, whatever engine reads its text.

With Tesseract's Fraktur model as the engine, an upright NZZ page was once judged from
Tesseract's confidences and turned a quarter (its text then read at CER 0.88). The engine is
asked nothing now: these tests run orientation alone (detection and a few line reads) with each
engine's pipeline, on the rendered samples and on real Fraktur pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layoutkit.io.images import load_pages
from layoutkit.ocr.cache import LineCache
from layoutkit.pipeline import Pipeline, Settings
from layoutkit.preprocess import prepare
from tests.conftest import EVAL, ROOT

#: The two scanned samples (the rendered originals stand alike).
SAMPLES = sorted((ROOT / "samples").glob("*-2025-11-26-scan.jpg"))
#: A few NZZ pages of different decades and sizes (the benchmark `benchmarks/orientation.py` runs all 38).
NZZ = ["nzz/nzz_18501112_0_0_a1_p1_1.tif", "nzz-dev/nzz_19071218_0_0_a1_p1_1.tif",
       "nzz-dev/nzz_19381127_0_0_a1_p1_1.tif"]


@pytest.fixture(scope="module", params=["ppocr", "tesseract"])
def engine_pipeline(request) -> Pipeline:
    if request.param == "tesseract":
        pytest.importorskip("tesserocr", reason="--engine tesseract needs layoutkit[tesseract]")
    try:
        return Pipeline(Settings(engine=request.param, lang="frk" if request.param == "tesseract" else None))
    except Exception as exc:  # a missing frk model: the engine cannot run here at all
        pytest.skip(f"{request.param} pipeline cannot be built here: {exc}")


def turns_of(pipeline: Pipeline, path: Path, quarter_turns: int = 0) -> int:
    (image,) = load_pages(path)
    work = prepare(image.pixels, quarter_turns=quarter_turns)
    _scale, quads = pipeline._lines(work, None)
    assert pipeline.orientation is not None
    return pipeline.orientation.quarter_turns(work.bgr, quads)


def test_orientation_reads_with_the_packaged_recogniser_whatever_the_engine(engine_pipeline):
    assert engine_pipeline.orientation is not None
    assert engine_pipeline.orientation.reader.name == "ppocr"
    assert "ppocr-rec" in engine_pipeline.orientation.describe()


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_stands_upright_and_turned_is_stood_up(engine_pipeline, sample):
    assert turns_of(engine_pipeline, sample) == 0
    # The same page upside down is stood up by the same models, whatever reads its text.
    assert turns_of(engine_pipeline, sample, 2) == 2


@pytest.mark.parametrize("name", NZZ)
def test_upright_fraktur_page_is_not_turned(engine_pipeline, name):
    path = EVAL / name
    if not path.exists():
        pytest.skip(f"{path} not found: the NZZ scans exist only beside the project's own checkout")
    assert turns_of(engine_pipeline, path) == 0


def test_orientation_readings_are_cached_apart_from_another_engines(tmp_path):
    """The cache keys a page's readings by the models that read them (and how they decoded): the
    orientation's greedy PP-OCR readings go to the file of greedy PP-OCR, whatever the engine."""
    pytest.importorskip("tesserocr", reason="--engine tesseract needs layoutkit[tesseract]")
    pipeline = Pipeline(Settings(engine="tesseract", lang="frk", cache_dir=str(tmp_path)))
    greedy = Pipeline(Settings(lm="none", cache_dir=str(tmp_path)))
    beam = Pipeline(Settings(lm="auto", cache_dir=str(tmp_path)))
    assert greedy.orientation_cache is greedy.cache
    for other in (pipeline, beam):
        assert other.orientation_cache is not other.cache
        assert isinstance(other.orientation_cache, LineCache) and other.cache is not None
        assert other.orientation_cache.models == greedy.cache.models != other.cache.models
    (image,) = load_pages(SAMPLES[0])
    pipeline.process_image(image)
    assert pipeline.cache is not None and greedy.cache is not None
    files = {p.name.rsplit("-", 1)[1] for p in tmp_path.glob("*.json.gz")}
    assert files == {f"{pipeline.cache.models}.json.gz", f"{greedy.cache.models}.json.gz"}

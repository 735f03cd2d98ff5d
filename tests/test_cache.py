"""The line cache: a page seen before is laid out again without running detection or recognition,
and gives exactly what the models gave."""

from __future__ import annotations

import gzip
import json

import pytest

from layoutkit.export.alto import to_alto
from layoutkit.io.images import from_array
from layoutkit.ocr.cache import LineCache
from layoutkit.pipeline import Pipeline, Settings
from samples.pagegen import compose


class Refuse:
    """Stands in for a model that must not be asked again."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "")

    def describe(self) -> dict[str, str]:
        return self.inner.describe()

    def recognize(self, crops):
        raise AssertionError(f"recogniser asked for {len(crops)} crop(s) the cache holds")

    def detect(self, bgr, scale=1.0, ink=None):
        raise AssertionError("detector run on a page the cache holds")


@pytest.fixture(scope="module")
def page_image(chinese_paragraphs):
    bgr, _ = compose.text_columns_page(chinese_paragraphs[:3], width=1400, height=1100, columns=2,
                                       font_px=30, margin=80, gutter=60)
    return from_array(bgr, "cache-page.png")


def alto_of(page) -> bytes:
    return to_alto(page)


def test_second_run_reads_the_cache_and_gives_the_same_page(tmp_path, page_image):
    cached = Pipeline(Settings(cache_dir=str(tmp_path)))
    first = cached.process_image(page_image)
    files = list(tmp_path.glob("*.json.gz"))
    # One file for the page's readings, and one for orientation's greedy reads where the page's
    # recogniser decodes with a language model (see test_orientation).
    assert cached.cache is not None and cached.orientation_cache is not None
    models = {cached.cache.models, cached.orientation_cache.models}
    assert {f.name.rsplit("-", 1)[1] for f in files} == {f"{m}.json.gz" for m in models}
    assert all(f.name.startswith(page_image.sha256) for f in files)
    fresh = Pipeline(Settings())
    assert alto_of(first) == alto_of(fresh.process_image(page_image))

    cached.detector, cached.recognizer = Refuse(cached.detector), Refuse(cached.recognizer)
    assert alto_of(cached.process_image(page_image)) == alto_of(first)


def test_only_crops_missing_from_the_cache_are_recognised(tmp_path, page_image):
    cached = Pipeline(Settings(cache_dir=str(tmp_path)))
    first = cached.process_image(page_image)
    assert cached.cache is not None
    (path,) = tmp_path.glob(f"*-{cached.cache.models}.json.gz")
    data = json.loads(gzip.decompress(path.read_bytes()))
    dropped = sorted(data["readings"])[::2]
    for key in dropped:
        del data["readings"][key]
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    inner, asked = cached.recognizer, []

    class Counting:
        name = inner.name

        def describe(self):
            return inner.describe()

        def recognize(self, crops):
            asked.append(len(crops))
            return inner.recognize(crops)

    cached.recognizer = Counting()
    assert alto_of(cached.process_image(page_image)) == alto_of(first)
    assert sum(asked) == len(dropped) > 0


def test_other_models_keep_a_cache_file_of_their_own(tmp_path, page_image):
    Pipeline(Settings(cache_dir=str(tmp_path))).process_image(page_image)
    other = LineCache(tmp_path, {"ppocr-rec": "another model"})
    assert other.page(page_image.sha256, 0).readings == {}

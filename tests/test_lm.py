"""The character language models and the beam search that reads with them."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from layoutkit.eval.metrics import cer
from layoutkit.ocr.beam import SURE, Lattice, beam_search, greedy
from layoutkit.ocr.lm import CharLM, count_ngrams, load, parse, serialise, witten_bell
from tests.conftest import EVAL, need_shared

TEXT = "die liebe ist die sieben mal die beste, sie sieht die see "
ALPHABET = ["", *sorted(set(TEXT) | set("cfvq")), "x"]
#: Every character a model of TEXT is asked about: the alphabet's and twenty it never saw.
VOCABULARY = [*ALPHABET[1:], *(chr(0x4E00 + i) for i in range(20))]


def small_model(order: int = 3, keep: tuple[float, ...] = ()) -> CharLM:
    logp, backoff, unseen = witten_bell(count_ngrams([(TEXT, 1.0)], order), len(VOCABULARY), keep)
    return parse(serialise(logp, backoff, unseen, order, "", ["test"]), "test.tsv.gz")


@pytest.mark.parametrize("context", ["", "d", "di", "zq", "e s"])
def test_model_probabilities_sum_to_one_over_the_vocabulary(context):
    model = small_model()
    assert sum(math.exp(model.score(context, ch)) for ch in VOCABULARY) == pytest.approx(1.0, abs=2e-3)


def test_unseen_character_is_possible_but_less_likely_than_a_seen_one():
    model = small_model()
    assert math.isfinite(model.score("di", "x"))
    assert model.score("di", "e") > model.score("di", "a") > model.score("di", "x")


def test_model_file_round_trips_and_folds_case_and_width():
    model = small_model(keep=(0, 0, 2))
    again = parse(serialise(model.logp, model.backoff, model.unseen, model.order, "", ["x"]), "x.tsv.gz")
    assert again.logp == model.logp and again.backoff == model.backoff
    assert model.text_logp("DIE") == model.text_logp("die")
    assert model.text_logp("die") == pytest.approx(model.text_logp("ｄｉｅ"))


def test_shipped_models_prefer_the_words_over_the_recognisers_confusions():
    """Confusions the recogniser makes on period print (issue 24), scored by the shipped models."""
    han, latin = load("han"), load("latin")
    for right, wrong in [("綏靖", "綏增"), ("徵實", "微實"), ("老闆", "老闢")]:
        assert han.text_logp(right) > han.text_logp(wrong), (right, wrong)
    for right, wrong in [(" dieser ", " diefer "), ("schlagen", "fchlagen"), (" und ", " uud ")]:
        assert latin.text_logp(right) > latin.text_logp(wrong), (right, wrong)


def frames(spec: list[dict[str, float]]) -> np.ndarray:
    """A T x classes probability matrix from each frame's {char: p} ('' the blank), the rest spread."""
    probs = np.full((len(spec), len(ALPHABET)), 1e-6, dtype=np.float32)
    for t, row in enumerate(spec):
        for ch, p in row.items():
            probs[t, ALPHABET.index(ch)] = p
    return probs / probs.sum(axis=1, keepdims=True)


def spell(text: str) -> list[dict[str, float]]:
    """Sure frames reading `text`: each character two frames, a blank between."""
    out: list[dict[str, float]] = []
    for ch in text:
        out += [{ch: 1.0}, {ch: 1.0}, {"": 1.0}]
    return out


def test_beam_search_is_greedy_without_the_model():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.full(len(ALPHABET), 0.3), size=60).astype(np.float32)
    lat = Lattice.of(probs)
    assert len(lat.unsure) > 30
    assert beam_search(lat, ALPHABET, small_model(), weight=0.0) == greedy(lat)


def test_model_mends_a_confusion_and_keeps_every_characters_frames():
    """'c' read a little surer than 'e' where the text says 'die': the model reads 'die'; every
    character keeps the frames greedy decoding gives it."""
    unsure = {"c": 0.55, "e": 0.45}
    spec = [*spell(" sie sieht d"), {"i": 1.0}, {"": 1.0}, unsure, unsure, {"": 1.0}, *spell(" see ")]
    lat = Lattice.of(frames(spec))
    assert set(lat.unsure.tolist()) == {len(spell(" sie sieht d")) + 2, len(spell(" sie sieht d")) + 3}
    read = greedy(lat)
    mended = beam_search(lat, ALPHABET, small_model(), weight=1.0)
    assert "".join(ALPHABET[k] for k, _, _ in read) == " sie sieht dic see "
    assert "".join(ALPHABET[k] for k, _, _ in mended) == " sie sieht die see "
    assert [(a, b) for _, a, b in mended] == [(a, b) for _, a, b in read]


def test_sure_frames_pass_straight_through():
    lat = Lattice.of(frames(spell("sieben")))
    assert not len(lat.unsure) and lat.conf.min() >= SURE
    assert beam_search(lat, ALPHABET, small_model(), weight=1.0) == greedy(lat)


def test_fraktur_line_reads_better_with_the_model():
    """A line of the NZZ of 1780 (never in the model's text): greedy reads the long s as f."""
    from layoutkit.io.images import load_pages
    from layoutkit.io.readers import read_layout
    from layoutkit.ocr.crops import cut
    from layoutkit.ocr.ppocr import PPOCRRecognizer, order_quad

    scan = need_shared(EVAL / "nzz" / "nzz_17800719_0_0_a1_p1_1.tif")
    page = read_layout(EVAL / "nzz" / "gt" / "nzz_17800719_0_0_a1_p1_1.xml")
    lines = [ln for b in page.blocks for ln in b.lines if ln.text.startswith(("sind dieser", "und der brittischen"))]
    assert len(lines) == 2
    (image,) = load_pages(scan)
    crops = [cut(image.pixels, order_quad(cv2.boxPoints(cv2.minAreaRect(np.asarray(ln.polygon, np.float32)))))
             for ln in lines]
    plain, beam = PPOCRRecognizer(lm="none"), PPOCRRecognizer(lm="auto")
    for line, crop in zip(lines, crops, strict=True):
        before, after = cer(plain.recognize([crop])[0].text, line.text), cer(beam.recognize([crop])[0].text, line.text)
        assert after < before, (line.text, before, after)


def test_decoding_is_recorded_and_keys_the_line_cache(tmp_path):
    """Readings decoded greedily are never served to a run that decodes with the models, and the
    ALTO Processing record says which models and weights read the text."""
    from layoutkit.pipeline import Pipeline, Settings

    greedy, beam = (Pipeline(Settings(lm=lm, cache_dir=str(tmp_path))) for lm in ("none", "auto"))
    assert greedy.cache is not None and beam.cache is not None
    assert greedy.cache.models != beam.cache.models
    assert beam.settings.record()["lm"] == "auto" and greedy.settings.record()["lm"] == "none"
    assert "lm" not in Settings(engine="tesseract").record()
    decoding = beam.models["ppocr-decoding"]
    assert load("han").sha256[:16] in decoding and load("latin").sha256[:16] in decoding
    assert "ppocr-decoding" not in greedy.models
    with pytest.raises(ValueError, match="--lm"):
        Pipeline(Settings(lm="maybe"))


def test_models_readme_records_the_shipped_language_models():
    import hashlib

    from layoutkit.ocr.lm import FOLDER, MODELS
    from tests.conftest import ROOT

    readme = (ROOT / "models" / "README.md").read_text("utf-8")
    for file in MODELS.values():
        digest = hashlib.sha256((FOLDER / file).read_bytes()).hexdigest()
        assert f"`layoutkit/ocr/lm/{file}`" in readme and f"`{digest}`" in readme, file


def test_vertical_forms_of_punctuation_read_as_the_usual_marks():
    """A recogniser of columns may give the vertical presentation forms; the text keeps one 、 or
    「 whichever way the column was read, each mark where it stood."""
    from layoutkit.ocr.base import CharSpan, Recognition
    from layoutkit.ocr.strings import VERTICAL_FORMS, horizontal_forms

    read = Recognition([CharSpan(c, i * 10.0, i * 10.0 + 9, 0.9) for i, c in enumerate("﹁胡︑綏︐靖︒﹂︙︵︶﹅")])
    fixed = horizontal_forms(read)
    assert fixed.text == "「胡、綏，靖。」…（）﹅"
    assert [(c.x0, c.x1, c.confidence) for c in fixed.chars] == [(c.x0, c.x1, c.confidence) for c in read.chars]
    assert all(0xFE10 <= ord(k) <= 0xFE4F and len(v) == 1 for k, v in VERTICAL_FORMS.items())
    plain = Recognition([CharSpan("、", 0, 9, 0.9)])
    assert horizontal_forms(plain) is plain

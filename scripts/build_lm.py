"""Build the character language models of `layoutkit/ocr/lm/` (layoutkit.ocr.lm), reproducibly.

- `zh-hant.tsv.gz` (lines in Han script): the 晶報 transcriptions of the ECPO project, Heidelberg
  (../shared/eval/jingbao-text/, CC BY 4.0; the issue of 1939-04-21 is not among them and is
  refused if it ever is), and jieba's word list (MIT): each word counted with its frequency, as
  printed (simplified) and in traditional characters (OpenCC s2t, Apache-2.0), the list's total
  weighed as much as the transcriptions' characters. Spaces are not part of the model.
- `de.tsv.gz` (lines in Latin script): wordfreq's German word list (data CC BY-SA 4.0), each
  word between spaces counted with its frequency, and the ground-truth text of the NZZ
  development pages of the LM fold (`lm_fold` below: every other nzz-dev page by date; the other
  half tunes the weight, ../shared/eval/nzz/ is never read), weighed alike.

Run with the build requirements installed (pyproject's `lm` extra):

    pip install 'layoutkit[lm]' && python scripts/build_lm.py

models/README.md records the sources, versions, licences and the files' sha256.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layoutkit import atomic  # noqa: E402
from layoutkit.ocr.lm import FOLDER, MODELS, count_ngrams, parse, perplexity, serialise, witten_bell  # noqa: E402
from layoutkit.xmlsafe import parse_xml  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
#: The evaluation issue of 晶報: never part of a model.
EVALUATION_ISSUE = "1939-04-21"
#: The recogniser's classes: the share of probability an unseen character gets is spread over them.
VOCABULARY = 18710
ZH_ORDER, DE_ORDER = 4, 6
#: Smallest count of an n-gram (by order) that the file keeps, in units of the running text's characters.
ZH_KEEP = (0, 0, 2, 3)
DE_KEEP = (0, 0, 0, 1.5, 1.5, 2)
DE_WORDS = 200_000


def nzz_pages() -> list[Path]:
    return sorted((SHARED / "nzz-dev" / "gt").glob("nzz_*.xml"))


def lm_fold(pages: list[Path]) -> list[Path]:
    """The NZZ development pages whose text goes into the German model: every other page by date
    (the first, third, ...); the others are where its weight is tuned."""
    return pages[0::2]


def page_lines(path: Path) -> list[str]:
    """A PAGE file's line texts (TextLine/TextEquiv/Unicode), in document order."""
    root = parse_xml(path).getroot()
    out = []
    for line in root.iter("{*}TextLine"):
        uni = line.find("{*}TextEquiv/{*}Unicode")
        if uni is not None and uni.text and uni.text.strip():
            out.append(uni.text.strip())
    return out


def ecpo_text(path: Path) -> str:
    return "".join("".join(parse_xml(path).getroot().itertext()).split())


def zh_model() -> tuple[bytes, list[str], str]:
    import jieba
    import opencc

    folds = sorted((SHARED / "jingbao-text").glob("jb_*.xml"))
    if any(EVALUATION_ISSUE in p.name for p in folds):
        raise SystemExit(f"error: the evaluation issue {EVALUATION_ISSUE} is in jingbao-text: remove it first")
    texts = [ecpo_text(p) for p in folds]
    chars = sum(map(len, texts))
    words: list[tuple[str, int]] = []
    for line in (resources.files(jieba) / "dict.txt").read_text("utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        words.append((word, int(freq)))
    traditional = opencc.OpenCC("s2t").convert("\n".join(w for w, _ in words)).split("\n")
    scale = chars / sum(f * len(w) for w, f in words) / 2
    corpus = [(t, 1.0) for t in texts]
    corpus += [(form, f * scale) for (w, f), t in zip(words, traditional, strict=True) for form in {w, t}]
    logp, backoff, unseen = witten_bell(count_ngrams(corpus, ZH_ORDER, skip=" \u3000"), VOCABULARY, ZH_KEEP)
    header = [f"Han script, order {ZH_ORDER}, interpolated Witten-Bell; built by scripts/build_lm.py",
              f"{len(folds)} 晶報 folds of ECPO, Heidelberg (hcts-hra/ecpo-data, CC BY 4.0), {chars} characters",
              f"jieba {importlib.metadata.version('jieba')} dict.txt (MIT) and OpenCC "
              f"{importlib.metadata.version('opencc')} s2t of it (Apache-2.0)"]
    return serialise(logp, backoff, unseen, ZH_ORDER, " ", header), header, texts[-1]


def de_model(with_nzz: bool = True) -> tuple[bytes, list[str], str]:
    import wordfreq

    words = wordfreq.top_n_list("de", DE_WORDS)
    freqs = [wordfreq.word_frequency(w, "de") for w in words]
    pages = lm_fold(nzz_pages()) if with_nzz else []
    texts = [" ".join(page_lines(p)) for p in pages]
    chars = sum(map(len, texts)) or 1_000_000
    scale = chars / sum(f * (len(w) + 1) for w, f in zip(words, freqs, strict=True))
    corpus = [(t, 1.0) for t in texts] + [(f" {w} ", f * scale) for w, f in zip(words, freqs, strict=True)]
    logp, backoff, unseen = witten_bell(count_ngrams(corpus, DE_ORDER), VOCABULARY, DE_KEEP)
    header = [f"Latin script (German), order {DE_ORDER}, interpolated Witten-Bell; built by scripts/build_lm.py",
              f"wordfreq {importlib.metadata.version('wordfreq')} German top {DE_WORDS} words (data CC BY-SA 4.0)",
              f"NZZ ground truth (impresso/NZZ-black-letter-ground-truth, CC BY-NC 4.0) of {len(pages)} nzz-dev "
              f"pages: {', '.join(p.stem[4:12] for p in pages) or 'none'}"]
    held = " ".join(page_lines(nzz_pages()[1])) if with_nzz else " ".join(words[:2000])
    return serialise(logp, backoff, unseen, DE_ORDER, "", header), header, held


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=sorted(MODELS), help="build one model")
    ap.add_argument("--no-nzz", action="store_true", help="the German model from wordfreq alone")
    args = ap.parse_args()
    out = Path(str(FOLDER))
    out.mkdir(exist_ok=True)
    for script, build in (("han", zh_model), ("latin", lambda: de_model(not args.no_nzz))):
        if args.only and args.only != script:
            continue
        data, header, sample = build()
        path = out / MODELS[script]
        atomic.write_bytes(path, data)
        model = parse(data, MODELS[script])
        print(f"{path.relative_to(ROOT)}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}, "
              f"{len(model.logp)} n-grams; perplexity of a sample text {perplexity(model, sample):.1f}")
        for h in header:
            print("   ", h)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Character n-gram language models that the recogniser's beam search asks how likely a
character is after the ones before it.

A model is a back-off table, the form an interpolated Witten-Bell model takes once built
(scripts/build_lm.py): for every n-gram kept, the log probability of its last character after the
others; for every context kept, the log weight by which a character it was not seen with falls
back to the shorter context. Characters are looked up NFKC-folded (the recogniser's full- and
half-width forms, the long s, are one character to the model, as to the measures), and a
character the model has never seen gets the probability the build left for unseen ones.

Models are package data (`layoutkit/ocr/lm/*.tsv.gz`), one per script, loaded on first use.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..errors import ModelError

#: Package folder of the models; models/README.md records how each was built and from what.
FOLDER = resources.files(__package__) / "lm"
#: Scores remembered (a page asks the same few thousand again and again), at most.
MEMO = 1_000_000
#: The models shipped, by the script of the lines they read.
MODELS = {"han": "zh-hant.tsv.gz", "latin": "de.tsv.gz"}


def fold(ch: str) -> str:
    """The character the model knows `ch` as: NFKC and lower case, where that is one character.
    Case is left to the recogniser: the word lists a model is built from are lower case."""
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch


def modelled(ch: str) -> bool:
    """Whether a model reads `ch` (folded): letters and the space. Punctuation, digits and symbols
    are left to the recogniser: a model built from word lists and period transcriptions knows the
    quotation marks, dashes and boxes of a modern page too little to be trusted with them, and
    read against it the recogniser's sure marks were dropped."""
    return ch == " " or unicodedata.category(ch)[0] == "L"


@dataclass(slots=True)
class CharLM:
    """log P(character | up to order-1 characters before it), natural logarithms."""

    name: str
    order: int
    logp: dict[str, float]
    backoff: dict[str, float]
    unseen: float
    #: Characters the model does not read (spaces in a model of Chinese): they cost nothing and
    #: leave the context as it was.
    skip: frozenset[str] = frozenset()
    sha256: str = ""
    _memo: dict[tuple[str, str], float] = field(default_factory=dict)

    def score(self, context: str, ch: str) -> float:
        """log P(ch | context); `context` is the folded text before it (only its end is read)."""
        key = (context[-(self.order - 1):] if self.order > 1 else "", ch)
        got = self._memo.get(key)
        if got is not None:
            return got
        history, acc = key[0], 0.0
        while True:
            p = self.logp.get(history + ch)
            if p is not None:
                got = acc + p
                break
            if not history:
                got = acc + self.unseen
                break
            acc += self.backoff.get(history, 0.0)
            history = history[1:]
        if len(self._memo) >= MEMO:
            self._memo.clear()
        self._memo[key] = got
        return got

    def text_logp(self, text: str) -> float:
        """log P of a whole text, each character after the ones before it."""
        context, total = "", 0.0
        for ch in map(fold, text):
            if ch in self.skip or not modelled(ch):
                continue
            total += self.score(context, ch)
            context = (context + ch)[-(self.order - 1):] if self.order > 1 else ""
        return total

    def identity(self) -> str:
        return f"{self.name} sha256:{self.sha256[:16]}"


def parse(data: bytes, name: str) -> CharLM:
    """A model from its file: `#` comment lines, `order N`, `unseen LOGP`, `skip CHARS`,
    then one `ngram<TAB>logp[<TAB>backoff]` row per n-gram (a context's back-off on its own row,
    with an empty logp, when the context is not itself an n-gram kept). No gram holds a tab or
    a line end: the build leaves them out of the text."""
    order, unseen, skip = 0, None, ""
    logp: dict[str, float] = {}
    backoff: dict[str, float] = {}
    for raw in gzip.decompress(data).decode("utf-8").split("\n"):
        if not raw or raw.startswith("#"):
            continue
        if raw.startswith("order "):
            order = int(raw[6:])
        elif raw.startswith("unseen "):
            unseen = float(raw[7:])
        elif raw.startswith("skip "):
            skip = raw[5:]
        else:
            gram, p, *b = raw.split("\t")
            if p:
                logp[gram] = float(p)
            if b and b[0]:
                backoff[gram] = float(b[0])
    if order < 1 or unseen is None or not logp:
        raise ModelError(f"language model {name}: not a model file (no order, unseen or n-grams)")
    return CharLM(name.removesuffix(".tsv.gz"), order, logp, backoff, unseen, frozenset(skip),
                  hashlib.sha256(data).hexdigest())


@cache
def load(script: str) -> CharLM:
    """The shipped model of a script ('han' or 'latin')."""
    if script not in MODELS:
        raise ModelError(f"no language model for script {script!r} (have: {', '.join(MODELS)})")
    path = FOLDER / MODELS[script]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the language model ({exc.strerror or exc})") from exc
    return parse(data, MODELS[script])


def perplexity(model: CharLM, text: str) -> float:
    """Per character, for the build script's report."""
    n = sum(1 for ch in map(fold, text) if ch not in model.skip and modelled(ch))
    return math.exp(-model.text_logp(text) / max(1, n))


def count_ngrams(texts: Iterable[tuple[str, float]], order: int, skip: str = "") -> list[dict[str, float]]:
    """Counts of the 1..order-grams of folded texts, each text with its weight (a word list's
    frequency); characters in `skip` and those not `modelled` are dropped, and no gram runs from
    one text into the next."""
    counts: list[dict[str, float]] = [defaultdict(float) for _ in range(order)]
    for text, weight in texts:
        chars = "".join(c for c in map(fold, text) if c not in skip and modelled(c))
        for i in range(len(chars)):
            for n in range(1, min(order, i + 1) + 1):
                counts[n - 1][chars[i + 1 - n:i + 1]] += weight
    return [dict(c) for c in counts]


def witten_bell(counts: list[dict[str, float]], vocabulary: int, keep: Sequence[float] = ()
                ) -> tuple[dict[str, float], dict[str, float], float]:
    """(log P of each n-gram kept, log back-off of each context, log P of an unseen character)
    of the interpolated Witten-Bell model of `counts`, over `vocabulary` characters in all.

    P(w | h) = (c(hw) + T(h) P(w | h')) / (c(h) + T(h)), T(h) the characters seen after h; an
    n-gram of order n is kept where its count reaches keep[n-1] (all where keep is short), and a
    character never seen after a context kept falls back with weight T(h) / (c(h) + T(h)).
    """
    logp: dict[str, float] = {}
    backoff: dict[str, float] = {}
    lower: dict[str, float] = {}  # P(w | h') of the order below, for every n-gram seen
    total = sum(counts[0].values())
    types = len(counts[0])
    uniform = 1.0 / max(vocabulary, types + 1)
    for w, c in counts[0].items():
        lower[w] = (c + types * uniform) / (total + types)
        logp[w] = math.log(lower[w])
    unseen = math.log(types * uniform / (total + types))
    for n in range(2, len(counts) + 1):
        grams = counts[n - 1]
        mass: dict[str, float] = defaultdict(float)
        seen: dict[str, int] = defaultdict(int)
        for g, c in grams.items():
            mass[g[:-1]] += c
            seen[g[:-1]] += 1
        minimum = keep[n - 1] if n - 1 < len(keep) else 0.0
        current: dict[str, float] = {}
        for g, c in grams.items():
            h = g[:-1]
            below = lower.get(g[1:])
            if below is None:  # the shorter gram was seen wherever this one was: never None
                below = math.exp(unseen)
            p = (c + seen[h] * below) / (mass[h] + seen[h])
            current[g] = p
            if c >= minimum:
                logp[g] = math.log(p)
        for h, c in mass.items():
            if c >= minimum:
                backoff[h] = math.log(seen[h] / (c + seen[h]))
        lower = current
    return logp, backoff, unseen


def serialise(logp: dict[str, float], backoff: dict[str, float], unseen: float, order: int, skip: str,
              header: Sequence[str]) -> bytes:
    """The model file (see `parse`), gzip'd and reproducible byte for byte."""
    rows = [*(f"# {h}" for h in header), f"order {order}", f"unseen {unseen:.4f}"]
    if skip:
        rows.append(f"skip {skip}")
    for g in sorted(set(logp) | set(backoff)):
        p = f"{logp[g]:.3f}" if g in logp else ""
        rows.append(f"{g}\t{p}\t{backoff[g]:.3f}" if g in backoff else f"{g}\t{p}")
    return gzip.compress("\n".join([*rows, ""]).encode("utf-8"), mtime=0)

"""CTC decoding: greedy, or prefix beam search with a character language model.

The recogniser gives, for each time step (frame) of a line, a probability for every class; most
frames are sure (one class above SURE), and only where it hesitates does the language model have
a say. So a line is kept as a `Lattice` (the best class of each frame, and the few likely classes
of the unsure frames), and the beam search runs only from an unsure frame until the beams have
read as many sure characters after it as the model's context holds: from there on every beam
would score the rest of the line alike, so the best is kept and the line goes on greedily. A line
without an unsure frame is decoded greedily, at no extra cost.

Each character keeps the frames it was read from (first and last), as the greedy decoder gives
them, so the recogniser's character boxes do not depend on the decoder.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .lm import CharLM, fold, modelled

#: A frame whose best class has at least this probability is sure: its class passes straight through.
SURE = 0.99
#: At an unsure frame, the classes of at least this probability are tried, at most ALTERNATIVES.
FLOOR = 1e-3
ALTERNATIVES = 6
#: Beams kept at each frame.
WIDTH = 8

NEG = -math.inf
#: (class, first frame, last frame) of each character read.
Emitted = list[tuple[int, int, int]]


@dataclass(slots=True)
class Lattice:
    """What decoding needs of a line's frame-by-class probabilities (T x classes; class 0 the blank)."""

    best: np.ndarray  # (T,) best class of each frame
    conf: np.ndarray  # (T,) its probability
    unsure: np.ndarray  # (U,) frames whose best is below SURE, ascending
    classes: np.ndarray  # (U, ALTERNATIVES) their likeliest classes, best first
    probs: np.ndarray  # (U, ALTERNATIVES) and those classes' probabilities

    @classmethod
    def of(cls, probs: np.ndarray, alternatives: bool = True) -> Lattice:
        """`alternatives` False keeps only the best class of each frame (all greedy decoding needs)."""
        best = probs.argmax(axis=1)
        conf = probs[np.arange(len(best)), best]
        unsure = np.flatnonzero(conf < SURE) if alternatives else np.zeros(0, dtype=np.int64)
        # The likely classes of each unsure frame: one comparison over its row, not a sort.
        rows, cols = np.nonzero(probs[unsure] >= FLOOR)
        values = probs[unsure[rows], cols]
        order = np.lexsort((-values, rows))
        rows, cols, values = rows[order], cols[order], values[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
        keep = rank < ALTERNATIVES
        classes = np.zeros((len(unsure), ALTERNATIVES), dtype=np.int32)
        p = np.zeros((len(unsure), ALTERNATIVES), dtype=np.float32)
        classes[rows[keep], rank[keep]] = cols[keep]
        p[rows[keep], rank[keep]] = values[keep]
        return cls(best.astype(np.int32), conf.astype(np.float32), unsure.astype(np.int32), classes, p)

    def prob(self, t: int, k: int) -> float:
        """The probability of class k at frame t, as far as the lattice holds it (0 elsewhere)."""
        if self.best[t] == k:
            return float(self.conf[t])
        i = int(np.searchsorted(self.unsure, t))
        if i < len(self.unsure) and self.unsure[i] == t:
            hit = np.flatnonzero(self.classes[i] == k)
            if len(hit):
                return float(self.probs[i, hit[0]])
        return 0.0


def greedy(lat: Lattice) -> Emitted:
    """Best class per frame, repeats merged and blanks dropped."""
    emitted: Emitted = []
    prev = 0
    for t, k in enumerate(lat.best.tolist()):
        if k != 0 and k == prev and emitted:
            emitted[-1] = (k, emitted[-1][1], t)
        elif k != 0:
            emitted.append((k, t, t))
        prev = k
    return emitted


@dataclass(slots=True)
class _Char:
    """A character of a beam's prefix, linked to the one before it."""

    k: int
    first: int
    last: int
    before: _Char | None


@dataclass(slots=True)
class _Beam:
    blank: float  # log P of the prefix's paths ending in a blank
    char: float  # ... ending in its last character
    tail: _Char | None
    context: str  # the model's view of the prefix's end (folded, at most order-1 characters)
    lm: float  # weighted language-model score and bonus of the prefix

    @property
    def total(self) -> float:
        return _add(self.blank, self.char) + self.lm


def _add(a: float, b: float) -> float:
    if a == NEG:
        return b
    if b == NEG:
        return a
    m = max(a, b)
    return m + math.log1p(math.exp(-abs(a - b)))


def beam_search(lat: Lattice, alphabet: Sequence[str], lm: CharLM, weight: float, bonus: float = 0.0,
                width: int = WIDTH) -> Emitted:
    """The line's likeliest reading under CTC times the weighted model (and `bonus` per character),
    by prefix beam search over the unsure stretches; with weight 0 and no bonus it is `greedy`."""
    if not len(lat.unsure) or (weight == 0 and bonus == 0):
        return greedy(lat)
    folded = _folded(alphabet)
    span = max(1, lm.order - 1)

    def extend(context: str, k: int) -> tuple[str, float]:
        """The context after class k, and what the model (and the bonus) add for it; a character
        the model does not read adds nothing, as in greedy decoding."""
        ch = folded[k]
        if not ch or ch in lm.skip:
            return context, 0.0
        return (context + ch)[-span:], weight * lm.score(context, ch) + bonus

    def follow(context: str, k: int) -> str:
        ch = folded[k]
        return context if not ch or ch in lm.skip else (context + ch)[-span:]

    unsure_at = {int(t): i for i, t in enumerate(lat.unsure.tolist())}
    best, conf = lat.best.tolist(), lat.conf.tolist()
    # The one path while all is sure: its characters, and whether the last frame was a blank.
    tail: _Char | None = None
    context = ""
    prev = 0
    t, end = 0, len(best)
    while t < end:
        if t not in unsure_at:
            k = best[t]
            if k and k == prev and tail is not None:
                tail.last = t
            elif k:
                tail = _Char(k, t, t, tail)
                context = follow(context, k)
            prev = k
            t += 1
            continue
        # An unsure frame: beams from here until they agree on the model's context.
        start = _Beam(0.0 if prev == 0 else NEG, 0.0 if prev else NEG, tail, context, 0.0)
        beams: dict[tuple[int, ...], _Beam] = {(): start}
        sure_chars = 0
        while t < end:
            if t in unsure_at:
                i = unsure_at[t]
                cands = [(int(k), math.log(max(float(p), 1e-30)))
                         for k, p in zip(lat.classes[i].tolist(), lat.probs[i].tolist(), strict=True)
                         if p >= FLOOR]
                sure_chars = 0
            else:
                cands = [(best[t], math.log(max(conf[t], 1e-30)))]
            beams = _step(beams, cands, t, extend)
            if t not in unsure_at and best[t] and best[t] != best[t - 1]:
                sure_chars += 1
            t += 1
            if len(beams) > width:
                beams = dict(sorted(beams.items(), key=lambda kv: -kv[1].total)[:width])
            if sure_chars >= span or len(beams) == 1:
                break
        top = max(beams.values(), key=lambda b: b.total)
        tail, context = top.tail, top.context
        prev = (tail.k if tail else 0) if top.char >= top.blank else 0
    out: Emitted = []
    while tail is not None:
        out.append((tail.k, tail.first, tail.last))
        tail = tail.before
    return out[::-1]


def _step(beams: dict[tuple[int, ...], _Beam], cands: list[tuple[int, float]], t: int,
          extend: Callable[[str, int], tuple[str, float]]) -> dict[tuple[int, ...], _Beam]:
    """One frame of prefix beam search; a prefix's characters keep the frames of its likeliest path."""
    out: dict[tuple[int, ...], _Beam] = {}
    strongest: dict[tuple[int, ...], float] = {}  # the likeliest path into each new prefix so far

    def add(key: tuple[int, ...], like: _Beam, blank: float, char: float, tail: _Char | None, via: float) -> None:
        got = out.get(key)
        if got is None:
            out[key] = _Beam(blank, char, tail, like.context, like.lm)
            strongest[key] = via
            return
        got.blank, got.char = _add(got.blank, blank), _add(got.char, char)
        if via > strongest[key]:
            strongest[key], got.tail = via, tail

    for key, b in beams.items():
        whole = _add(b.blank, b.char)
        last = b.tail.k if b.tail is not None else 0
        for k, lp in cands:
            if k == 0:
                add(key, b, whole + lp, NEG, b.tail, whole + lp)
                continue
            if k == last and b.tail is not None:
                # The same character again: its frames go on; after a blank it is a second one.
                held = _Char(k, b.tail.first, t, b.tail.before)
                add(key, b, NEG, b.char + lp, held, b.char + lp)
                if b.blank == NEG:
                    continue
                source = b.blank
            else:
                source = whole
            context, score = extend(b.context, k)
            new_key = (*key, k)
            new = _Beam(NEG, NEG, None, context, b.lm + score)
            add(new_key, new, NEG, source + lp, _Char(k, t, t, b.tail), source + lp + score)
    return out


_FOLDED: dict[int, list[str]] = {}


def _folded(alphabet: Sequence[str]) -> list[str]:
    """Each class's character as the models know it, "" for the blank and for the characters no
    model reads (lm.modelled); cached per alphabet."""
    got = _FOLDED.get(id(alphabet))
    if got is None:
        folded = [fold(c) if c else "" for c in alphabet]
        got = _FOLDED[id(alphabet)] = [c if c and modelled(c) else "" for c in folded]
    return got

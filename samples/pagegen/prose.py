"""Plausible newspaper text for the generated pages, drawn from hand-written banks by a seed.

The banks in samples/corpus/bank.*.json hold neutral sentences, headlines and the small texts a
page prints (bylines, captions, credits, adverts, masthead names) by topic, with {slots} for
places, people, numbers and dates filled at random, so that no two stories repeat one paragraph
and the OCR is judged on characters and words a newspaper really prints. Traditional characters
for modern pages come from the simplified bank through OpenCC; the Republican-era bank for the
vertical pages is written in traditional characters and prints numbers as Chinese numerals.
Dev and report pages print disjoint halves of the banks' small texts (samples/pagegen/split.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from .split import split_bank

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SLOT = re.compile(r"\{(\w+)\}")
CN_DIGITS = "〇一二三四五六七八九"


@cache
def bank(name: str, split: str = "dev") -> dict:
    """The named bank as the split may print it (see samples/pagegen/split.py)."""
    return split_bank(json.loads((CORPUS / f"bank.{name}.json").read_text("utf-8")), split)


@cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2tw")


def chinese_number(n: int) -> str:
    """1..9999 as read aloud: 三千二百零五."""
    if n < 10:
        return "〇一二三四五六七八九"[n]
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            out += ("零" if zero and out else "") + ("" if (value == 10 and d == 1 and not out) else
                                                      CN_DIGITS[d]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + CN_DIGITS[n]
    return out


def chinese_digits(n: int) -> str:
    """A year or a phone number digit by digit: 一九三九."""
    return "".join(CN_DIGITS[int(d)] for d in str(n))


@dataclass
class Prose:
    """One voice: "hans" (modern, simplified), "hant" (the same, traditional), "era" (1930s
    Shanghai, traditional, vertical), "de" (modern German), "de-historic" (German c. 1900)."""

    voice: str
    rng: np.random.Generator
    split: str = "dev"
    data: dict = field(init=False)
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.data = bank({"hans": "zh-hans", "hant": "zh-hans", "era": "zh-hant-era"}.get(self.voice, "de"), self.split)

    @property
    def chinese(self) -> bool:
        return self.voice in ("hans", "hant", "era")

    def pick(self, items: list | str):
        return items[int(self.rng.integers(len(items)))]

    # -- slots ----------------------------------------------------------------------------------------
    def person(self) -> str:
        d = self.data
        if self.chinese:
            given = "".join(self.pick(d["given"]) for _ in range(int(self.rng.integers(1, 3))))
            return self.pick(d["surnames"]) + given
        return f"{self.pick(d['first'])} {self.pick(d['last'])}"

    def _number(self, digits: int) -> str:
        return str(int(self.rng.integers(10 ** (digits - 1), 10 ** digits)))

    def _slot(self, name: str) -> str:
        d, rng = self.data, self.rng
        if name == "person":
            return self.person()
        if name in ("place", "county", "org", "road", "city", "last", "surname"):
            key = {"county": "counties", "city": "cities", "last": "last"}.get(name, name + "s")
            if name == "road":
                return self.pick(d["adverts"]["roads"])
            if name == "surname":
                return self.pick(d["surnames"])
            return self.pick(d[key])
        if name.startswith("n") and name[1:].isdigit():
            return self._number(int(name[1:]))
        if name == "pct":
            return f"{rng.integers(1, 30)}.{rng.integers(0, 10)}%"
        if name == "month":
            m = int(rng.integers(1, 13))
            return str(m) if self.chinese else d["months"][m - 1]
        if name == "day":
            return str(int(rng.integers(1, 29)))
        if name == "page":
            n = int(rng.integers(2, 17))
            return chinese_number(n) if self.chinese else str(n)
        if name == "cnum":
            return chinese_number(int(rng.choice([rng.integers(2, 20), rng.integers(20, 100) // 10 * 10,
                                                  rng.integers(1, 10) * 100])))
        if name == "cday":
            return chinese_number(int(rng.integers(1, 31)))
        if name == "cphone":
            return chinese_digits(int(rng.integers(10000, 99999)))
        raise KeyError(f"no slot {name!r} in the text banks")

    def fill(self, template: str) -> str:
        text = SLOT.sub(lambda m: self._slot(m[1]), template)
        return _to_traditional().convert(text) if self.voice == "hant" else text

    def one(self, key: str) -> str:
        return self.fill(self.pick(self.data[key]))

    # -- stories --------------------------------------------------------------------------------------
    def topic(self) -> str:
        if self.voice == "de-historic":
            return self.pick(["historic", "historic", "Gemeinde", "Wetter", "Verkehr", "Kultur"])
        return self.pick(sorted(self.data["topics"]))

    def _topic(self, topic: str) -> dict:
        return self.data["historic"] if topic == "historic" else self.data["topics"][topic]

    def headline(self, topic: str) -> str:
        """A headline of the topic not yet printed on this page, where the bank has one left."""
        for _ in range(8):
            text = self.fill(self.pick(self._topic(topic)["headlines"]))
            if text not in self.used:
                break
        else:
            # The topic's half of the bank is printed already: another topic's headline.
            pool = [h for t in self._all_topics() for h in self._topic(t)["headlines"]]
            for _ in range(8):
                text = self.fill(self.pick(pool))
                if text not in self.used:
                    break
        self.used.add(text)
        return text

    def paragraphs(self, topic: str):
        """An endless story: paragraphs of two to five sentences, each a list of sentences, from
        the topic's bank in a shuffled order (reshuffled when used up) with its slots refilled."""
        pool = list(self._topic(topic)["sentences"])
        order = list(self.rng.permutation(len(pool)))
        while True:
            n = int(self.rng.integers(2, 6)) if self.voice != "era" else int(self.rng.integers(2, 5))
            sentences = []
            for _ in range(n):
                if not order:
                    # A long story, once its topic's sentences are used up, goes on with all of them.
                    pool = [s for t in self._all_topics() for s in self._topic(t)["sentences"]]
                    order = list(self.rng.permutation(len(pool)))
                sentences.append(self.fill(pool[order.pop()]))
            yield sentences

    def _all_topics(self) -> list[str]:
        topics = sorted(self.data["topics"])
        return [*topics, "historic"] if self.voice == "de-historic" else topics

    def join(self, sentences: list[str]) -> str:
        return ("" if self.chinese else " ").join(sentences)

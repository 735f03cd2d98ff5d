"""Build `layoutkit/ocr/zh_bigrams.tsv.gz`, the character-pair counts that tell which way a
horizontal Chinese line reads (layoutkit.ocr.direction), from jieba's word list.

jieba (MIT) ships a dictionary of 349 046 simplified Chinese words with their frequencies in a
large corpus; each word's neighbouring characters are counted with the word's frequency, once as
printed and once in traditional characters (OpenCC's s2t, Apache-2.0), because the papers that
set heads right to left print traditional characters. Counts are kept as rounded log2, and pairs
seen less than MIN_COUNT times or with a character that is not CJK are dropped: what the direction
test needs is which way round two characters are written more often, not the exact figure. Run
with jieba and opencc installed:

    pip install jieba==0.42.1 opencc==1.4.2 && python scripts/build_bigrams.py

models/README.md records the source, versions and licences.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import math
import sys
from collections import Counter
from importlib import resources
from itertools import pairwise
from pathlib import Path

import opencc

from layoutkit.ocr.strings import is_cjk

OUT = Path(__file__).resolve().parents[1] / "layoutkit" / "ocr" / "zh_bigrams.tsv.gz"
MIN_COUNT = 10


def main() -> int:
    words: list[tuple[str, int]] = []
    for line in resources.files("jieba").joinpath("dict.txt").read_text("utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        words.append((word, int(freq)))
    traditional = opencc.OpenCC("s2t").convert("\n".join(w for w, _ in words)).split("\n")
    if len(traditional) != len(words):
        print("error: OpenCC changed the number of lines", file=sys.stderr)
        return 1
    counts: Counter[str] = Counter()
    for (word, freq), trad in zip(words, traditional, strict=True):
        for form in {word, trad}:
            for a, b in pairwise(form):
                if is_cjk(a) and is_cjk(b):
                    counts[a + b] += freq
    header = (f"# character pairs, log2 of their count in jieba {importlib.metadata.version('jieba')} dict.txt "
              f"(MIT), simplified and OpenCC {importlib.metadata.version('opencc')} s2t traditional (Apache-2.0)")
    rows = [f"{pair}\t{round(math.log2(n))}" for pair, n in sorted(counts.items()) if n >= MIN_COUNT]
    OUT.write_bytes(gzip.compress("\n".join([header, *rows, ""]).encode("utf-8"), mtime=0))
    print(f"{OUT}: {len(rows)} pairs, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

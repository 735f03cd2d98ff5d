"""Where a page's reading order breaks: each pair of consecutive ground-truth lines that the
prediction does not read one after the other, with both lines' text and predicted blocks.

    python benchmarks/diagnose.py PRED.alto.xml GT.xml [--limit 40]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layoutkit.eval.metrics import match_lines, ordered_lines
from layoutkit.io.readers import read_layout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pred", type=Path)
    parser.add_argument("gt", type=Path)
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()
    pred, gt = read_layout(args.pred), read_layout(args.gt)
    gl, pl = ordered_lines(gt), ordered_lines(pred)
    block_of = [b.id + ":" + b.type.value for b in pred.ordered_blocks() if b.type.is_text for _ in b.lines]
    matches = match_lines(gl, pl)
    breaks = [(i, a, b) for i, (a, b) in enumerate(itertools.pairwise(matches)) if a >= 0 and b >= 0
              and b not in (a, a + 1)]
    print(f"{len(breaks)} breaks of {sum(1 for a, b in itertools.pairwise(matches) if a >= 0 and b >= 0)} pairs; "
          f"{sum(1 for m in matches if m < 0)} ground-truth lines unmatched")
    for i, a, b in breaks[: args.limit]:
        print(f"gt {i:4d} -> {i + 1:4d}  pred {a:4d} -> {b:4d}  [{block_of[a]} -> {block_of[b]}]")
        print(f"      {gl[i].text[:60]!r}  ->  {gl[i + 1].text[:60]!r}")


if __name__ == "__main__":
    main()

"""Which seeds are reported on, and the text each half of the corpus may print.

A seed is "report" when the SHA-256 of "layoutkit-pagegen-split-<seed>" is divisible by three,
else "dev" (about one seed in three reported, independent of the page's kind). Develop and tune on
dev pages only; report on the others.

The small texts a page prints (captions, credits, bylines, kickers, headlines, names, places, the
papers' titles) come from hand-written banks; were both halves to draw from one bank, a model
trained on dev pages would meet report pages' very strings and word patterns. So every list of a
bank is cut in two by a stable hash of its items: the dev half prints one half, the report half
the other, and no such string of a report page is printed on a dev page. The body's sentences are
shared (they are what the recogniser reads, not what a role is told by), and so are the calendar's
names.
"""

from __future__ import annotations

import hashlib
import json

SPLITS = ("dev", "report")
#: Lists both halves print whole: the calendar, and the sentences of the body text.
SHARED = frozenset({"months", "weekdays", "sentences"})


def split_of(seed: int) -> str:
    digest = hashlib.sha256(f"layoutkit-pagegen-split-{seed}".encode()).digest()
    return "report" if int.from_bytes(digest[:8], "big") % 3 == 0 else "dev"


def _rank(key: str, item: object) -> bytes:
    return hashlib.sha256(f"layoutkit-pagegen-text\0{key}\0{json.dumps(item, ensure_ascii=False)}".encode()).digest()


def half(key: str, items: list | str, split: str) -> list | str:
    """The items of one half: the list ordered by a stable hash of each item, every other one
    (so both halves hold about as many, and an item's half depends on it alone and its neighbours'
    hashes, never on the seed). A string is a pool of characters (surnames, given names)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if key in SHARED or len(items) < 2:
        return items
    # An item printed twice in a bank (a doubled name, a weighted template) goes to one half.
    pool = list({json.dumps(item, ensure_ascii=False): item for item in items}.values())
    ranked = sorted(pool, key=lambda item: _rank(key, item))
    chosen = ranked[SPLITS.index(split)::2]
    return "".join(chosen) if isinstance(items, str) else chosen


def split_bank(data: object, split: str, key: str = "") -> object:
    """A bank with every list (and character pool) cut to the split's half, recursively."""
    if isinstance(data, dict):
        return {k: split_bank(v, split, k) for k, v in data.items()}
    if isinstance(data, list) or (isinstance(data, str) and key in ("surnames", "given")):
        return half(key, data, split)
    return data

"""Detected and recognised lines kept per page, so that a change to layout or order re-runs a
whole set of pages in minutes instead of hours.

Layout and order take a second or two a page; detection and recognition take the rest. A page's
entries live in one file named by the scan's sha256, its page index and the models' identities
(a new model or engine version starts a new file). Inside, the detector's lines are keyed by a
digest of the very pixels it was given and the scale, and each recognised line by a digest of its
crop's pixels: whatever layout decides, a line cut the same way is read once, and one cut
differently (at a gutter found anew) is read again. Nothing is keyed by a setting that might not
change the pixels, so a stale entry cannot be served.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .. import atomic
from ..model import Box
from .base import CharSpan, Recognition, Recognizer
from .crops import LineCrop

#: Bumped when the file's layout changes; old files are then ignored.
FORMAT = 1


def digest(*arrays: np.ndarray, extra: str = "") -> str:
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        h.update(str(a.shape).encode())
        h.update(np.ascontiguousarray(a).data)
    h.update(extra.encode())
    return h.hexdigest()


class PageCache:
    """One page's detections and readings, loaded on open and written back by `save`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.detections: dict[str, list[list[float]]] = {}
        self.readings: dict[str, list[list]] = {}
        self.changed = False
        try:
            data = json.loads(gzip.decompress(path.read_bytes()))
        except (OSError, ValueError, EOFError):
            return
        if data.get("format") == FORMAT:
            self.detections = data.get("detections", {})
            self.readings = data.get("readings", {})

    def quads(self, key: str) -> list[np.ndarray] | None:
        flat = self.detections.get(key)
        return None if flat is None else [np.asarray(q, dtype=np.float32).reshape(4, 2) for q in flat]

    def keep_quads(self, key: str, quads: list[np.ndarray]) -> None:
        self.detections[key] = [[float(v) for v in q.reshape(-1)] for q in quads]
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        body = {"format": FORMAT, "detections": self.detections, "readings": self.readings}
        atomic.write_bytes(self.path, gzip.compress(json.dumps(body, ensure_ascii=False).encode(), mtime=0))
        self.changed = False


class CachedRecognizer:
    """A recogniser that answers from the page's cache and asks the engine only for new crops."""

    def __init__(self, inner: Recognizer, page: PageCache) -> None:
        self.inner = inner
        self.page = page
        self.name = inner.name

    def describe(self) -> dict[str, str]:
        return self.inner.describe()

    def recognize(self, crops: Sequence[LineCrop]) -> list[Recognition]:
        keys = [digest(c.image, extra=f"v{int(c.vertical)}") for c in crops]
        missing = sorted({k: i for i, k in enumerate(keys) if k not in self.page.readings}.values())
        if missing:
            for i, rec in zip(missing, self.inner.recognize([crops[i] for i in missing]), strict=True):
                self.page.readings[keys[i]] = [[c.char, c.x0, c.x1, c.confidence] for c in rec.chars]
            self.page.changed = True
        return [Recognition([CharSpan(ch, x0, x1, conf) for ch, x0, x1, conf in self.page.readings[k]])
                for k in keys]


class LineCache:
    """A folder of page caches, shared by every run (and worker) pointed at it."""

    def __init__(self, folder: str | Path, models: dict[str, str]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.models = hashlib.sha256(json.dumps(models, sort_keys=True).encode()).hexdigest()[:16]

    def page(self, sha256: str, page_index: int, crop: Box | None = None) -> PageCache:
        """The cache of a page of a scan, or of one page of a spread (`crop`, its box in the scan)."""
        part = "" if crop is None else f"-{crop.x0:.0f},{crop.y0:.0f},{crop.x1:.0f},{crop.y1:.0f}"
        return PageCache(self.folder / f"{sha256}-{page_index}{part}-{self.models}.json.gz")

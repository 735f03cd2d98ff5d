"""Find and load the scan an ALTO file was made from, or say why it cannot be found.

ALTO names its image by file name only. A batch's completion records (OUTDIR/.layoutkit/*.json)
hold the absolute path and sha256 of each input and which of its pages each ALTO file shows; a
scan is looked for there, then in the folders a user names because the scans have moved (by file
name, the sha256 telling same-named files apart), then beside the ALTO file. The scan is only
ever read here, never served as a path a client names.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..batch import RECORDS
from ..io.images import file_sha256, is_image_path


@dataclass(frozen=True, slots=True)
class Recorded:
    """Where a batch read one page: the input file, the page's index in it, the file's sha256."""

    path: Path
    index: int
    sha256: str | None
    record: Path


@dataclass(frozen=True, slots=True)
class Found:
    """The scan as (file, page index), or None and why not, in words a user can act on; `sha256`
    is what the file must still hash to, where that was not checked in finding it."""

    scan: tuple[Path, int] | None
    why: str | None = None
    sha256: str | None = None


def recorded_scans(outdir: Path) -> dict[str, Recorded]:
    """ALTO file name -> where its page was read, from a batch's completion records."""
    found: dict[str, Recorded] = {}
    for rec in sorted((outdir / RECORDS).glob("*.json")):
        try:
            data = json.loads(rec.read_text("utf-8"))
            for index, page in enumerate(data.get("pages", [])):
                # A page cut from a spread names its own image, with the sha256 of that image.
                found[Path(page["alto"]).name] = Recorded(Path(page["image"]), page.get("image_index", index),
                                                          page.get("sha256", data.get("input_sha256")), rec)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


class ScanFinder:
    """Finds the scans of one output folder; `folders` are where moved scans may be now."""

    def __init__(self, outdir: Path, folders: Sequence[Path] = ()) -> None:
        self.records = recorded_scans(outdir)
        self.folders = list(folders)
        self._sha256: dict[Path, str] = {}

    @cached_property
    def _by_name(self) -> dict[str, list[Path]]:
        """Every image or PDF under the folders by file name: walked once, however many pages."""
        names: dict[str, list[Path]] = {}
        for folder in self.folders:
            for root, _dirs, files in os.walk(folder):
                for name in sorted(files):
                    if is_image_path(Path(name)):
                        names.setdefault(name, []).append(Path(root) / name)
        return names

    def _same_file(self, path: Path, sha256: str | None) -> bool:
        if sha256 is None:
            return True
        if path not in self._sha256:
            try:
                self._sha256[path] = file_sha256(path)
            except OSError:
                return False
        return self._sha256[path] == sha256

    def find(self, alto: Path, image_name: str) -> Found:
        rec = self.records.get(alto.name)
        if rec and rec.path.is_file():
            return Found((rec.path, rec.index), sha256=rec.sha256)
        name = rec.path.name if rec else Path(image_name).name
        if not name:
            return Found(None, f"{alto.name} names no image, and no batch record holds it")
        candidates = [p for p in (*self._by_name.get(name, []), alto.parent / name) if p.is_file()]
        match = next((p for p in candidates if self._same_file(p, rec.sha256 if rec else None)), None)
        if match is not None:
            return Found((match, rec.index if rec else 0))
        if rec:
            why = f"scan {rec.path} (recorded in {rec.record}) not found"
        else:
            why = f"no batch record of {alto.name}'s scan in {alto.parent / RECORDS}, and no {name} beside it"
        if candidates:
            why += f"; {', '.join(map(str, candidates))} is another file (sha256 differs)"
        elif self.folders:
            why += f", nor {name} in {', '.join(map(str, self.folders))}"
        return Found(None, why)

    def changed(self, found: Found) -> str | None:
        """Why the scan found is not the one the page was made from (the file was replaced since
        the run), or None. Reads the whole file: called when its pixels are wanted anyway."""
        if found.scan is None or self._same_file(found.scan[0], found.sha256):
            return None
        return f"{found.scan[0]} has changed since the run (its sha256 is not the recorded one)"

"""Resolve model files from the manifest, offline, and verify them by sha256.

A model is only ever read from a folder the user names or from the registry package that carries
it: air-gapped library servers have no hub to fetch from, and a silently swapped file would change
every page's text without a trace in the ALTO provenance.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import ModelError

#: Package data, so that an installed wheel carries it: models/README.md is its human record.
MANIFEST = resources.files(__package__) / "manifest.json"


@dataclass(frozen=True, slots=True)
class ModelEntry:
    name: str
    role: str
    file: str
    sha256: str
    package: str
    package_version: str
    package_path: str
    upstream: str
    licence: str
    engine: str = "ppocr"

    def provenance(self) -> str:
        """One line for ALTO's Processing record."""
        return f"{self.file} sha256:{self.sha256} ({self.package} {self.package_version}, {self.licence})"


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    entry: ModelEntry
    path: Path | None
    status: str  # "ok" | "missing" | "sha256 mismatch"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def manifest_entry(name: str) -> ModelEntry:
    entries = {e.name: e for e in load_manifest()}
    if name not in entries:
        raise ModelError(f"no model named {name!r} in {MANIFEST}")
    return entries[name]


def load_manifest(path: Traversable = MANIFEST) -> list[ModelEntry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model manifest ({exc.strerror or exc})") from exc
    return [ModelEntry(**item) for item in data["models"]]


def _candidates(entry: ModelEntry, model_dir: Path | None) -> list[Path]:
    paths: list[Path] = []
    for folder in (model_dir, os.environ.get("LAYOUTKIT_MODEL_DIR")):
        if folder:
            paths.append(Path(folder) / entry.file)
    try:
        dist = importlib.metadata.distribution(entry.package)
    except importlib.metadata.PackageNotFoundError:
        return paths
    paths.append(Path(str(dist.locate_file(entry.package_path))))
    return paths


@cache
def _sha256(path: Path, mtime: float, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve(entry: ModelEntry, model_dir: Path | None = None) -> ResolvedModel:
    """The first file found wins; a wrong one is reported, never passed over for the next."""
    for path in _candidates(entry, model_dir):
        if not path.is_file():
            continue
        st = path.stat()
        if _sha256(path, st.st_mtime, st.st_size) == entry.sha256:
            return ResolvedModel(entry, path, "ok")
        return ResolvedModel(entry, path, "sha256 mismatch")
    return ResolvedModel(entry, None, "missing")


def model_path(name: str, model_dir: Path | None = None) -> Path:
    """The verified path of one model, or a ModelError that says how to get it."""
    res = resolve(manifest_entry(name), model_dir)
    if res.ok and res.path is not None:
        return res.path
    e = res.entry
    if res.status == "missing":
        raise ModelError(f"model {e.name} ({e.file}) not found: install {e.package}=={e.package_version} "
                         f"(pip) or put the file in a folder named by --model-dir / LAYOUTKIT_MODEL_DIR")
    raise ModelError(f"model {e.name} at {res.path} does not match the manifest sha256 {e.sha256}")

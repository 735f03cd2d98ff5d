"""What an installed wheel relies on, checked in-process; scripts/wheel_check.sh builds and runs one.

A file the package reads at run time but the wheel leaves out works in a source checkout and
fails only after `pip install`, so the package data and the records kept beside it are held to
what the code reads here.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.metadata
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

from lxml import etree

from layoutkit.ocr.models import MANIFEST, load_manifest
from tests.conftest import ROOT, SCHEMAS

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _table_rows(readme: Path) -> list[list[str]]:
    """The body rows of the Markdown tables in `readme`, cells stripped of backticks."""
    rows = [[c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            for line in readme.read_text("utf-8").splitlines() if line.startswith("| `")]
    assert rows, f"{readme}: no table rows"
    return rows


def test_manifest_read_from_the_package():
    assert resources.files("layoutkit.ocr").joinpath("manifest.json") == MANIFEST
    names = [e.name for e in load_manifest()]
    assert len(names) == len(set(names)) and {"ppocr-det", "ppocr-rec", "ppocr-cls"} <= set(names)


def test_every_data_file_in_the_package_is_package_data():
    """setuptools puts only the listed globs in the wheel: a data file outside them is lost on install."""
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["layoutkit"]
    package_dir = ROOT / "layoutkit"
    data = [p.relative_to(package_dir).as_posix() for p in package_dir.rglob("*")
            if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts]
    assert "ocr/manifest.json" in data
    assert [f for f in data if not any(fnmatch.fnmatch(f, g) for g in globs)] == []


def test_models_readme_records_the_manifest():
    """models/README.md is the human record of the packaged manifest; they must not drift apart."""
    recorded = {(name, engine, file, carried, licence, sha)
                for name, engine, file, carried, _upstream, licence, sha in _table_rows(ROOT / "models" / "README.md")}
    manifest = {(e.name, e.engine, e.file, f"{e.package}=={e.package_version}", e.licence, e.sha256)
                for e in load_manifest()}
    assert recorded == manifest


def test_version_from_installed_metadata():
    """`python -m layoutkit --version` (the module entry point) says what pip installed and pyproject declares."""
    res = subprocess.run([sys.executable, "-m", "layoutkit", "--version"], capture_output=True, text=True,
                         timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    installed = importlib.metadata.version("layoutkit")
    assert res.stdout.strip() == f"layoutkit {installed}"
    assert installed == PYPROJECT["project"]["version"]


def test_vendored_schemas_as_recorded_and_compile_offline():
    """The sha256 in schemas/README.md are those of the registry packages' files; a checkout that
    rewrote line ends (or a hand edit) would validate against something else."""
    recorded = {row[0]: row[3] for row in _table_rows(SCHEMAS / "README.md") if row[0].endswith(".xsd")}
    on_disk = sorted(p.name for p in SCHEMAS.glob("*.xsd"))
    assert sorted(recorded) == on_disk
    for name in on_disk:
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == recorded[name], name
    # ALTO imports XLink by its Library of Congress URL: only the catalog (set by conftest) answers it.
    for name in ("alto-4-4.xsd", "mets.xsd"):
        etree.XMLSchema(etree.parse(str(SCHEMAS / name), etree.XMLParser(no_network=True)))


def test_trained_models_as_recorded():
    """models/trained.md names each model layoutkit trains itself and the sha256 the package carries."""
    rows = {r[0]: r for r in _table_rows(ROOT / "models" / "trained.md")}
    for name, package, file in (("roles-model", "layoutkit.layout", "roles_model.txt"),
                                ("order-model", "layoutkit.structure", "order_model.txt")):
        data = resources.files(package).joinpath(file).read_bytes()
        assert rows[name][1] == f"layoutkit/{package.split('.')[1]}/{file}"
        assert rows[name][-1] == hashlib.sha256(data).hexdigest(), name

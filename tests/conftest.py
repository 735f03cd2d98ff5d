"""Shared fixtures: the real models, rendered pages, and the schemas that outputs must meet."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The official schemas, vendored with an offline catalog (schemas/README.md): every clone has them.
SCHEMAS = ROOT / "schemas"
#: Evaluation data beside the project's own checkout. LAYOUTKIT_SHARED names another place, or
#: one that does not exist to see what a user's clone runs.
SHARED = Path(os.environ.get("LAYOUTKIT_SHARED") or ROOT.parent / "shared")
EVAL = SHARED / "eval"

# libxml2 reads the catalogs lazily, on the first schema import it resolves: name ours before any,
# ahead of any the environment already names.
os.environ["XML_CATALOG_FILES"] = " ".join(
    filter(None, [(SCHEMAS / "catalog.xml").as_uri(), os.environ.get("XML_CATALOG_FILES")]))


def need_shared(path: Path, why: str = "the real scans of ../shared/eval/ exist only beside the project's own "
                                       "checkout, not on a user's machine") -> Path:
    if not path.exists():
        pytest.skip(f"{path} not found: {why}")
    return path


def schema_path(name: str) -> Path:
    vendored = SCHEMAS / name
    if vendored.is_file():
        return vendored
    return need_shared(SHARED / "schemas" / name, f"no registry package carries the official {name}, so it is not "
                                                  "vendored (schemas/README.md) and only ../shared/schemas/ has it")


@pytest.fixture(scope="session")
def pipeline():
    from layoutkit.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def alto_schema(schema):
    return schema("alto-4-4.xsd")


@pytest.fixture
def assert_valid_alto(alto_schema):
    from lxml import etree

    def check(data: bytes | Path) -> etree._ElementTree:
        raw = data.read_bytes() if isinstance(data, Path) else data
        doc = etree.ElementTree(etree.fromstring(raw))
        if not alto_schema.validate(doc):
            raise AssertionError(f"ALTO invalid: {alto_schema.error_log}")
        return doc

    return check


@pytest.fixture(scope="session")
def chinese_corpus() -> dict:
    import json

    return json.loads((ROOT / "samples" / "corpus" / "changji-2025-11-26.zh.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def chinese_paragraphs(chinese_corpus) -> list[str]:
    return [p for section in chinese_corpus["lead"]["sections"] for p in section["paragraphs"]]


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """`layoutkit run samples/` once for the session, every output format and a METS file (the
    searchable PDF where the ocrmypdf extra that renders it is installed)."""
    import importlib.util
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("samples-out")
    formats = "alto,page,text,json,hocr" + (",pdf" if importlib.util.find_spec("ocrmypdf") else "")
    res = subprocess.run([sys.executable, "-m", "layoutkit", "run", str(ROOT / "samples"), "-o", str(out), "-q",
                          "--format", formats, "--mets", str(out / "issue.mets.xml")],
                         capture_output=True, text=True, timeout=900, check=False)
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="session")
def schema():
    from lxml import etree

    @cache
    def load(name: str) -> etree.XMLSchema:
        return etree.XMLSchema(etree.parse(str(schema_path(name))))

    return load


@pytest.fixture(scope="session")
def page_schema(schema):
    """PAGE 2019 (vendored in schemas/): a test asks for it before the outputs it checks, so that
    where a schema were absent the test would skip without making them."""
    return schema("pagecontent-2019-07-15.xsd")

"""The OCR-D processor through OCR-D's own clients: `ocrd workspace` makes a workspace of the
samples, `ocrd-layoutkit` and `ocrd process` run on it, `ocrd workspace validate` judges the result.

The processor runs once per module (each page's OCR once; later runs read the lines it cached), and
its PAGE is held to what `layoutkit run --format page` writes for the same image: the same typed
regions in the same places, the same text and the same reading order.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from layoutkit.export.page import to_page_xml
from layoutkit.model import Block, BlockType, Box, Direction, Glyph, Page, Source, String, TextLine
from tests.conftest import EVAL, ROOT, need_shared

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
TOOL = ROOT / "layoutkit" / "ocrd" / "ocrd-tool.json"
NS = {"pc": "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"}
SAMPLES = [ROOT / "samples" / "changji-2025-11-26.png", ROOT / "samples" / "talbote-2025-11-26.png"]
#: A real Fraktur scan (NZZ of 1780), where the evaluation scans are beside the checkout.
FRAKTUR = EVAL / "nzz" / "nzz_17800719_0_0_a1_p1_1.tif"


def _need_ocrd() -> None:
    pytest.importorskip("ocrd", reason="OCR-D core is the optional extra .[ocrd] (scripts/test.sh installs it)")


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """PATH and PYTHONPATH under which `ocrd-layoutkit` is this checkout's processor.

    The command is the console script pyproject declares, written as pip writes it, so that the
    tests run this checkout's entry point whether or not the environment was installed from it.
    """
    _need_ocrd()
    module, func = PYPROJECT["project"]["scripts"]["ocrd-layoutkit"].split(":")
    bin_dir = tmp_path_factory.mktemp("bin")
    script = bin_dir / "ocrd-layoutkit"
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom {module} import {func}\nsys.exit({func}())\n")
    script.chmod(0o755)
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return os.environ | {"PATH": path, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                                    os.environ.get("PYTHONPATH")]))}


def _run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 1800) -> subprocess.CompletedProcess:
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert res.returncode == 0, f"{' '.join(cmd)} exited {res.returncode}:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return res


@dataclass
class Workspace:
    root: Path
    images: dict[str, Path]  # stem -> the image in the workspace
    validation: str  # `ocrd workspace validate`'s report
    reference: Path  # `layoutkit run --format page` of the same images

    def page(self, grp: str, stem: str) -> etree._ElementTree:
        pages = {}
        for f in (self.root / grp).glob("*.xml"):
            tree = etree.parse(str(f))
            pages[Path(tree.find(".//pc:Page", NS).get("imageFilename")).stem] = tree
        return pages[stem]


def _blank_derived_images(ws: Path, src: str, grp: str) -> None:
    """A file group as a binarisation step leaves it: each page's PAGE names a derived image
    (AlternativeImage, `binarized`). Here that image is blank, so a processor that read it instead
    of the original would find no text at all."""
    from ocrd import Resolver
    from ocrd_modelfactory import page_from_file
    from ocrd_models.ocrd_page import AlternativeImageType, to_xml
    from ocrd_utils import MIMETYPE_PAGE, pushd_popd
    from PIL import Image

    with pushd_popd(ws):
        workspace = Resolver().workspace_from_url(str(ws / "mets.xml"))
        for f in list(workspace.mets.find_files(fileGrp=src)):
            pcgts = page_from_file(f)
            page = pcgts.get_Page()
            blank = Image.new("L", (page.get_imageWidth(), page.get_imageHeight()), 255)
            path = workspace.save_image_file(blank, f"{grp}_{f.pageId}_IMG", grp, page_id=f.pageId)
            page.add_AlternativeImage(AlternativeImageType(filename=path, comments="binarized"))
            pcgts.set_pcGtsId(f"{grp}_{f.pageId}")
            workspace.add_file(grp, file_id=f"{grp}_{f.pageId}", page_id=f.pageId, mimetype=MIMETYPE_PAGE,
                               local_filename=f"{grp}/{grp}_{f.pageId}.xml", content=to_xml(pcgts))
        workspace.save_mets()


@pytest.fixture(scope="module")
def workspace(env, tmp_path_factory) -> Workspace:
    """A workspace of the samples (and the Fraktur scan where it exists), processed by
    `ocrd-layoutkit` on the images and through `ocrd process` on PAGE files with derived images,
    then validated."""
    ws = tmp_path_factory.mktemp("ws")
    cache = tmp_path_factory.mktemp("lines")
    ocrd = str(Path(sys.executable).parent / "ocrd")
    _run([ocrd, "workspace", "init"], env, ws)
    # OCR-D requires a unique identifier for the document (https://ocr-d.de/en/spec/mets).
    _run([ocrd, "workspace", "set-id", "layoutkit-samples"], env, ws)
    (ws / "OCR-D-IMG").mkdir()
    images = {}
    for n, src in enumerate(SAMPLES + ([FRAKTUR] if FRAKTUR.exists() else []), start=1):
        shutil.copy(src, ws / "OCR-D-IMG" / src.name)
        _run([ocrd, "workspace", "add", "-G", "OCR-D-IMG", "-i", f"IMG_{n:04d}", "-g", f"PHYS_{n:04d}",
              f"OCR-D-IMG/{src.name}"], env, ws)
        images[src.stem] = ws / "OCR-D-IMG" / src.name
    _run(["ocrd-layoutkit", "-m", "mets.xml", "-I", "OCR-D-IMG", "-O", "OCR-D-LAYOUTKIT",
          "-P", "cache_dir", str(cache)], env, ws)
    # A workflow: PAGE files in (from OCR-D's bare processor), each with a derived image that the
    # processor must pass over for the original, then layoutkit as a step of `ocrd process`.
    _run([ocrd, "process", "-m", "mets.xml", "dummy -I OCR-D-IMG -O OCR-D-DUMMY"], env, ws)
    _blank_derived_images(ws, "OCR-D-DUMMY", "OCR-D-BIN")
    _run([ocrd, "process", "-m", "mets.xml", f"layoutkit -I OCR-D-BIN -O OCR-D-LK -P cache_dir {cache}"], env, ws)
    # Skipped: `url`. `ocrd workspace add` writes a local image both as a file and as a URL
    # FLocat holding the bare relative path, which this check then calls a non-URI URL
    # (OCR-D/core#1179, open); it concerns the images OCR-D core added, not what the processor wrote.
    res = subprocess.run([ocrd, "workspace", "validate", "-s", "url"], cwd=ws, env=env, capture_output=True,
                         text=True, timeout=600, check=False)
    reference = tmp_path_factory.mktemp("reference")
    _run([sys.executable, "-m", "layoutkit", "run", *map(str, images.values()), "-o", str(reference),
          "--format", "page", "--spreads", "keep", "--cache", str(cache), "-q"], env, ws)
    return Workspace(ws, images, res.stdout + res.stderr, reference)


def test_ocrd_tool_json_valid_and_matches_the_package(env):
    """OCR-D's validator accepts the tool description; it names the console script pyproject
    installs and the version the package has."""
    res = _run([str(Path(sys.executable).parent / "ocrd"), "ocrd-tool", str(TOOL), "validate"], env, ROOT)
    assert 'valid="true"' in res.stdout, res.stdout
    tool = json.loads(TOOL.read_text("utf-8"))
    assert tool["version"] == PYPROJECT["project"]["version"]
    assert list(tool["tools"]) == ["ocrd-layoutkit"] and "ocrd-layoutkit" in PYPROJECT["project"]["scripts"]
    params = tool["tools"]["ocrd-layoutkit"]["parameters"]
    assert {"engine", "lang", "deskew", "spreads"} <= set(params)
    assert all("default" in p for p in params.values())


def test_processor_reads_its_tool_json_from_the_package(env, tmp_path):
    """`--dump-json` is what the package carries (OCR-D core adds the schema's defaults to it)."""
    res = _run(["ocrd-layoutkit", "--dump-json"], env, tmp_path)
    dumped, tool = json.loads(res.stdout), json.loads(TOOL.read_text("utf-8"))["tools"]["ocrd-layoutkit"]
    assert {k: dumped[k] for k in tool if k != "parameters"} == {k: v for k, v in tool.items() if k != "parameters"}
    assert {k: p["default"] for k, p in dumped["parameters"].items()} == {
        k: p["default"] for k, p in tool["parameters"].items()}
    assert "ocrd-layoutkit" in _run(["ocrd-layoutkit", "--help"], env, tmp_path).stdout


def test_without_ocrd_the_command_names_the_extra():
    """Installed without the extra, the command says what to install instead of an import trace."""
    code = ("import sys; sys.modules['ocrd'] = None; sys.modules['ocrd.decorators'] = None\n"
            "from layoutkit.ocrd.cli import main; main()")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                         env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert res.returncode != 0 and "pip install 'layoutkit[ocrd]'" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr


def _line(text_parts: list[tuple[str, bool]], x0: float, y0: float, direction: Direction = Direction.LTR,
          hyphen_last: bool = False) -> TextLine:
    """A line of Strings with a glyph per character, each character 20 px wide, 30 px high."""
    strings, x = [], x0
    for n, (text, space) in enumerate(text_parts):
        glyphs = [Glyph(c, Box(x + 20 * k, y0, x + 20 * (k + 1), y0 + 30), 0.9) for k, c in enumerate(text)]
        strings.append(String(text, Box(x, y0, x + 20 * len(text), y0 + 30), 0.8, glyphs, space_after=space,
                              hyphenated=hyphen_last and n == len(text_parts) - 1))
        x += 20 * len(text) + (10 if space else 0)
    # The line's outline a little lower than its words: the writer cuts them to it.
    return TextLine([(x0, y0 + 2), (x, y0 + 2), (x, y0 + 31), (x0, y0 + 31)], direction, strings)


@pytest.fixture(scope="module")
def token_page() -> bytes:
    latin = Block("tb1", BlockType.BODY, [(0, 0), (600, 0), (600, 100), (0, 100)], order=0, lines=[
        _line([("Mittwoch", False), (",", True), ("26", False), (".", True), ("vorge", False)], 10, 10,
              hyphen_last=True)])
    cjk = Block("tb2", BlockType.HEADLINE, [(0, 100), (600, 100), (600, 200), (0, 200)], order=1, lines=[
        _line([("星期三", True), ("农历乙巳年", False)], 10, 110)])
    rtl = Block("tb3", BlockType.HEADLINE, [(0, 200), (600, 200), (600, 300), (0, 300)], order=2,
                direction=Direction.RTL, lines=[_line([("報晶", True), ("刊", False)], 10, 210, Direction.RTL)])
    page = Page(600, 300, Source("x.png", ""), blocks=[latin, cjk, rtl])
    return to_page_xml(page, confidences=True, tokens=True)


def test_tokens_follow_ocrd_conventions(token_page, page_schema):
    """Words are whitespace-delimited tokens, so a line's text is its Words joined by spaces; a
    hyphenated token has no glyph for its hyphen and so no Glyphs; confidences are on TextEquiv."""
    doc = etree.fromstring(token_page)
    page_schema.assertValid(doc)

    def words(line_id: str) -> list[str]:
        line = doc.find(f".//pc:TextLine[@id='{line_id}']", NS)
        return [w.findtext("pc:TextEquiv/pc:Unicode", namespaces=NS) for w in line.iterfind("pc:Word", NS)]

    assert words("tb1_l1") == ["Mittwoch,", "26.", "vorge-"]
    assert words("tb2_l1") == ["星期三", "农历乙巳年"]
    hyphenated = doc.find(".//pc:Word[@id='tb1_l1_w3']", NS)
    assert hyphenated.find("pc:Glyph", NS) is None
    assert len(doc.findall(".//pc:Word[@id='tb1_l1_w1']/pc:Glyph", NS)) == 9
    confs = [float(e.get("conf")) for e in doc.iterfind(".//pc:TextEquiv", NS)]
    assert confs and all(0 <= c <= 1 for c in confs)


def test_tokens_pass_ocrd_page_validation(token_page):
    """OCR-D's own PAGE validator, strict: text consistent from regions down to glyphs, a
    right-to-left line's included, and each element within its parent."""
    _need_ocrd()
    from ocrd_models.ocrd_page import parseString
    from ocrd_validators.page_validator import PageValidator

    report = PageValidator.validate(ocrd_page=parseString(token_page, silence=True),
                                    page_textequiv_consistency="strict", check_coords=True)
    assert report.is_valid, report.to_xml()
    rtl = etree.fromstring(token_page).find(".//pc:TextLine[@id='tb3_l1']", NS)
    assert [w.findtext("pc:TextEquiv/pc:Unicode", namespaces=NS) for w in rtl.iterfind("pc:Word", NS)] == [
        "報晶", "刊"]


@pytest.mark.slow
def test_workspace_validates(workspace):
    assert '<report valid="true">' in workspace.validation, workspace.validation
    assert "<error>" not in workspace.validation


@pytest.mark.slow
def test_every_page_processed_in_both_groups(workspace):
    mets = etree.parse(str(workspace.root / "mets.xml"))
    mets_ns = {"mets": "http://www.loc.gov/METS/"}
    for grp in ("OCR-D-LAYOUTKIT", "OCR-D-LK"):
        files = mets.findall(f".//mets:fileGrp[@USE='{grp}']/mets:file", mets_ns)
        assert len(files) == len(workspace.images), grp
        assert {f.get("MIMETYPE") for f in files} == {"application/vnd.prima.page+xml"}


@pytest.mark.slow
@pytest.mark.parametrize("grp", ["OCR-D-LAYOUTKIT", "OCR-D-LK"])
def test_page_valid_and_in_the_workspace_image(workspace, grp, page_schema):
    """PAGE 2019, naming the workspace's image file, in that image's pixels."""
    from PIL import Image

    for stem, image in workspace.images.items():
        tree = workspace.page(grp, stem)
        page_schema.assertValid(tree)
        page = tree.find(".//pc:Page", NS)
        assert workspace.root / page.get("imageFilename") == image
        with Image.open(image) as img:
            assert (int(page.get("imageWidth")), int(page.get("imageHeight"))) == img.size
        # and what it is compared with below: `layoutkit run`'s PAGE, confidences included
        page_schema.assertValid(etree.parse(str(workspace.reference / f"{stem}.page.xml")))


def _regions(tree: etree._ElementTree) -> dict[str, tuple]:
    """Each region's tag, type, layoutkit type, outline, text and line texts, by ID."""
    out = {}
    for r in tree.iterfind(".//pc:Page//*[@id]", NS):
        tag = etree.QName(r).localname
        if not tag.endswith("Region"):
            continue
        lines = [ln.findtext("pc:TextEquiv/pc:Unicode", namespaces=NS) for ln in r.iterfind("pc:TextLine", NS)]
        out[r.get("id")] = (tag, r.get("type"), r.get("custom"), r.find("pc:Coords", NS).get("points"),
                            r.findtext("pc:TextEquiv/pc:Unicode", namespaces=NS), lines)
    return out


def _reading_order(tree: etree._ElementTree) -> list[tuple[str, list[str]]]:
    return [(g.get("caption"), [r.get("regionRef") for r in g.iterfind("pc:RegionRefIndexed", NS)])
            for g in tree.iterfind(".//pc:ReadingOrder/pc:OrderedGroup/pc:OrderedGroupIndexed", NS)]


def _relations(tree: etree._ElementTree) -> list[tuple[str, str, str, str]]:
    return [(r.get("type"), r.get("custom"), r.find("pc:SourceRegionRef", NS).get("regionRef"),
             r.find("pc:TargetRegionRef", NS).get("regionRef")) for r in tree.iterfind(".//pc:Relation", NS)]


@pytest.mark.slow
@pytest.mark.parametrize("grp", ["OCR-D-LAYOUTKIT", "OCR-D-LK"])
def test_same_regions_text_and_order_as_layoutkit_run(workspace, grp):
    """What the processor writes is what `layoutkit run --format page` writes for the image:
    regions, their types, outlines and text, lines, reading order by articles, relations."""
    for stem in workspace.images:
        ours = workspace.page(grp, stem)
        reference = etree.parse(str(workspace.reference / f"{stem}.page.xml"))
        assert _regions(ours) == _regions(reference), stem
        assert _reading_order(ours) == _reading_order(reference), stem
        assert _relations(ours) == _relations(reference), stem


@pytest.mark.slow
def test_regions_typed_and_read_in_order_on_the_chinese_sample(workspace):
    """The front page's masthead, headlines, body, photo with caption and credit, and column rules
    come out as PAGE's types; the reading order covers every text region once, by article."""
    tree = workspace.page("OCR-D-LAYOUTKIT", "changji-2025-11-26")
    regions = _regions(tree)
    text_types = {t for tag, t, *_ in regions.values() if tag == "TextRegion"}
    assert {"header", "heading", "paragraph", "caption", "credit"} <= text_types
    assert all(c and c.startswith("structure {type:") for _, _, c, *_ in regions.values())
    tags = {tag for tag, *_ in regions.values()}
    assert {"ImageRegion", "SeparatorRegion"} <= tags
    order = [rid for _, ids in _reading_order(tree) for rid in ids]
    assert len(order) == len(set(order)) and set(order) <= set(regions)
    for text in tree.iterfind(".//pc:TextRegion", NS):  # itself, or the advert or table holding it
        assert {r.get("id") for r in [text, *text.iterancestors()] if r.get("id")} & set(order), text.get("id")
    assert _reading_order(tree)[0][0] == "masthead"
    words = tree.findall(".//pc:Word", NS)
    assert words and all(w.find("pc:TextEquiv", NS).get("conf") for w in words)
    assert tree.findall(".//pc:Glyph", NS)


@pytest.mark.slow
def test_fraktur_scan_read(workspace):
    """A real Fraktur front page (NZZ, 1780) goes through the same way: text in every body region."""
    need_shared(FRAKTUR)
    tree = workspace.page("OCR-D-LAYOUTKIT", FRAKTUR.stem)
    regions = _regions(tree)
    body = [text for tag, t, _, _, text, _ in regions.values() if tag == "TextRegion" and t == "paragraph"]
    assert len(body) >= 5 and all(body)

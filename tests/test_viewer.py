"""The debug views on a real batch: overlay PNG pixels, the viewer's server, and the viewer driven
in headless Chromium (Debian's, through Playwright; scripts/test.sh installs both)."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layoutkit.cli import main
from layoutkit.io.images import load_pages
from layoutkit.io.readers import read_layout
from layoutkit.model import BlockType
from layoutkit.view.overlay import FILL_ALPHA
from layoutkit.view.scene import TYPE_COLOURS
from layoutkit.view.site import make_server
from samples.pagegen import compose
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHANGJI = "changji-2025-11-26"


@pytest.fixture(scope="module")
def batch(sample_run, tmp_path_factory) -> Path:
    """The samples' batch output, plus one ALTO file that is not XML at all."""
    out = tmp_path_factory.mktemp("viewer") / "out"
    shutil.copytree(sample_run, out)
    (out / "broken.alto.xml").write_text("<alto><Layout><Page", encoding="utf-8")
    return out


def _expected_fill(rgb: tuple[int, int, int]) -> np.ndarray:
    """White paper under a block's translucent fill."""
    a = FILL_ALPHA / 255
    return 255 * (1 - a) + np.array(rgb) * a


def _block_colour(png: np.ndarray, box, scale: float) -> np.ndarray:
    """The most common colour inside the block (its paper), away from its outline."""
    x0, y0, x1, y1 = (round(v * scale) for v in (box.x0, box.y0, box.x1, box.y1))
    inner = png[y0 + 6:y1 - 6, x0 + 6:x1 - 6].reshape(-1, 3)
    colours, counts = np.unique(inner, axis=0, return_counts=True)
    return colours[counts.argmax()].astype(float)


def test_overlay_fills_blocks_by_type(batch, tmp_path):
    alto = batch / f"{CHANGJI}.alto.xml"
    out = tmp_path / "overlay.png"
    assert main(["overlay", str(alto), "-o", str(out)]) == 0
    png = np.asarray(Image.open(out).convert("RGB"))
    page = read_layout(alto)
    scale = png.shape[0] / page.height
    assert png.shape[1] > page.width * scale  # the legend strip beside the page
    checked = set()
    for block in page.blocks:
        if block.type in (BlockType.BODY, BlockType.HEADLINE) and block.box.height * scale > 60:
            got = _block_colour(png, block.box, scale)
            assert np.abs(got - _expected_fill(TYPE_COLOURS[block.type])).max() <= 12, (block.id, got)
            checked.add(block.type)
    assert checked == {BlockType.BODY, BlockType.HEADLINE}


def test_type_colours_clearly_distinct():
    """Every two block types at least 20 apart in CIEDE2000 (kicker and subheadline were 3.8)."""
    from coloraide import Color

    colours = {t.value: Color("srgb", [v / 255 for v in rgb]) for t, rgb in TYPE_COLOURS.items()}
    close = [(a, b, round(ca.delta_e(cb, method="2000"), 1))
             for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2) if ca.delta_e(cb, method="2000") < 20]
    assert not close


def test_overlay_reads_tesseract_alto(tmp_path):
    if shutil.which("tesseract") is None:
        pytest.skip("Debian tesseract-ocr not installed (scripts/test.sh installs it)")
    corpus = compose.load_corpus("talbote-2025-11-26.de.json")
    image, _ = compose.text_columns_page(corpus["lead"]["paragraphs"], width=1400, height=1000, columns=2,
                                         font_px=28, margin=80, gutter=60, family="latin-serif")
    Image.fromarray(image).save(tmp_path / "page.png")
    subprocess.run(["tesseract", str(tmp_path / "page.png"), str(tmp_path / "page"), "-l", "deu", "alto"],
                   check=True, capture_output=True, timeout=120)
    assert main(["overlay", str(tmp_path / "page.xml"), "--image", str(tmp_path / "page.png"),
                 "-o", str(tmp_path / "t.png")]) == 0
    png = np.asarray(Image.open(tmp_path / "t.png").convert("RGB"))
    page = read_layout(tmp_path / "page.xml")
    text_blocks = [b for b in page.blocks if b.lines and b.box.height > 100]
    assert text_blocks
    # Tesseract types nothing: its blocks are drawn as body text.
    got = _block_colour(png, text_blocks[0].box, png.shape[0] / page.height)
    assert np.abs(got - _expected_fill(TYPE_COLOURS[BlockType.BODY])).max() <= 12


@pytest.fixture(scope="module")
def server(batch):
    srv = make_server(batch, 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_server_binds_loopback_and_serves_only_inside_outdir(server, batch, tmp_path):
    assert server.startswith("http://127.0.0.1:")
    status, body = _get(server + "/")
    assert status == 200 and b"viewer.js" in body and b"http" not in body.replace(b"http://www.w3.org", b"")
    status, body = _get(server + f"/files/{CHANGJI}.alto.xml")
    assert status == 200 and b"alto" in body
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    (batch / "link.txt").symlink_to(secret)
    rel = Path("..") / ".." / ".." / "etc" / "passwd"
    for attempt in (f"/files/{rel}", "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/files/..%2f..%2f..%2fetc%2fpasswd",
                    "/files//etc/passwd", "/files/link.txt", "/../../etc/passwd", "/img/../../etc/passwd",
                    f"/files/{secret}"):
        status, body = _get(server + attempt)
        assert status == 404 and b"root:" not in body and b"not yours" not in body, attempt


def test_server_survives_a_malformed_alto(server):
    status, body = _get(server + "/data/pages.js")
    assert status == 200
    text = body.decode("utf-8")
    assert '"name": "broken"' in text and "not a readable XML file" in text
    assert text.count('"error": null') == 4  # the four sample pages
    # Pages are listed by file name: the broken one is p1, the first sample p2.
    status, body = _get(server + "/data/p1.js")
    assert status == 200 and b'"error"' in body and b'"blocks"' not in body
    status, body = _get(server + "/data/p2.js")
    assert status == 200 and b'"blocks"' in body
    status, body = _get(server + "/img/p2.jpg")
    assert status == 200 and body[:3] == b"\xff\xd8\xff"
    assert _get(server + "/img/p1.jpg")[0] == 404


def _browser():
    if importlib.util.find_spec("playwright") is None or not CHROMIUM.exists():
        pytest.skip("needs Debian chromium and the playwright package (scripts/test.sh installs both)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"])
    return pw, browser


def test_viewer_in_chromium(server):
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server + "/")
        page.wait_for_selector("#overlay polygon.block")
        names = page.locator("#page-list li").all_inner_texts()
        assert len(names) == 5 and any("broken" in n for n in names)
        first = page.locator("#page-name").inner_text()

        # Layers: lines are off at first, on after the toggle.
        lines = page.locator('g.layer[data-layer="lines"]')
        assert not lines.is_visible()
        page.check('input[data-layer="lines"]')
        assert lines.is_visible() and page.locator("polygon.line").count() > 50
        # Article colours: off at first; on, each block is filled with its article's colour.
        areas = page.locator('g.layer[data-layer="areas"]')
        assert not areas.is_visible()
        page.check('input[data-layer="areas"]')
        assert areas.is_visible()
        fills = page.locator("polygon.area").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
        strokes = page.locator("polygon.article").evaluate_all("ps => ps.map(p => p.getAttribute('stroke'))")
        assert fills and fills == strokes and len(set(fills)) > 1
        page.uncheck('input[data-layer="areas"]')

        # Hover a headline: the tooltip shows its type and text.
        headline = page.locator('polygon.block[data-type="headline"]').first
        headline.hover(position={"x": 4, "y": 4})
        tip = page.locator("#tooltip")
        tip.wait_for(state="visible")
        assert tip.inner_text().startswith("headline")
        assert "confidence" in tip.inner_text()

        # Click it: the side panel shows its ID, type and article.
        block_id = headline.get_attribute("data-id")
        headline.click(position={"x": 4, "y": 4})
        details = page.locator("#block-details")
        assert details.locator('dd[data-field="ID"]').inner_text() == block_id
        assert details.locator('dd[data-field="type"]').inner_text() == "headline"
        assert page.locator("#masthead dt").count() >= 8
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viewer.png"))

        # Next page, then the broken one shows its error and the viewer still works.
        page.click("#next")
        page.wait_for_function(f"document.getElementById('page-name').textContent !== {first!r}")
        assert page.locator("#page-name").inner_text() != first
        page.locator("#page-list li", has_text="broken").click()
        assert "not a readable XML file" in page.locator("#error").inner_text()
        page.locator("#page-list li").nth(1).click()
        page.wait_for_selector("#overlay polygon.block")
        assert all(u.startswith(server) for u in requests)
    finally:
        browser.close()
        pw.stop()


def test_static_viewer_opens_from_disk(batch, tmp_path):
    dest = tmp_path / "static"
    assert main(["view", str(batch), "--static", str(dest)]) == 0
    assert (dest / "index.html").is_file() and (dest / "img" / "p2.jpg").is_file()
    pw, browser = _browser()
    try:
        page = browser.new_page()
        page.goto((dest / "index.html").as_uri())
        page.wait_for_selector("#overlay polygon.block")
        assert page.locator("#text p").count() > 10
    finally:
        browser.close()
        pw.stop()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`layoutkit` started from `cwd`, as a user in another folder starts it."""
    return subprocess.run([sys.executable, "-m", "layoutkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def pdf_run(tmp_path_factory) -> Path:
    """A two-page PDF (pages of two heights) run from its own folder with relative paths."""
    root = tmp_path_factory.mktemp("pdf-run")
    (root / "scans").mkdir()
    paragraphs = compose.load_corpus("talbote-2025-11-26.de.json")["lead"]["paragraphs"]
    pages = [Image.fromarray(compose.text_columns_page(paragraphs[i:i + 1], width=900, height=420 + 200 * i,
                                                       font_px=28, margin=40, family="latin-serif")[0][:, :, ::-1])
             for i in range(2)]
    pages[0].save(root / "scans" / "issue.pdf", save_all=True, append_images=pages[1:], resolution=150)
    res = _cli("run", "scans/issue.pdf", "-o", "out", "-q", cwd=root)
    assert res.returncode == 0, res.stderr
    return root


def _shows_both_pages(static: Path, pdf: Path) -> bool:
    """The previews are the PDF's two pages, told apart by their heights."""
    heights = [page.height for page in load_pages(pdf)]
    return heights[0] != heights[1] and heights == [Image.open(static / "img" / f"p{i}.jpg").height for i in (1, 2)]


def test_static_viewer_of_a_pdf_from_another_folder_has_every_page(pdf_run, tmp_path):
    """The records name the scan by its absolute path, so the viewer finds it from any folder, and
    the second page's preview is the PDF's second page."""
    res = _cli("view", str(pdf_run / "out"), "--static", "static", cwd=tmp_path)
    assert res.returncode == 0 and "warning" not in res.stderr, res.stderr
    assert _shows_both_pages(tmp_path / "static", pdf_run / "scans" / "issue.pdf")
    assert (tmp_path / "static" / "img" / "p2.thumb.jpg").is_file()


def _dark_share(png: Path) -> float:
    """Share of the page's pixels (the legend strip left out) dark enough to be the scan's ink."""
    grey = np.asarray(Image.open(png).convert("L"))
    return float((grey[:, : grey.shape[1] * 3 // 4] < 160).mean())


def test_moved_scans_are_named_and_found_with_images(pdf_run, tmp_path):
    scan = pdf_run / "scans" / "issue.pdf"
    moved = tmp_path / "moved"
    shutil.move(pdf_run / "scans", moved)
    try:
        res = _cli("view", str(pdf_run / "out"), "--static", "white", cwd=tmp_path)
        assert res.returncode == 0
        assert res.stderr.count(f"scan {scan} (recorded in") == 2 and "--images DIR" in res.stderr
        assert not (tmp_path / "white" / "img").exists()
        pages = (tmp_path / "white" / "data" / "pages.js").read_text("utf-8")
        listed = json.loads(pages.split("=", 1)[1].strip().rstrip(";"))
        assert all(str(scan) in p["scan_error"] and p["image"] is None for p in listed)

        res = _cli("view", str(pdf_run / "out"), "--static", "found", "--images", "moved", cwd=tmp_path)
        assert res.returncode == 0 and "warning" not in res.stderr, res.stderr
        assert _shows_both_pages(tmp_path / "found", moved / "issue.pdf")

        alto = str(pdf_run / "out" / "issue_p0002.alto.xml")
        res = _cli("overlay", alto, "-o", "white.png", cwd=tmp_path)
        assert res.returncode == 0 and f"warning: drawn on a white page: scan {scan}" in res.stderr
        res = _cli("overlay", alto, "-o", "found.png", "--images", "moved", cwd=tmp_path)
        assert res.returncode == 0 and "warning" not in res.stderr, res.stderr
        assert _dark_share(tmp_path / "found.png") > _dark_share(tmp_path / "white.png") + 0.01
    finally:
        shutil.move(moved, pdf_run / "scans")


def test_scan_replaced_since_the_run_is_not_drawn_under_its_page(pdf_run, tmp_path):
    """The PDF re-exported with its first page only: its pages are listed without an image they
    do not get, and the viewer says why, instead of a preview of another page or none at all."""
    scan = pdf_run / "scans" / "issue.pdf"
    original = scan.read_bytes()
    first = next(load_pages(scan))
    try:
        Image.fromarray(first.pixels[:, :, ::-1]).save(scan, resolution=300)
        res = _cli("view", str(pdf_run / "out"), "--static", "static", cwd=tmp_path)
        assert res.returncode == 0 and res.stderr.count(f"{scan} has changed since the run") == 2, res.stderr
        listed = (tmp_path / "static" / "data" / "pages.js").read_text("utf-8")
        assert '"image": null' in listed and "img/" not in listed and not (tmp_path / "static" / "img").exists()
    finally:
        scan.write_bytes(original)

"""Articles in the debug views: one colour an article, never one a neighbour has (scene), and the
overlay filled by article; a synthetic page, drawn on white."""

from __future__ import annotations

import itertools

import numpy as np
from coloraide import Color
from PIL import Image

from layoutkit.model import Article, Block, BlockType, Box, Page, Source, String, TextLine
from layoutkit.view.overlay import FILL_ALPHA, render
from layoutkit.view.scene import ARTICLE_PALETTE, TYPE_COLOURS, hex_colour, page_scene


def _delta(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    return Color("srgb", [v / 255 for v in a]).delta_e(Color("srgb", [v / 255 for v in b]), method="2000")


def grid_page(rows: int = 4, cols: int = 8) -> Page:
    """A page of rows x cols articles set flush against each other, two blocks each."""
    page = Page(cols * 200, rows * 300, Source("p.png", ""))
    for r, c in itertools.product(range(rows), range(cols)):
        aid = f"art{r * cols + c + 1}"
        ids = []
        for k in range(2):
            box = Box(c * 200 + k * 100, r * 300, c * 200 + k * 100 + 96, r * 300 + 296)
            line = TextLine(Box(box.x0 + 10, box.y0 + 10, box.x1 - 10, box.y0 + 30).polygon(), strings=[
                String("text", box, 0.9)])
            page.blocks.append(Block(f"{aid}b{k}", BlockType.BODY, box.polygon(), [line], article_id=aid,
                                     order=len(page.blocks)))
            ids.append(f"{aid}b{k}")
        page.articles.append(Article(aid, ids))
    return page


def test_palette_colours_clearly_distinct():
    close = [(a, b) for a, b in itertools.combinations(ARTICLE_PALETTE, 2) if _delta(a, b) < 20]
    assert not close


def test_neighbouring_articles_never_share_a_colour():
    page = grid_page()
    scene = page_scene(page)
    colour = {a["id"]: a["colour"] for a in scene["articles"]}
    assert len(set(colour.values())) > 1
    boxes = {a.id: Box.enclosing([b.box for b in page.blocks if b.article_id == a.id]) for a in page.articles}
    touching = [(a, b) for a, b in itertools.combinations(boxes, 2)
                if boxes[a].x0 <= boxes[b].x1 + 4 and boxes[b].x0 <= boxes[a].x1 + 4
                and boxes[a].y0 <= boxes[b].y1 + 4 and boxes[b].y0 <= boxes[a].y1 + 4]
    assert len(touching) > 30  # a grid: sides and corners
    rgb = {a: tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for a, c in colour.items()}
    assert all(_delta(rgb[a], rgb[b]) >= 20 for a, b in touching)
    # Every block carries its article's colour.
    assert all(b["article_colour"] == colour[b["article"]] for b in scene["blocks"])


def test_overlay_fills_blocks_by_article():
    page = grid_page(2, 3)
    scene = page_scene(page)
    png = np.asarray(render(scene, None, by="article").convert("RGB")).astype(float)
    a = FILL_ALPHA / 255
    for b in scene["blocks"]:
        x0, y0 = (round(v) for v in b["polygon"][0])
        inner = png[y0 + 40:y0 + 60, x0 + 20:x0 + 70].reshape(-1, 3)
        rgb = tuple(int(b["article_colour"][i:i + 2], 16) for i in (1, 3, 5))
        assert np.abs(np.median(inner, axis=0) - (255 * (1 - a) + np.array(rgb) * a)).max() <= 3, b["id"]
    # By type (the default), the same block is filled with the type's colour.
    by_type = np.asarray(render(scene, None).convert("RGB")).astype(float)
    x0, y0 = (round(v) for v in scene["blocks"][0]["polygon"][0])
    body = 255 * (1 - a) + np.array(TYPE_COLOURS[BlockType.BODY]) * a
    assert np.abs(np.median(by_type[y0 + 40:y0 + 60, x0 + 20:x0 + 70].reshape(-1, 3), axis=0) - body).max() <= 3
    assert hex_colour(TYPE_COLOURS[BlockType.BODY]) == scene["blocks"][0]["colour"]


def test_overlay_cli_by_article(tmp_path):
    """`layoutkit overlay --by article` on an ALTO file: its articles read back, each block filled
    with its article's colour (on white: no scan beside)."""
    from layoutkit.cli import main
    from layoutkit.export.alto import to_alto

    page = grid_page(2, 2)
    alto = tmp_path / "p.alto.xml"
    alto.write_bytes(to_alto(page))
    out = tmp_path / "p.png"
    assert main(["overlay", str(alto), "-o", str(out), "--by", "article"]) == 0
    png = np.asarray(Image.open(out).convert("RGB")).astype(float)
    scene = page_scene(page)
    a = FILL_ALPHA / 255
    seen = set()
    for b in scene["blocks"]:
        x0, y0 = (round(v) for v in b["polygon"][0])
        rgb = np.array([int(b["article_colour"][i:i + 2], 16) for i in (1, 3, 5)])
        got = np.median(png[y0 + 40:y0 + 60, x0 + 20:x0 + 70].reshape(-1, 3), axis=0)
        assert np.abs(got - (255 * (1 - a) + rgb * a)).max() <= 3, b["id"]
        seen.add(b["article_colour"])
    assert len(seen) == 4

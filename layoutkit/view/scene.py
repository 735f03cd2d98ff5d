"""What the debug views draw, computed once from the page model for both of them.

The overlay PNG (drawn in Python) and the browser viewer (drawn as SVG) must show the same thing,
so both take this plain, JSON-ready description: colours by block type, reading-order steps,
article colours, caption links and the strings below the confidence threshold.
"""

from __future__ import annotations

import colorsys

from ..model import BlockType, Page

#: Block fill colours by type (RGB); the legend is drawn from this table. Related types keep
#: related hues (kicker, headline and subheadline warm; caption and credit green), yet every two
#: stand at least 20 apart in CIEDE2000, so no two types can be taken for one another.
TYPE_COLOURS: dict[str, tuple[int, int, int]] = {
    BlockType.MASTHEAD: (156, 39, 176),
    BlockType.KICKER: (220, 211, 0),
    BlockType.HEADLINE: (244, 67, 54),
    BlockType.SUBHEADLINE: (255, 152, 0),
    BlockType.BYLINE: (0, 121, 107),
    BlockType.BODY: (25, 118, 210),
    BlockType.CAPTION: (76, 175, 80),
    BlockType.CREDIT: (130, 119, 23),
    BlockType.PHOTO: (136, 45, 23),
    BlockType.GRAPHIC: (144, 164, 174),
    BlockType.ADVERT: (230, 143, 172),
    BlockType.TABLE: (26, 35, 126),
    BlockType.FURNITURE: (97, 97, 97),
    BlockType.SEPARATOR: (33, 33, 33),
}
#: Strings the engine was less sure of than this are marked.
LOW_CONFIDENCE = 0.8


def article_colour(index: int) -> tuple[int, int, int]:
    """Well-separated hues: golden-ratio steps around the colour wheel."""
    r, g, b = colorsys.hsv_to_rgb((index * 0.618034) % 1.0, 0.85, 0.85)
    return round(r * 255), round(g * 255), round(b * 255)


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _poly(points: list[tuple[float, float]]) -> list[list[float]]:
    return [[round(x, 1), round(y, 1)] for x, y in points]


def page_scene(page: Page, low_confidence: float = LOW_CONFIDENCE) -> dict:
    ordered = page.ordered_blocks()
    articles = {a.id: i for i, a in enumerate(page.articles)}
    blocks = []
    for b in ordered:
        box = b.box
        blocks.append({
            "id": b.id, "type": b.type.value, "colour": hex_colour(TYPE_COLOURS[b.type]),
            "polygon": _poly(b.polygon), "centre": [round(box.cx, 1), round(box.cy, 1)],
            "order": b.order, "article": b.article_id,
            "article_colour": hex_colour(article_colour(articles[b.article_id])) if b.article_id in articles else None,
            "confidence": round(b.confidence, 3), "text": b.text, "direction": b.direction.value,
            "next": b.next_block, "caption_of": b.caption_of, "credit_of": b.credit_of,
            "lines": [{"polygon": _poly(ln.polygon), "text": ln.text,
                       "strings": [{"box": [round(s.box.x0, 1), round(s.box.y0, 1), round(s.box.width, 1),
                                            round(s.box.height, 1)],
                                    "text": s.text, "confidence": round(s.confidence, 3),
                                    "low": s.confidence < low_confidence} for s in ln.strings]}
                      for ln in b.lines],
        })
    by_id = {b["id"]: b for b in blocks}
    links = [{"from": b["caption_of"] or b["credit_of"], "to": b["id"],
              "kind": "caption" if b["caption_of"] else "credit"}
             for b in blocks if (b["caption_of"] or b["credit_of"]) in by_id]
    return {
        "width": page.width, "height": page.height, "image": page.source.name,
        "blocks": blocks,
        "order": [b["id"] for b in blocks if b["order"] is not None],
        "separators": [{"id": s.id, "polygon": _poly(s.polygon)} for s in page.separators],
        "articles": [{"id": a.id, "title": a.title, "blocks": a.block_ids,
                      "colour": hex_colour(article_colour(i))} for i, a in enumerate(page.articles)],
        "links": links,
        "masthead": [{"name": f.name, "value": f.value, "text": f.text, "flagged": f.flagged} for f in page.masthead],
        "legend": {t.value: hex_colour(c) for t, c in TYPE_COLOURS.items()},
        "low_confidence": low_confidence,
        "low_strings": sum(s["low"] for b in blocks for ln in b["lines"] for s in ln["strings"]),
    }

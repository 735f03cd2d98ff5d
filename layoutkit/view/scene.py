"""What the debug views draw, computed once from the page model for both of them.

The overlay PNG (drawn in Python) and the browser viewer (drawn as SVG) must show the same thing,
so both take this plain, JSON-ready description: colours by block type, reading-order steps,
article colours, caption links and the strings below the confidence threshold.
"""

from __future__ import annotations

from ..model import BlockType, Box, Page

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


#: Article colours: Kelly's colours of maximum contrast, chosen greedily so that every two stand at
#: least 20 apart in CIEDE2000; neighbouring articles never share one (`article_colours`).
ARTICLE_PALETTE: list[tuple[int, int, int]] = [
    (190, 0, 50), (141, 182, 0), (161, 202, 241), (43, 61, 38), (243, 132, 0), (96, 78, 151),
    (230, 143, 172), (0, 136, 86), (132, 132, 130), (101, 69, 34), (243, 195, 0), (0, 103, 165),
]
#: Articles whose blocks come within this many text-line sizes of each other are neighbours.
NEIGHBOURS = 2.0


def article_colours(page: Page) -> dict[str, tuple[int, int, int]]:
    """A colour for each article, so that where one article runs into another a person sees it:
    articles are coloured in turn, each with the first palette colour none of its neighbours on
    the page (blocks within NEIGHBOURS line sizes) has taken, else the one they use least."""
    by_id = {b.id: b for b in page.blocks}
    sizes = sorted(ln.box.thickness for b in page.blocks for ln in b.lines)
    reach = NEIGHBOURS * (sizes[len(sizes) // 2] if sizes else 10.0)
    areas = {a.id: [by_id[i].box for i in a.block_ids if i in by_id] for a in page.articles}

    def near(a: list[Box], b: list[Box]) -> bool:
        return any(x.x0 - reach < y.x1 and y.x0 - reach < x.x1 and x.y0 - reach < y.y1 and y.y0 - reach < x.y1
                   for x in a for y in b)

    chosen: dict[str, int] = {}
    for art in page.articles:
        taken = [chosen[o] for o in chosen if near(areas[art.id], areas[o])]
        free = [k for k in range(len(ARTICLE_PALETTE)) if k not in taken]
        chosen[art.id] = free[0] if free else min(range(len(ARTICLE_PALETTE)), key=taken.count)
    return {a: ARTICLE_PALETTE[k] for a, k in chosen.items()}


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _poly(points: list[tuple[float, float]]) -> list[list[float]]:
    return [[round(x, 1), round(y, 1)] for x, y in points]


def page_scene(page: Page, low_confidence: float = LOW_CONFIDENCE) -> dict:
    ordered = page.ordered_blocks()
    colours = {a: hex_colour(c) for a, c in article_colours(page).items()}
    blocks = []
    for b in ordered:
        box = b.box
        blocks.append({
            "id": b.id, "type": b.type.value, "colour": hex_colour(TYPE_COLOURS[b.type]),
            "polygon": _poly(b.polygon), "centre": [round(box.cx, 1), round(box.cy, 1)],
            "order": b.order, "article": b.article_id,
            "article_colour": colours.get(b.article_id or ""),
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
        "articles": [{"id": a.id, "title": a.title, "blocks": a.block_ids, "colour": colours[a.id]}
                     for a in page.articles],
        "links": links,
        "masthead": [{"name": f.name, "value": f.value, "text": f.text, "flagged": f.flagged} for f in page.masthead],
        "legend": {t.value: hex_colour(c) for t, c in TYPE_COLOURS.items()},
        "low_confidence": low_confidence,
        "low_strings": sum(s["low"] for b in blocks for ln in b["lines"] for s in ln["strings"]),
    }

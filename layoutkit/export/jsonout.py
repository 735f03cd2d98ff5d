"""`<stem>.structure.json` and `<stem>.masthead.json`: the page's structure for programs.

Articles with their blocks and text in reading order, photos with caption and credit, the
column grid (each block lists the columns it stands in or heads), and the masthead's typed
fields; the same shape serves as the samples' ground truth.
"""

from __future__ import annotations

import json

from ..layout.columns import spanned
from ..model import Block, BlockType, Box, Page


def _box(box: Box) -> list[int]:
    return [round(box.x0), round(box.y0), round(box.x1), round(box.y1)]


def _block(b: Block, columns: list[Box]) -> dict:
    out: dict = {"id": b.id, "type": b.type.value, "order": b.order, "direction": b.direction.value,
                 "box": _box(b.box), "columns": spanned(b.box, columns)}
    if b.lines:
        out["text"] = b.text
    for key in ("next_block", "caption_of", "credit_of"):
        value = getattr(b, key)
        if value:
            out[key] = value
    return out


def structure(page: Page) -> dict:
    by_id = {b.id: b for b in page.blocks}
    photos = []
    for b in page.ordered_blocks():
        if b.type not in (BlockType.PHOTO, BlockType.GRAPHIC):
            continue
        caption = next((x for x in page.blocks if x.caption_of == b.id), None)
        credit = next((x for x in page.blocks if x.credit_of == b.id), None)
        photos.append({"id": b.id, "caption": caption.id if caption else None,
                       "caption_text": caption.text if caption else None,
                       "credit": credit.id if credit else None, "credit_text": credit.text if credit else None})
    return {
        "image": page.source.readable_path,
        "size": [page.width, page.height],
        "articles": [{"id": a.id, "title": a.title, "blocks": a.block_ids,
                      "text": "\n\n".join(by_id[i].text for i in a.block_ids if i in by_id and by_id[i].lines)}
                     for a in page.articles],
        "columns": [_box(c) for c in page.columns],
        "blocks": [_block(b, page.columns) for b in page.ordered_blocks()],
        "photos": photos,
        "masthead": masthead(page),
    }


def masthead(page: Page) -> dict:
    return {f.name: {"value": f.value, "text": f.text, "block": f.block_id,
                     **({"flagged": f.flagged} if f.flagged else {})} for f in page.masthead}


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

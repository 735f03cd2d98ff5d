"""Plain text in reading order: one paragraph per block, a blank line between blocks.

A block's lines are joined into its paragraph (CJK without a space, Latin with one, a line-end
hyphen removed), and a paragraph continued in the next column is joined to its first part, so the
text reads as the article does.
"""

from __future__ import annotations

from ..model import Block, Page, TextLine
from ..ocr.strings import join_lines


def _lines(block: Block) -> list[str]:
    return [ln.text for ln in block.lines]


def paragraphs(page: Page) -> list[str]:
    out: list[str] = []
    pending: dict[str, int] = {}  # block id -> paragraph index it continues
    for block in page.ordered_blocks():
        if not block.lines:
            continue
        text_lines: list[TextLine] = block.lines
        if block.id in pending:
            idx = pending.pop(block.id)
            out[idx] = join_lines([out[idx], *(ln.text for ln in text_lines)])
        else:
            out.append(join_lines(_lines(block)))
            idx = len(out) - 1
        if block.next_block:
            pending[block.next_block] = idx
    return [p for p in out if p]


def to_text(page: Page) -> str:
    return "\n\n".join(paragraphs(page)) + "\n"

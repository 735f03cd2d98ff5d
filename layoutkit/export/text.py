"""Plain text in reading order: a block's lines one per line, a blank line between blocks."""

from __future__ import annotations

from ..model import Page


def to_text(page: Page) -> str:
    parts = [b.text for b in page.ordered_blocks() if b.lines]
    return "\n\n".join(p for p in parts if p.strip()) + "\n"

"""The ground truth of a generated page, kept while it is drawn and put in reading order at the end.

Blocks are drawn in whatever order the layout finds convenient (a photo before the column text
around it, an L-shaped story's neighbour before the story's last columns), so they are collected
per article, each in its reading position, and numbered only when the page is finished: block ids
b1, b2, ... and article ids a1, a2, ... follow the reading order, and every link (continuation,
caption, credit, masthead field) is renumbered with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from layoutkit.model import (
    Article,
    Block,
    BlockType,
    Box,
    Direction,
    MastheadField,
    Page,
    Separator,
    Source,
    TextLine,
)

from .synth import Canvas, to_bgr


@dataclass
class Story:
    """An article being drawn: its blocks in reading order."""

    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    #: Where the story's pictures stand with their captions: no column rule runs through them.
    holes: list[Box] = field(default_factory=list)


@dataclass
class Sheet:
    canvas: Canvas
    rng: np.random.Generator
    stories: list[Story] = field(default_factory=list)
    separators: list[Separator] = field(default_factory=list)
    masthead: list[MastheadField] = field(default_factory=list)
    _count: int = 0

    def story(self, title: str | None = None) -> Story:
        self.stories.append(Story(title))
        return self.stories[-1]

    def add(self, story: Story, btype: BlockType, lines: list[TextLine], box: Box | None = None,
            **links: str | None) -> Block:
        """A block of the story, read after the ones added to it before; its outline is `box` or
        the lines' enclosing box padded by a tenth of the tallest line."""
        if box is None:
            box = Box.enclosing([ln.box for ln in lines])
            pad = 0.1 * max(ln.box.height if ln.direction.value == "ltr" else ln.box.width for ln in lines)
            box = Box(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
        self._count += 1
        direction = lines[0].direction if lines else Direction.LTR
        block = Block(f"t{self._count}", btype, box.polygon(), lines, direction=direction, **links)
        story.blocks.append(block)
        return block

    def rule(self, x0: float, y0: float, x1: float, y1: float, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        """A printed rule, recorded as a separator: horizontal or vertical by its shape."""
        ix0, iy0 = round(x0), round(y0)
        box = Box(ix0, iy0, max(ix0 + 1, round(x1)), max(iy0 + 1, round(y1)))
        self.canvas.draw.rectangle((box.x0, box.y0, box.x1 - 1, box.y1 - 1), fill=self.canvas.ink(colour))
        orientation = "horizontal" if box.width >= box.height else "vertical"
        self.separators.append(Separator(f"s{len(self.separators) + 1}", box.polygon(), orientation))

    def frame(self, box: Box, width: float, colour: tuple[int, int, int] = (0, 0, 0), double: bool = False) -> None:
        """A ruled frame as its four rules (a second, thin one inside when double)."""
        w = max(1, round(width))
        self.rule(box.x0, box.y0, box.x1, box.y0 + w, colour)
        self.rule(box.x0, box.y1 - w, box.x1, box.y1, colour)
        self.rule(box.x0, box.y0 + w, box.x0 + w, box.y1 - w, colour)
        self.rule(box.x1 - w, box.y0 + w, box.x1, box.y1 - w, colour)
        if double:
            gap = 2 * w + 2
            self.frame(Box(box.x0 + gap, box.y0 + gap, box.x1 - gap, box.y1 - gap), 1, colour)

    def field(self, name: str, value: str, text: str, block: Block) -> None:
        if text not in "".join(ln.text for ln in block.lines):
            raise ValueError(f"masthead field {name} {text!r} is not printed in its block {block.text!r}")
        self.masthead.append(MastheadField(name, value, text, block.id))

    def page(self, name: str, dpi: float) -> tuple[np.ndarray, Page]:
        """The finished page: blocks numbered in reading order, links renumbered with them."""
        stories = [s for s in self.stories if s.blocks]
        rename: dict[str, str] = {}
        blocks: list[Block] = []
        articles: list[Article] = []
        for n, story in enumerate(stories, start=1):
            ids = []
            for b in story.blocks:
                rename[b.id] = f"b{len(blocks) + 1}"
                b.id = rename[b.id]
                b.article_id = f"a{n}"
                b.order = len(blocks)
                blocks.append(b)
                ids.append(b.id)
            articles.append(Article(f"a{n}", ids, story.title))
        for b in blocks:
            for key in ("next_block", "caption_of", "credit_of"):
                if getattr(b, key):
                    setattr(b, key, rename[getattr(b, key)])
        for f in self.masthead:
            f.block_id = rename.get(f.block_id or "", f.block_id)
        bgr = to_bgr(self.canvas.image)
        page = Page(self.canvas.width, self.canvas.height, Source(name, hashlib.sha256(bgr.tobytes()).hexdigest()),
                    dpi=dpi, blocks=blocks, separators=self.separators, articles=articles, masthead=self.masthead)
        return bgr, page

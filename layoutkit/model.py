"""The page model every stage agrees on.

Coordinates are always original-image pixels, so that a writer never has to know which working
image a stage looked at. Polygons are lists of (x, y); a box is derived from them.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

Point = tuple[float, float]
Polygon = list[Point]


@dataclass(frozen=True, slots=True)
class Box:
    """Axis-aligned box; x1/y1 are exclusive so width = x1 - x0."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def thickness(self) -> float:
        """The shorter side: a line's extent across its text, whichever way the text runs."""
        return min(self.width, self.height)

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def polygon(self) -> Polygon:
        return [(self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1)]

    def turned(self, width: float) -> Box:
        """The box a quarter turn clockwise on a page `width` wide: vertical text, read top to
        bottom with its columns right to left, then runs left to right with its lines top to bottom."""
        return Box(self.y0, width - self.x1, self.y1, width - self.x0)

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def intersection_area(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    @staticmethod
    def of(points: Polygon) -> Box:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return Box(min(xs), min(ys), max(xs), max(ys))

    @staticmethod
    def enclosing(boxes: list[Box]) -> Box:
        return Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes),
                   max(b.x1 for b in boxes), max(b.y1 for b in boxes))

    @staticmethod
    def rows(boxes: list[Box]) -> np.ndarray:
        """The boxes as an (n, 4) array of x0, y0, x1, y1, for tests over many at once."""
        return np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes], dtype=np.float64).reshape(-1, 4)


class Direction(enum.StrEnum):
    """A line's inline direction, as ALTO's BASEDIRECTION names it: a horizontal line read right to
    left (a Chinese running head or headline of the 1930s) is RTL, a vertical column TTB."""

    LTR = "ltr"
    RTL = "rtl"
    TTB = "ttb"


class BlockType(enum.StrEnum):
    """Semantic block types; the value is the label written to ALTO StructureTag and JSON."""

    MASTHEAD = "masthead"
    KICKER = "kicker"
    HEADLINE = "headline"
    SUBHEADLINE = "subheadline"
    BYLINE = "byline"
    BODY = "body"
    CAPTION = "caption"
    CREDIT = "credit"
    PHOTO = "photo"
    GRAPHIC = "graphic"
    ADVERT = "advert"
    TABLE = "table"
    FURNITURE = "furniture"
    SEPARATOR = "separator"

    @property
    def is_text(self) -> bool:
        return self not in (BlockType.PHOTO, BlockType.GRAPHIC, BlockType.SEPARATOR)


@dataclass(slots=True)
class Glyph:
    char: str
    box: Box
    confidence: float


@dataclass(slots=True)
class String:
    text: str
    box: Box
    confidence: float
    glyphs: list[Glyph] = field(default_factory=list)
    space_after: bool = False
    hyphenated: bool = False


@dataclass(slots=True)
class TextLine:
    polygon: Polygon
    direction: Direction = Direction.LTR
    strings: list[String] = field(default_factory=list)
    baseline: list[Point] | None = None

    @property
    def box(self) -> Box:
        return Box.of(self.polygon)

    @property
    def text(self) -> str:
        parts: list[str] = []
        for s in self.strings:
            parts.append(s.text + ("-" if s.hyphenated else ""))
            if s.space_after:
                parts.append(" ")
        return "".join(parts).rstrip()

    @property
    def confidence(self) -> float:
        chars = sum(len(s.text) for s in self.strings)
        if not chars:
            return 0.0
        return sum(s.confidence * len(s.text) for s in self.strings) / chars


@dataclass(slots=True)
class Block:
    id: str
    type: BlockType
    polygon: Polygon
    lines: list[TextLine] = field(default_factory=list)
    confidence: float = 1.0
    direction: Direction = Direction.LTR
    order: int | None = None
    article_id: str | None = None
    next_block: str | None = None
    caption_of: str | None = None
    credit_of: str | None = None

    @property
    def box(self) -> Box:
        return Box.of(self.polygon)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(slots=True)
class Separator:
    id: str
    polygon: Polygon
    orientation: str  # "horizontal" | "vertical" | "frame"

    @property
    def box(self) -> Box:
        return Box.of(self.polygon)

    def course(self) -> tuple[Point, Point]:
        """The rule's centre line, from its top (left) end to its bottom (right) end.

        A rule found on a warped scan leans against the page and is stored as a four-point
        polygon along it (top-left, top-right, bottom-right, bottom-left, like a box); any other
        outline runs down (across) the middle of its box.
        """
        pts = self.polygon
        if len(pts) == 4:
            (ax, ay), (bx, by), (cx, cy), (dx, dy) = pts
            if self.orientation == "vertical":
                return ((ax + bx) / 2, (ay + by) / 2), ((cx + dx) / 2, (cy + dy) / 2)
            return ((ax + dx) / 2, (ay + dy) / 2), ((bx + cx) / 2, (by + cy) / 2)
        b = self.box
        if self.orientation == "vertical":
            return (b.cx, b.y0), (b.cx, b.y1)
        return (b.x0, b.cy), (b.x1, b.cy)


@dataclass(slots=True)
class Article:
    id: str
    block_ids: list[str]
    title: str | None = None


@dataclass(slots=True)
class MastheadField:
    name: str
    value: str
    text: str
    block_id: str | None = None
    flagged: str | None = None


@dataclass(slots=True)
class Transform:
    """Maps working-image coordinates back to original-image pixels.

    `skew_deg` is the scan's measured skew (counter-clockwise positive); the working image is the
    original turned counter-clockwise by `rotation` degrees (a multiple of 90, to stand the page
    upright) and then rotated by -skew_deg about its centre.
    """

    rotation: int = 0
    skew_deg: float = 0.0


@dataclass(slots=True)
class Source:
    """The image a page's coordinates refer to.

    A page cut from an image of two pages (a spread) has `crop`, its box in that image; the batch
    runner writes the crop as an image of its own and then names it here, keeping the scan it was
    cut from in `cut_from`. `page_index` counts the pages a file gave, `image_index` the images of
    the file (a multi-page TIFF or PDF): they differ once a spread gave two.
    """

    path: str
    sha256: str
    page_index: int = 0
    page_count: int = 1
    image_index: int = 0
    crop: Box | None = None
    cut_from: str | None = None

    @property
    def readable_path(self) -> str:
        """The path as text: a file name that is not UTF-8 shows U+FFFD where it cannot be read."""
        return os.fsencode(self.path).decode("utf-8", "replace")

    @property
    def name(self) -> str:
        return Path(self.readable_path).name


@dataclass(slots=True)
class Processing:
    software: str
    version: str
    engine: str
    models: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Page:
    width: int
    height: int
    source: Source
    dpi: float | None = None
    blocks: list[Block] = field(default_factory=list)
    separators: list[Separator] = field(default_factory=list)
    columns: list[Box] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    masthead: list[MastheadField] = field(default_factory=list)
    transform: Transform = field(default_factory=Transform)
    processing: Processing | None = None

    def ordered_blocks(self) -> list[Block]:
        """Blocks in reading order; blocks without an order index keep their list position last."""
        indexed = [b for b in self.blocks if b.order is not None]
        rest = [b for b in self.blocks if b.order is None]
        return sorted(indexed, key=lambda b: b.order or 0) + rest

    @property
    def text_lines(self) -> list[TextLine]:
        return [line for b in self.ordered_blocks() for line in b.lines]

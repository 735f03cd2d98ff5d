"""From detected lines, rules and illustrations to blocks that follow the columns.

Detected lines are first cut at vertical rules, illustration edges, display type and gutters (a
detector happily runs a line across a narrow gutter), then each joins the line after it in its
column (`grouping`), and the runs are broken into blocks where the line height, spacing, indent
or direction says a new block begins.
"""

from __future__ import annotations

from collections import Counter
from statistics import median

import cv2
import numpy as np

from ..model import Block, BlockType, Box, Direction, Page, Separator, TextLine
from ..ocr.crops import is_vertical
from ..preprocess import WorkingImage
from .detections import printed_lines
from .frames import type_framed
from .grouping import chains, successors
from .gutters import WhiteRuns, gutter_cuts
from .illustrations import find_illustrations, toned
from .leaders import join_leader_rows, next_in_row
from .linebox import ROW_SHARE, ROW_SIZES, LineBox, boxed_line, joined, measure_ink
from .separators import find_separators, ink_without
from .trim import trim_to_ink, trimmed

#: A line this many times another's height is display type the other cannot run through.
DISPLAY = 2.0
#: Pieces of one printed line fill their column's measure: lines of its type within this many
#: line heights run across the white between them.
ROW_REACH = 4.0


def _split_at(line: LineBox, cuts: list[tuple[float, float]]) -> list[LineBox]:
    """Cut a horizontal line out of the x-ranges in `cuts` (rules, photo edges)."""
    pieces = [(line.box.x0, line.box.x1)]
    for a, b in cuts:
        nxt: list[tuple[float, float]] = []
        for x0, x1 in pieces:
            if b <= x0 or a >= x1:
                nxt.append((x0, x1))
                continue
            if a - x0 > line.box.height * 0.5:
                nxt.append((x0, a))
            if x1 - b > line.box.height * 0.5:
                nxt.append((b, x1))
        pieces = nxt
    if pieces == [(line.box.x0, line.box.x1)]:
        return [line]
    out = []
    for x0, x1 in pieces:
        out.append(boxed_line(Box(x0, line.box.y0, x1, line.box.y1)))
    return out


def cut_lines(quads: list[np.ndarray], separators: list[Separator], photos: list[Box],
              binary: np.ndarray, rivers: WhiteRuns) -> list[LineBox]:
    # A line's ends are trimmed to its own ink: a rule beside it must not widen it into the gutter.
    binary = ink_without(binary, [s.box for s in separators], pad=1)
    lines = [LineBox(q, Box.of([(float(x), float(y)) for x, y in q]), is_vertical(q)) for q in quads]
    lines = trimmed(lines, binary)
    horizontal = [ln.box for ln in lines if not ln.vertical]
    out: list[LineBox] = []
    for line in lines:
        if line.vertical:
            out.append(line)
            continue
        cuts = [(s.box.x0, s.box.x1) for s in separators if s.orientation == "vertical"
                and s.box.y0 < line.box.cy < s.box.y1 and line.box.x0 < s.box.cx < line.box.x1]
        cuts += [(p.x0, p.x1) for p in photos if p.y0 < line.box.cy < p.y1]
        # A line of text does not run through display type: the detector ran an ear's line
        # through the masthead title beside it.
        cuts += [(t.x0, t.x1) for t in horizontal if t.height >= DISPLAY * line.box.height
                 and t.y0 < line.box.cy < t.y1 and t.x0 < line.box.x1 and t.x1 > line.box.x0
                 and max(t.x0 - line.box.x0, line.box.x1 - t.x1) > line.box.height]
        cuts += gutter_cuts(line.box, rivers, horizontal)
        pieces = _split_at(line, cuts)
        out.extend(pieces if pieces and pieces[0] is line else [trim_to_ink(p, binary) for p in pieces])
    return [measure_ink(ln, binary) for ln in out]


def _same_block(block: list[LineBox], nxt: LineBox, body: float, width: float) -> bool:
    """Whether `nxt`, the line that follows the block's last in its column, goes on in the block.

    Its type is compared with the block's typical line (each measure's median over the block's
    lines), not with the last line alone: one line rich in capitals or descenders measures apart.
    Vertical lines are judged turned a quarter (`Box.turned`), where they run like horizontal ones.
    """
    prev = block[-1]
    if prev.vertical != nxt.vertical:
        return False
    if not _typical(block).same_size(nxt):
        return False

    def frame(b: Box) -> Box:
        return b.turned(width) if prev.vertical else b

    a, b = frame(prev.box), frame(nxt.box)
    block_box = frame(Box.enclosing([ln.box for ln in block]))
    s = max(prev.size, nxt.size)
    # Detector boxes reach well past the type core and overlap between tightly set lines, so
    # the overlap is judged against the boxes, the white between against the type.
    gap = b.y0 - a.y1
    if gap > s * 0.9 or gap < -0.5 * min(a.height, b.height):
        return False
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    if overlap < 0.5 * min(a.width, b.width):
        return False
    # A paragraph's first line is indented; only body-sized text is set that way.
    indented = b.x0 - block_box.x0 > s * 1.0 and b.x0 - a.x0 > s * 1.0
    return not (indented and s <= body * 1.25)


def _typical(block: list[LineBox]) -> LineBox:
    """A stand-in for the block's lines: the median of each type measure over them."""
    if len(block) == 1 or not all(ln.cores for ln in block):
        return block[-1]
    cores = tuple(float(median(c)) for c in zip(*(ln.cores for ln in block), strict=True))
    return LineBox(block[-1].quad, block[-1].box, block[-1].vertical, cores)


def _pieces_of_one_line(a: LineBox, b: LineBox, lines: list[LineBox]) -> bool:
    """Two detections that are one printed line: the detector breaks a line at a wide space
    (letter-spaced type, a price set flush right in bold after a run of white).

    They stand in one row, in sizes no further apart than bold from plain, and together fill the
    column's measure: lines of their type near them run across the white between and end where
    they end. White that such lines do not cross is a gutter, or the space between a masthead's
    ears and its title; two lines are asked for because a masthead has a line or two of its own
    width (the title, a line run together with print showing through from the back).
    """
    if not _in_one_row(a, b):
        return False
    low = min(a.box.height, b.box.height)
    left, right = (a, b) if a.box.cx <= b.box.cx else (b, a)
    reach = ROW_REACH * low

    def sets_measure(m: LineBox) -> bool:
        return (m.box.x0 - low <= left.box.x0 and m.box.x0 <= left.box.x1 and abs(m.box.x1 - right.box.x1) <= low
                and abs(m.box.cy - a.box.cy) <= reach and (m.same_size(a) or m.same_size(b)))

    return sum(1 for m in lines if m is not a and m is not b and not m.vertical and sets_measure(m)) >= 2


def _in_one_row(a: LineBox, b: LineBox) -> bool:
    """Side by side in one row, in sizes no further apart than bold from plain."""
    if a.vertical or b.vertical or max(a.size, b.size) > ROW_SIZES * min(a.size, b.size):
        return False
    low = min(a.box.height, b.box.height)
    if min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0) < ROW_SHARE * low:
        return False
    left, right = (a, b) if a.box.cx <= b.box.cx else (b, a)
    return right.box.x0 >= left.box.x1 - 0.5 * low


def join_rows(leaf: list[LineBox], lines: list[LineBox]) -> list[LineBox]:
    """A leaf's lines with the pieces of each printed line joined, in reading order; the page's
    `lines` show the column's measure (a leaf may hold only the few lines of one row band).

    A row of several pieces (a label, a currency sign, prices) is judged whole first: only the
    row from its first piece to its last fills the measure.
    """
    out: list[LineBox] = []
    k = 0
    while k < len(leaf):
        end = k + 1
        while end < len(leaf) and leaf[end].box.x0 > leaf[end - 1].box.cx and _in_one_row(leaf[end - 1], leaf[end]):
            end += 1
        if end - k > 2 and _pieces_of_one_line(leaf[k], leaf[end - 1], lines):
            out.append(joined(leaf[k:end]))
            k = end
            continue
        line = leaf[k]
        if out and _pieces_of_one_line(out[-1], line, lines):
            out[-1] = joined([out[-1], line])
        else:
            out.append(line)
        k += 1
    return out


def join_row_pieces(lines: list[LineBox]) -> list[LineBox]:
    """The lines with the pieces of each printed line joined: each row of pieces side by side (a
    piece and the nearest one right of it with nothing between) judged as `join_rows` judges it."""
    flat = [ln for ln in lines if not ln.vertical]
    boxes = Box.rows([ln.box for ln in flat])
    nearest = {i: j for i in range(len(flat)) if (j := next_in_row(i, flat, boxes)) is not None}
    # Two pieces stacked left of one (lines of two rows beside a tall one) lead to it both: it
    # joins neither row.
    lefts = Counter(nearest.values())
    right = {i: j for i, j in nearest.items() if lefts[j] == 1}
    led = set(right.values())
    out = [ln for ln in lines if ln.vertical]
    for start in (i for i in range(len(flat)) if i not in led):
        row = [start]
        while row[-1] in right:
            row.append(right[row[-1]])
        out.extend(join_rows([flat[i] for i in row], flat))
    return out


def group_blocks(lines: list[LineBox], obstacles: list[Box], width: float, body: float) -> list[list[LineBox]]:
    """Blocks of lines: each column's run of lines (`grouping`), broken where the same-block
    relation says a new block begins."""
    groups: list[list[LineBox]] = []
    for run in chains(successors(lines, obstacles, width)):
        current = [lines[run[0]]]
        for k in run[1:]:
            if _same_block(current, lines[k], body, width):
                current.append(lines[k])
            else:
                groups.append(current)
                current = [lines[k]]
        groups.append(current)
    return groups


def body_size(lines: list[LineBox]) -> float:
    """The body type's size: the median over the lines of the direction most lines run (a
    vertical page's few horizontal headlines, a horizontal page's vertical ones, are not body)."""
    vertical = sum(ln.vertical for ln in lines) > len(lines) / 2
    sizes = [ln.size for ln in lines if ln.vertical == vertical]
    return float(median(sizes)) if sizes else 0.0


def analyse(work: WorkingImage, quads: list[np.ndarray], page: Page) -> Page:
    """Fill `page` (working-image coordinates) with separators, illustrations and text blocks."""
    raw = [Box.of([(float(x), float(y)) for x, y in q]) for q in quads]
    # Their ink stays out of illustration finding, but only print on this side is laid out.
    quads = printed_lines(quads, raw, work)
    # Strokes of large type and lines in pictures look like rules; a rule stands on its own.
    separators = [s for s in find_separators(work.binary, work.text_height)
                  if not any(r.intersection_area(s.box) > 0.5 * s.box.area for r in raw)]
    leftover = ink_without(work.binary, raw + [s.box for s in separators], pad=2)
    grey = cv2.cvtColor(work.bgr, cv2.COLOR_BGR2GRAY)
    kept_out = 255 - ink_without(np.full_like(work.binary, 255), raw + [s.box for s in separators], pad=2)
    photos = find_illustrations(leftover, work.text_height, toned(grey, kept_out))
    separators = [s for s in separators
                  if not any(p.intersection_area(s.box) > 0.5 * s.box.area for p in photos)]
    rivers = WhiteRuns.of(work.binary, work.text_height)
    lines = [ln for ln in cut_lines(quads, separators, photos, work.binary, rivers)
             if not any(p.intersection_area(ln.box) > 0.6 * ln.box.area for p in photos)]
    lines = join_leader_rows(lines, work.binary, separators)
    lines = join_row_pieces(lines)
    body = body_size(lines)
    page.separators = separators
    horizontal = [s.box for s in separators if s.orientation == "horizontal"]
    groups = group_blocks(lines, horizontal + photos, float(work.binary.shape[1]), body)
    blocks: list[Block] = []
    sizes: dict[str, float] = {}
    for n, group in enumerate(groups, start=1):
        box = Box.enclosing([ln.box for ln in group])
        direction = Direction.TTB if group[0].vertical else Direction.LTR
        text_lines = [TextLine([(float(x), float(y)) for x, y in ln.quad], direction) for ln in group]
        blocks.append(Block(f"tb{n}", BlockType.BODY, box.polygon(), text_lines, direction=direction))
        sizes[blocks[-1].id] = float(median(ln.size for ln in group))
    for n, p in enumerate(photos, start=1):
        blocks.append(Block(f"il{n}", BlockType.PHOTO, p.polygon()))
    page.blocks = type_framed(blocks, separators, sizes, body)
    return page

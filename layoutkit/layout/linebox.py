"""A detected line as layout measures it: its box and the size of its type.

The detector's box says where a line is, not how big its type is; layout compares type sizes
(paragraph breaks, pieces of one row) on the ink's dense core instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Box

#: Rows at least this share of the densest row's ink make a line's core. CJK's profile is spiky
#: (a few rows of horizontal strokes), so it needs a low bar; Fraktur's ascenders and capitals
#: are dense enough to pass that bar on lines rich in them, so it needs a high one; two lines are
#: of a size when either bar says so (on long lines of one size, the low bar keeps most CJK lines
#: within SAME_SIZE of their median and only about two thirds of Fraktur ones, the high bar the
#: reverse).
CORE_BARS = (0.4, 0.7)
#: Two lines are set in one size when their cores differ by no more than this.
SAME_SIZE = (0.87, 1.15)
#: Pieces of one printed line share this much of the lower one's height, their type cores
#: differ by no more than this ratio (a bold price beside plain text: 1.3-1.55) ...
ROW_SHARE = 0.6
ROW_SIZES = 1.6


@dataclass(slots=True)
class LineBox:
    quad: np.ndarray
    box: Box
    vertical: bool
    cores: tuple[float, ...] = ()  # the type core at each of CORE_BARS; empty if not measured

    @property
    def size(self) -> float:
        """Type size: the height of the ink's dense core in a horizontal line (its width in a
        vertical one). The detector's box grows with the line's length, so two lines of one
        paragraph can differ by a fifth in box height; the core does not.
        """
        if self.cores:
            return self.cores[0]
        return self.box.width if self.vertical else self.box.height

    def same_size(self, other: LineBox) -> bool:
        both = self.cores and other.cores
        pairs = list(zip(self.cores, other.cores, strict=True)) if both else [(self.size, other.size)]
        return any(SAME_SIZE[0] <= b / max(a, 1e-6) <= SAME_SIZE[1] for a, b in pairs)


def measure_ink(line: LineBox, binary: np.ndarray) -> LineBox:
    b = line.box
    y0, y1 = max(0, int(b.y0)), min(binary.shape[0], int(b.y1))
    x0, x1 = max(0, int(b.x0)), min(binary.shape[1], int(b.x1))
    if y1 <= y0 or x1 <= x0:
        return line
    # The core of the type: rows (columns, for vertical text) where the ink is dense. For Latin
    # this is the x-height, untouched by whether a line happens to hold ascenders or descenders;
    # for CJK it is the character's height.
    profile = np.count_nonzero(binary[y0:y1, x0:x1], axis=1 if not line.vertical else 0)
    if profile.size and profile.max() > 0:
        cores = []
        for bar in CORE_BARS:
            core = np.flatnonzero(profile >= bar * profile.max())
            cores.append(float(core[-1] - core[0] + 1))
        line.cores = tuple(cores)
    return line


def boxed_line(box: Box, cores: tuple[float, ...] = ()) -> LineBox:
    """A horizontal line standing in `box`: a piece cut out of a line, a line trimmed or joined."""
    return LineBox(np.array(box.polygon(), dtype=np.float32), box, False, cores)


def joined(pieces: list[LineBox]) -> LineBox:
    """Pieces of one horizontal line as one line; its type is measured on the longest piece."""
    if len(pieces) == 1:
        return pieces[0]
    box = Box.enclosing([p.box for p in pieces])
    longest = max(pieces, key=lambda p: p.box.width)
    return boxed_line(box, longest.cores)

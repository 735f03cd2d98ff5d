"""Which of two blocks a reader takes first: a relation from where blocks stand, and a learned
estimate of it that decides what the relation leaves open.

The geometric relation is Breuel's (2003): u comes before v when they share width and u is above,
or when u is left of v and nothing that shares width with both stands between them. Sorted
topologically it reads columns in order within whatever spans them, on any number of columns and
whatever their gutters. It leaves many pairs open (two stories side by side under nothing that
spans them, a masthead's ears): there a gradient-boosted classifier trained on pages with known
reading order (`benchmarks/train_models.py`, the model in `order_model.txt` beside this file,
recorded in `models/`) estimates P(u before v) from features in units of the page's type size,
and the order is decoded greedily (Quirós & Vidal, 2022: each next block the one most likely
read before all that remain) among the blocks the relation leaves free. Decoded freely, the
model's small errors on far pairs, summed over a long column, outweighed its sure neighbours and
broke columns (generated dev pages, next line in articles 0.922 against Breuel's 0.952); letting
it override the relation where it was sure of the reverse gained nothing on held-out pages and
broke plain runs of columns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..model import Block, BlockType, Box

#: Two items stand in one column when they share this much of the narrower one's width.
OVERLAP = 0.2
MODEL_FILE = "order_model.txt"
TYPES = [t for t in BlockType if t is not BlockType.SEPARATOR]


def turned(boxes: list[Box], width: float) -> np.ndarray:
    """Boxes in a frame where reading runs down and then right: as they are on a horizontal page;
    on a vertical one turned, so that its columns (read right to left) become rows and its tiers
    (top to bottom) columns."""
    return Box.rows([b.turned(width) for b in boxes])


def _overlap(boxes: np.ndarray) -> np.ndarray:
    x0, x1 = boxes[:, 0], boxes[:, 2]
    w = np.maximum(x1 - x0, 1e-6)
    shared = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
    return shared > OVERLAP * np.minimum(w[:, None], w[None, :])


def precedence(boxes: np.ndarray) -> np.ndarray:
    """before[u, v] by Breuel's relation (boxes in the reading frame). Sharing width means more
    than OVERLAP of the narrower one's: neighbouring columns on a warped page overlap by a few
    pixels where their gutter leans."""
    x0, y0, x1, y1 = boxes.T
    overlap = _overlap(boxes)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    before = overlap & (cy[:, None] < cy[None, :])
    left = ~overlap & (cx[:, None] < cx[None, :])
    for u in np.flatnonzero(left.any(axis=1)):
        vs = np.flatnonzero(left[u])
        top = np.minimum(y0[u], y0[vs])
        bottom = np.maximum(y1[u], y1[vs])
        # A wall between u and v shares width with both and stands in the height they take together.
        across = (overlap[:, u][None, :] & overlap[:, vs].T
                  & (y1[None, :] > top[:, None]) & (y0[None, :] < bottom[:, None]))
        across[:, u] = False
        across[np.arange(len(vs)), vs] = False
        before[u, vs] = ~across.any(axis=1)
    np.fill_diagonal(before, False)
    return before


def topological(before: np.ndarray, frame: np.ndarray) -> list[int]:
    """The items sorted by `before`, the topmost (then leftmost) of those free to go next taken
    first; where the relation holds a cycle, the item with the fewest predecessors left."""
    n = len(before)
    waiting = before.sum(axis=0).astype(np.int64)
    done = np.zeros(n, dtype=bool)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((frame[:, 0], frame[:, 1]))] = np.arange(n)
    order: list[int] = []
    for _ in range(n):
        free = np.flatnonzero(~done & (waiting == 0))
        if not len(free):
            left = np.flatnonzero(~done)
            free = left[waiting[left] == waiting[left].min()]
        nxt = int(free[np.argmin(rank[free])])
        order.append(nxt)
        done[nxt] = True
        waiting -= before[nxt].astype(np.int64)
    return order


@dataclass(slots=True)
class Scene:
    """Blocks and rules in the reading frame, measured once for every pair."""

    frame: np.ndarray  # items (blocks, then rules) in the reading frame
    blocks: int  # how many of the items are blocks
    body: float
    size: np.ndarray  # each block's median line height, in body sizes
    types: np.ndarray  # each block's index into TYPES
    vertical: bool
    height: float  # the page's extent down the reading frame
    before: np.ndarray  # the geometric relation over the items (Breuel's)
    breuel: list[int]  # the blocks' topological order under it

    @staticmethod
    def of(blocks: list[Block], rules: list[Box], vertical: bool, width: float, height: float,
           body: float) -> Scene:
        items = [b.box for b in blocks] + rules
        frame = turned(items, width) if vertical else Box.rows(items)
        s = max(body, 1.0)
        size = np.array([float(np.median([ln.box.thickness for ln in b.lines])) / s if b.lines else 0.0
                         for b in blocks])
        types = np.array([TYPES.index(b.type) if b.type in TYPES else 0 for b in blocks])
        before = precedence(frame)
        breuel = [i for i in topological(before, frame) if i < len(blocks)]
        return Scene(frame, len(blocks), s, size, types, vertical, width if vertical else height, before, breuel)


FEATURES = [
    "dx0", "dx1", "dcx", "dy0", "dy1", "dcy", "gap_x", "gap_y", "share_x", "share_y",
    "u_w", "u_h", "v_w", "v_h", "u_top", "v_top", "u_size", "v_size",
    "breuel_uv", "breuel_vu", "breuel_rank", "walls_between", "rules_between",
    "vertical_page", "u_type", "v_type",
]


def pair_features(scene: Scene) -> np.ndarray:
    """Features of every ordered pair of blocks (u, v), shape (n, n, len(FEATURES)): offsets and
    extents in body sizes, the share of width and height they have in common, where each stands
    down the page, their type sizes and types, and the geometric relation's verdicts."""
    n = scene.blocks
    b = scene.frame[:n] / scene.body
    x0, y0, x1, y1 = b.T
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = np.maximum(x1 - x0, 1e-6), np.maximum(y1 - y0, 1e-6)

    def diff(a: np.ndarray) -> np.ndarray:
        return a[None, :] - a[:, None]

    share_x = (np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])) / np.minimum(
        w[:, None], w[None, :])
    share_y = (np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :])) / np.minimum(
        h[:, None], h[None, :])
    before = scene.before
    rank = np.empty(n)
    rank[scene.breuel] = np.arange(n) / max(1, n - 1)
    walls, rules = _between(scene)
    top = scene.frame[:n, 1] / max(scene.height, 1.0)
    cols = [diff(x0), diff(x1), diff(cx), diff(y0), diff(y1), diff(cy),
            x0[None, :] - x1[:, None], y0[None, :] - y1[:, None], share_x, share_y,
            np.broadcast_to(w[:, None], (n, n)), np.broadcast_to(h[:, None], (n, n)),
            np.broadcast_to(w[None, :], (n, n)), np.broadcast_to(h[None, :], (n, n)),
            np.broadcast_to(top[:, None], (n, n)), np.broadcast_to(top[None, :], (n, n)),
            np.broadcast_to(scene.size[:, None], (n, n)), np.broadcast_to(scene.size[None, :], (n, n)),
            before[:n, :n], before[:n, :n].T, diff(rank), walls, rules,
            np.full((n, n), float(scene.vertical)),
            np.broadcast_to(scene.types[:, None], (n, n)), np.broadcast_to(scene.types[None, :], (n, n))]
    return np.stack([np.asarray(c, dtype=np.float32) for c in cols], axis=-1)


def _between(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """For each pair: how many blocks, and how many rules, share width with both and stand in the
    height between them (what divides a column's upper part from its lower). One block's row at a
    time, so memory stays within the pairs' own (n x n x items would not, on a broadsheet)."""
    n = scene.blocks
    overlap = _overlap(scene.frame)
    cy = (scene.frame[:, 1] + scene.frame[:, 3]) / 2
    walls = np.zeros((n, n), dtype=np.float32)
    rules = np.zeros((n, n), dtype=np.float32)
    for u in range(n):
        low, high = np.minimum(cy[u], cy[:n]), np.maximum(cy[u], cy[:n])
        hits = (cy[None, :] > low[:, None]) & (cy[None, :] < high[:, None]) & overlap[u][None, :] & overlap[:n]
        walls[u] = hits[:, :n].sum(axis=1)
        rules[u] = hits[:, n:].sum(axis=1)
    return walls, rules


@cache
def _model_bytes() -> bytes:
    return resources.files(__package__).joinpath(MODEL_FILE).read_bytes()


def _checked(data: bytes, name: str):  # -> lightgbm.Booster
    import lightgbm

    booster = lightgbm.Booster(model_str=data.decode("utf-8"))
    if booster.feature_name() != FEATURES:
        raise ModelError(f"{name}: trained on features {booster.feature_name()}, layoutkit computes "
                         f"{FEATURES}; retrain it with benchmarks/train_models.py")
    return booster


@cache
def _booster():  # -> lightgbm.Booster
    return _checked(_model_bytes(), MODEL_FILE)


def load_order_model(path: str | Path):  # -> lightgbm.Booster
    """Another order model than the packaged one, from its file: a fold's model, which orders the
    pages it was not trained on for held-out figures (`Settings.order_model`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the order model ({exc})") from exc
    return _checked(data, str(path))


def order_model(path: str | Path | None = None) -> dict[str, str]:
    """The reading-order model's identity (the packaged one's, or the file's at `path`), for
    ALTO's Processing record (as the OCR models')."""
    data = Path(path).read_bytes() if path else _model_bytes()
    name = Path(path).name if path else MODEL_FILE
    return {"order-model": f"{name} sha256:{hashlib.sha256(data).hexdigest()}"}


def before_probabilities(scene: Scene, booster=None) -> np.ndarray:
    """P(u before v) for every pair of blocks, the model (the packaged one unless another booster
    is given, as training does for held-out pages) asked both ways round and averaged."""
    n = scene.blocks
    feats = pair_features(scene).reshape(n * n, len(FEATURES))
    p = np.asarray((booster or _booster()).predict(feats), dtype=np.float64).reshape(n, n)
    p = (p + 1.0 - p.T) / 2
    np.fill_diagonal(p, 0.5)
    return p


def decode(p: np.ndarray, before: np.ndarray | None = None) -> list[int]:
    """Greedy first decoder: the next block is the one whose probability of coming before every
    block still left is the highest (sum of log-probabilities), among the blocks the geometric
    relation `before` (if given) leaves free: those none of whose geometric predecessors is still
    left. Geometry keeps a column's blocks and the columns of a run of text in their order; the
    model picks among what it leaves open (which story next, which ear). Where the relation holds
    a cycle and leaves nothing free, every block left is a candidate."""
    n = len(p)
    logp = np.log(np.clip(p, 1e-6, 1.0))
    hard = np.zeros((n, n), dtype=bool) if before is None else before[:n, :n]
    waiting = hard.sum(axis=0).astype(np.int64)
    left = np.ones(n, dtype=bool)
    order: list[int] = []
    for _ in range(n):
        score = (logp * left[None, :]).sum(axis=1) - np.diag(logp)
        free = left & (waiting == 0)
        score[~(free if free.any() else left)] = -np.inf
        nxt = int(np.argmax(score))
        order.append(nxt)
        left[nxt] = False
        waiting -= hard[nxt].astype(np.int64)
    return order

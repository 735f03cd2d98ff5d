"""What each text block is to a reader — kicker, headline, deck, byline, body, caption, credit,
page furniture or advert — learned from pages whose blocks are known.

Type size against the body alone cannot say it: a deck and a kicker are of a size, a caption is
set in the body type, a byline is one short body-sized line. A reader goes by size, width against
the column, where the block stands and what stands next to it (a picture above, bigger type
below), how its lines are set (centred, short) and its words (a byline names a reporter, a
credit a photographer, a folio a page). A gradient-boosted classifier over those measures,
trained on the generated corpus (`benchmarks/train_models.py`, the model in `roles_model.txt`
beside this file, recorded in `models/`), makes the call; the masthead, frames (adverts, tables)
and pictures are found by their own evidence elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from statistics import median

import numpy as np

from ..errors import ModelError
from ..model import Block, BlockType, Box, Direction
from ..ocr.strings import is_cjk

MODEL_FILE = "roles_model.txt"
ROLES = [BlockType.KICKER, BlockType.HEADLINE, BlockType.SUBHEADLINE, BlockType.BYLINE, BlockType.BODY,
         BlockType.CAPTION, BlockType.CREDIT, BlockType.FURNITURE, BlockType.ADVERT]
#: Words that name a reporter, a photographer or a page; features, not verdicts.
BYLINE = re.compile(r"^[□■◇◆]?\s*(本报记者|本報記者|本报评论员|本报通讯员|本報通訊員|通讯员|通訊員|记者|記者|特约记者|"
                    r"本报讯|本報訊|新华社|新華社|Von |By |Par )")
CREDIT = re.compile(r"(摄$|攝$|摄影|攝影|供图$|供圖$|^(Foto|Photo|Bild)\s*:)")
FOLIO = re.compile(r"(^[-–—]?\s*\d{1,3}\s*[-–—]?$|第\s*[\d一二三四五六七八九十]{1,3}\s*版|^[A-Z]?\d{1,2}\s*版"
                   r"|\b(Seite|Page)\s+\d{1,3}\b)")
PRICE = re.compile(r"(\d\s*元|¥|￥|Fr\.|€|\bMk\.|Preis|价|價|热线|熱線|电话|電話|Tel\.|\d{3,4}-\d{5,8})")
SENTENCE_END = "。.!?！？”」』)）"
#: Measures capped at this many body sizes: farther than that, nothing stands near.
FAR = 30.0
#: A credit stands by a block when it is at most this many body sizes above or below it.
CREDIT_REACH = 2.0
#: No count of lines or characters, nor the block's height: the generated pages set every caption
#: in one line, and a model that learns that takes a real three-line caption for body text.
#: Its measure against its picture's and a credit beside it say "caption" on any page.
FEATURES = [
    "size", "size_max", "width", "width_col", "x0", "x1", "y0", "y1",
    "centred", "ragged", "gap_above", "gap_below", "size_above", "size_below", "width_above",
    "photo_above", "photo_below", "photo_beside", "photo_span", "credit_near", "chars_per_line", "digits",
    "cjk", "punct", "sentence_end", "byline", "credit", "folio", "price", "vertical", "confidence",
]


def _near(b: Box, others: list[Box], side: str, body: float) -> tuple[float, int]:
    """Gap (in body sizes, capped) to the nearest box on `side` ("above", "below", "beside") that
    shares width (for above and below) or height (beside) with b, and its index (-1: none)."""
    best, at = FAR, -1
    for i, o in enumerate(others):
        if o is b:
            continue
        if side in ("above", "below"):
            shared = min(o.x1, b.x1) - max(o.x0, b.x0)
            if shared <= 0.3 * min(o.width, b.width):
                continue
            gap = (b.y0 - o.y1) if side == "above" else (o.y0 - b.y1)
        else:
            shared = min(o.y1, b.y1) - max(o.y0, b.y0)
            if shared <= 0.3 * min(o.height, b.height):
                continue
            gap = max(o.x0 - b.x1, b.x0 - o.x1)
        gap /= body
        if -0.5 <= gap < best:
            best, at = max(gap, 0.0), i
    return best, at


def _span(b: Box, picture: Box | None, body: float) -> float:
    """How far (in body sizes, capped) the block's ends stand from its picture's along the
    picture's side: a caption is set to its picture's measure, a column under it need not be."""
    if picture is None:
        return FAR
    return min(FAR, (abs(b.x0 - picture.x0) + abs(b.x1 - picture.x1)) / body)


def block_features(blocks: list[Block], page_width: float, page_height: float, body: float) -> np.ndarray:
    """Features of each text block in `blocks` (pictures are context only), in body sizes and
    page shares. Rows follow the text blocks' order in `blocks`."""
    body = max(body, 1.0)
    texts = [b for b in blocks if b.type.is_text and b.lines]
    boxes = [b.box for b in texts]
    photos = [b.box for b in blocks if not b.type.is_text]
    sizes = [float(median(ln.box.thickness for ln in b.lines)) / body for b in texts]
    running = [b.box.width for b, s in zip(texts, sizes, strict=True) if len(b.lines) >= 3 and 0.8 <= s <= 1.25]
    column = float(median(running)) if running else page_width / 4
    rows = []
    for b, box, size in zip(texts, boxes, sizes, strict=True):
        lines = b.lines
        text = "".join(ln.text for ln in lines)
        chars = [c for c in text if not c.isspace()]
        n = max(1, len(chars))
        above, ia = _near(box, boxes, "above", body)
        below, ib = _near(box, boxes, "below", body)
        centres = [abs(ln.box.cx - box.cx) for ln in lines] if b.direction is not Direction.TTB else \
            [abs(ln.box.cy - box.cy) for ln in lines]
        starts = [ln.box.x0 - box.x0 for ln in lines]
        gap_up, up = _near(box, photos, "above", body)
        credit_near = any(CREDIT.search(texts[j].text.strip()) for j, gap in ((ia, above), (ib, below))
                          if j >= 0 and gap < CREDIT_REACH)
        rows.append([
            size, max(ln.box.thickness for ln in lines) / body, box.width / page_width,
            box.width / max(column, 1.0), box.x0 / page_width, box.x1 / page_width,
            box.y0 / page_height, box.y1 / page_height,
            float(np.mean(centres)) / max(box.width, 1.0), float(np.std(starts)) / body,
            above, below, sizes[ia] / size if ia >= 0 else 0.0, sizes[ib] / size if ib >= 0 else 0.0,
            boxes[ia].width / max(box.width, 1.0) if ia >= 0 else 0.0,
            gap_up, _near(box, photos, "below", body)[0], _near(box, photos, "beside", body)[0],
            _span(box, photos[up] if up >= 0 else None, body), float(credit_near),
            len(chars) / len(lines), sum(c.isdigit() for c in chars) / n,
            sum(is_cjk(c) for c in chars) / n, sum(not c.isalnum() for c in chars) / n,
            float(bool(chars) and chars[-1] in SENTENCE_END),
            float(bool(BYLINE.search(b.text.strip()))), float(bool(CREDIT.search(b.text.strip()))),
            float(bool(FOLIO.search(b.text.strip()))), float(bool(PRICE.search(text))),
            float(b.direction is Direction.TTB), b.confidence,
        ])
    return np.asarray(rows, dtype=np.float32).reshape(-1, len(FEATURES))


@cache
def _model_bytes() -> bytes:
    return resources.files(__package__).joinpath(MODEL_FILE).read_bytes()


@cache
def _booster():  # -> lightgbm.Booster
    import lightgbm

    booster = lightgbm.Booster(model_str=_model_bytes().decode("utf-8"))
    if booster.feature_name() != FEATURES:
        raise ModelError(f"{MODEL_FILE}: trained on features {booster.feature_name()}, layoutkit computes "
                         f"{FEATURES}; retrain it with benchmarks/train_models.py")
    return booster


def roles_model() -> dict[str, str]:
    """The role model's identity, for ALTO's Processing record."""
    return {"roles-model": f"{MODEL_FILE} sha256:{hashlib.sha256(_model_bytes()).hexdigest()}"}


def predict_roles(blocks: list[Block], page_width: float, page_height: float, body: float,
                  booster=None) -> list[BlockType]:
    """The role of each text block of `blocks` (in their order), by the packaged model unless
    another booster is given (as training does for held-out pages)."""
    feats = block_features(blocks, page_width, page_height, body)
    if not len(feats):
        return []
    p = np.asarray((booster or _booster()).predict(feats)).reshape(len(feats), len(ROLES))
    return [ROLES[i] for i in p.argmax(axis=1)]

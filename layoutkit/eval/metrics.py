"""Quality of a predicted page against ground truth, both read into the page model.

Lines are matched by geometry, text deciding between overlapping candidates, so every
measure compares like with like whatever tool made the prediction: text (CER/WER in reading order
and order-free), reading order (pairwise and next-line accuracy over matched lines), regions (F1
at IoU >= 0.5, per type), each text block's role (precision and recall, blocks matched by their
lines), masthead fields and caption links.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import asdict, dataclass, field

import numpy as np
from rapidfuzz.distance import Levenshtein
from shapely.geometry import Polygon as ShapelyPolygon

from ..model import Block, BlockType, Box, Page, TextLine
from ..ocr.strings import is_cjk

IOU_THRESHOLD = 0.5
#: A predicted line is a ground-truth line's by geometry alone when it covers this much of it ...
MATCH_COVER = 0.5
#: ... and a candidate for it from this much, chosen by text where its text agrees this well.
CANDIDATE_COVER = 0.1
TEXT_AGREES = 0.5


def normalise(text: str) -> str:
    """NFKC (full- and half-width forms are one character) without whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def tokens(text: str) -> list[str]:
    """Words for WER: whitespace-separated, each CJK character a word of its own."""
    out: list[str] = []
    for word in unicodedata.normalize("NFKC", text).split():
        buf = ""
        for ch in word:
            if is_cjk(ch):
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(ch)
            else:
                buf += ch
        if buf:
            out.append(buf)
    return out


def cer(pred: str, truth: str) -> float:
    t = normalise(truth)
    return Levenshtein.distance(normalise(pred), t) / max(1, len(t))


def wer(pred: str, truth: str) -> float:
    t = tokens(truth)
    return Levenshtein.distance(tokens(pred), t) / max(1, len(t))


def ordered_lines(page: Page) -> list[TextLine]:
    return [ln for b in page.ordered_blocks() if b.type.is_text for ln in b.lines]


def page_text(page: Page) -> str:
    return "\n".join(ln.text for ln in ordered_lines(page))


def match_lines(gt: list[TextLine], pred: list[TextLine]) -> list[int]:
    """For each ground-truth line, the predicted line it is, or -1.

    Geometry first: a predicted line covering at least MATCH_COVER of the ground-truth line. Where
    the ground truth was drawn in another frame (lines a good part of a line pitch off the scan, in
    the deskewed frame of the tool it was corrected from), a short last line of a paragraph is covered
    most by the full line above it; so every predicted line covering at least CANDIDATE_COVER is
    a candidate and the one whose text is nearest the ground truth's wins, if it agrees at all.
    """
    if not gt or not pred:
        return [-1] * len(gt)
    g, p = Box.rows([ln.box for ln in gt]), Box.rows([ln.box for ln in pred])
    iw = np.clip(np.minimum(g[:, None, 2], p[None, :, 2]) - np.maximum(g[:, None, 0], p[None, :, 0]), 0, None)
    ih = np.clip(np.minimum(g[:, None, 3], p[None, :, 3]) - np.maximum(g[:, None, 1], p[None, :, 1]), 0, None)
    area = np.maximum((g[:, 2] - g[:, 0]) * (g[:, 3] - g[:, 1]), 1e-9)
    cover = iw * ih / area[:, None]
    pred_texts = [normalise(ln.text) for ln in pred]
    matches = []
    for i, line in enumerate(gt):
        candidates = np.flatnonzero(cover[i] >= CANDIDATE_COVER)
        truth = normalise(line.text)
        if truth and len(candidates):
            similarity = [Levenshtein.normalized_similarity(pred_texts[j], truth) for j in candidates]
            best = int(candidates[int(np.argmax(similarity))])
            if max(similarity) > TEXT_AGREES:
                matches.append(best)
                continue
        best = int(cover[i].argmax())
        matches.append(best if cover[i, best] >= MATCH_COVER else -1)
    return matches


def order_scores(matches: list[int]) -> tuple[float, float]:
    """Pairwise order accuracy and next-line accuracy of the predicted ranks of matched GT lines.

    Two ground-truth lines that fall in one predicted line count as in order and consecutive.
    """
    ranks = np.array([m for m in matches if m >= 0])
    if len(ranks) < 2:
        return 1.0, 1.0
    upper = np.triu(np.ones((len(ranks), len(ranks)), dtype=bool), k=1)
    pairwise = float((ranks[None, :] >= ranks[:, None])[upper].mean())
    consecutive = [(a, b) for a, b in itertools.pairwise(matches) if a >= 0 and b >= 0]
    nxt = sum(1 for a, b in consecutive if b in (a, a + 1)) / max(1, len(consecutive))
    return pairwise, float(nxt)


def next_line_in_articles(gt: list[TextLine], article_of: list[str | None], matches: list[int]) -> float | None:
    """Next-line accuracy over the consecutive ground-truth lines of one article: whether a reader
    of the prediction goes on inside the story, whatever happens between stories."""
    pairs = [(matches[i], matches[i + 1]) for i in range(len(gt) - 1)
             if article_of[i] is not None and article_of[i] == article_of[i + 1]
             and matches[i] >= 0 and matches[i + 1] >= 0]
    if not pairs:
        return None
    return sum(1 for a, b in pairs if b in (a, a + 1)) / len(pairs)


def best_substring_distance(needle: str, haystack: str) -> int:
    """Edit distance from `needle` to the stretch of `haystack` nearest it (semi-global alignment:
    the stretch may start and end anywhere, at no cost)."""
    if not needle:
        return 0
    if not haystack:
        return len(needle)
    hay = np.frombuffer(haystack.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(hay) + 1, dtype=np.int64)
    row = np.zeros(len(hay) + 1, dtype=np.int64)  # free start anywhere in the haystack
    for i, ch in enumerate(needle, start=1):
        cost = (hay != ord(ch)).astype(np.int64)
        cand = np.empty_like(row)
        cand[0] = i
        cand[1:] = np.minimum(row[:-1] + cost, row[1:] + 1)
        # Insertions run along the row: row[j] = min over k <= j of cand[k] + (j - k).
        row = np.minimum.accumulate(cand - idx) + idx
    return int(row.min())


def article_cer(articles: list[str], predicted: str) -> float | None:
    """Each ground-truth article's text against the stretch of the predicted page text (in the
    predicted reading order) nearest it: lines of a story read out of order, split by lines of
    another, or missing all cost, wherever the story stands on the page."""
    texts = [normalise(t) for t in articles]
    texts = [t for t in texts if t]
    if not texts:
        return None
    flat = normalise(predicted)
    return sum(best_substring_distance(t, flat) for t in texts) / sum(len(t) for t in texts)


def order_free_cer(gt: list[TextLine], pred: list[TextLine], matches: list[int]) -> float:
    """CER with lines paired by geometry: what recognition got wrong, whatever the order."""
    errors, total = 0, 0
    used: dict[int, list[int]] = {}
    for gi, pi in enumerate(matches):
        if pi >= 0:
            used.setdefault(pi, []).append(gi)
    for gi, line in enumerate(gt):
        total += len(normalise(line.text))
        if matches[gi] < 0:
            errors += len(normalise(line.text))
    for pi, gis in used.items():
        truth = "".join(normalise(gt[g].text) for g in gis)
        errors += Levenshtein.distance(normalise(pred[pi].text), truth)
    errors += sum(len(normalise(p.text)) for i, p in enumerate(pred) if i not in used)
    return errors / max(1, total)


def _poly(block: Block) -> ShapelyPolygon:
    poly = ShapelyPolygon(block.polygon) if len(block.polygon) >= 3 else ShapelyPolygon(block.box.polygon())
    return poly if poly.is_valid else poly.buffer(0)


def match_regions(gt: list[Block], pred: list[Block]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching by IoU, best first; pairs (gt index, pred index, iou) >= threshold."""
    gp, pp = [_poly(b) for b in gt], [_poly(b) for b in pred]
    candidates = []
    for i, g in enumerate(gp):
        gb = gt[i].box
        for j, p in enumerate(pp):
            if gb.intersection_area(pred[j].box) <= 0:
                continue
            inter = g.intersection(p).area
            union = g.area + p.area - inter
            iou = inter / union if union > 0 else 0.0
            if iou >= IOU_THRESHOLD:
                candidates.append((iou, i, j))
    pairs: list[tuple[int, int, float]] = []
    seen_g: set[int] = set()
    seen_p: set[int] = set()
    for iou, i, j in sorted(candidates, reverse=True):
        if i not in seen_g and j not in seen_p:
            pairs.append((i, j, iou))
            seen_g.add(i)
            seen_p.add(j)
    return pairs


def _f1(tp: int, n_gt: int, n_pred: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0 if not n_gt else 0.0
    r = tp / n_gt if n_gt else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(slots=True)
class PageScores:
    """Text measures are None where the ground truth has no text, order ones where it has no order."""

    name: str
    cer: float | None
    wer: float | None
    cer_order_free: float | None
    order_pairwise: float | None
    order_next_line: float | None
    line_recall: float
    region_precision: float
    region_recall: float
    region_f1: float
    type_accuracy: float
    gt_lines: int
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    order_next_line_in_articles: float | None = None
    article_cer: float | None = None
    masthead_accuracy: float | None = None
    masthead_errors: list[str] = field(default_factory=list)
    caption_link_accuracy: float | None = None
    #: role -> counts (`role_counts`): summed over a set's pages, its precision and recall.
    roles: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _regions(page: Page) -> list[Block]:
    return [b for b in page.blocks if b.type is not BlockType.SEPARATOR]


def evaluate(pred: Page, gt: Page, name: str = "") -> PageScores:
    gl, pl = ordered_lines(gt), ordered_lines(pred)
    matches = match_lines(gl, pl)
    pairwise, nxt = order_scores(matches)
    gt_text, pred_text = page_text(gt), page_text(pred)
    gr, pr = _regions(gt), _regions(pred)
    pairs = match_regions(gr, pr)
    prec, rec, f1 = _f1(len(pairs), len(gr), len(pr))
    typed = sum(1 for i, j, _ in pairs if gr[i].type is pr[j].type)
    per_type: dict[str, dict[str, float]] = {}
    for t in sorted({b.type for b in gr} | {b.type for b in pr}, key=lambda x: x.value):
        tp = sum(1 for i, j, _ in pairs if gr[i].type is t and pr[j].type is t)
        n_g, n_p = sum(1 for b in gr if b.type is t), sum(1 for b in pr if b.type is t)
        p, r, f = _f1(tp, n_g, n_p)
        per_type[t.value] = {"gt": n_g, "pred": n_p, "precision": p, "recall": r, "f1": f}
    has_text = bool(normalise(gt_text))
    has_order = any(b.order is not None for b in gt.blocks)
    scores = PageScores(name, cer(pred_text, gt_text) if has_text else None,
                        wer(pred_text, gt_text) if has_text else None,
                        order_free_cer(gl, pl, matches) if has_text else None,
                        pairwise if has_order else None, nxt if has_order else None,
                        sum(1 for m in matches if m >= 0) / max(1, len(gl)), prec, rec, f1,
                        typed / max(1, len(pairs)), len(gl), per_type)
    if gt.masthead:
        predicted = {f.name: f.value for f in pred.masthead}
        wrong = [f"{f.name}: {predicted.get(f.name)!r} != {f.value!r}" for f in gt.masthead
                 if predicted.get(f.name) != f.value]
        scores.masthead_accuracy = 1 - len(wrong) / len(gt.masthead)
        scores.masthead_errors = wrong
    scores.caption_link_accuracy = _caption_links(gt, pred, gr, pr, pairs)
    scores.roles = role_counts(pred, gt, matches)
    if gt.articles and has_order:
        by_block = {b.id: b.article_id for b in gt.blocks}
        article_of = [by_block.get(bid) for bid in _line_blocks(gt)]
        scores.order_next_line_in_articles = next_line_in_articles(gl, article_of, matches)
        if has_text:
            scores.article_cer = article_cer(_article_texts(gt), pred_text)
    return scores


def _majority(types: list[BlockType]) -> BlockType | None:
    return max(dict.fromkeys(types), key=types.count) if types else None


def role_counts(pred: Page, gt: Page, matches: list[int] | None = None) -> dict[str, dict[str, int]]:
    """Each text role's blocks on both sides, matched by their lines (`match_lines`).

    A ground-truth block is found when most of its matched lines lie in predicted blocks of its
    type (`recalled` of `gt`); a predicted block is right when most of the ground-truth lines in it
    are of its type (`right` of `pred`; one with no ground-truth line in it counts as wrong). So a
    role's figures say whether the text of that role is typed so, whatever the blocks' outlines."""
    gl, pl = ordered_lines(gt), ordered_lines(pred)
    if matches is None:
        matches = match_lines(gl, pl)
    gt_blocks = [b for b in gt.ordered_blocks() if b.type.is_text for _ in b.lines]
    pred_blocks = [b for b in pred.ordered_blocks() if b.type.is_text for _ in b.lines]
    seen_as: dict[int, list[BlockType]] = {}  # id(gt block) -> predicted types of its lines
    holds: dict[int, list[BlockType]] = {}  # id(pred block) -> ground-truth types of its lines
    for g, p in enumerate(matches):
        if p >= 0:
            seen_as.setdefault(id(gt_blocks[g]), []).append(pred_blocks[p].type)
            holds.setdefault(id(pred_blocks[p]), []).append(gt_blocks[g].type)
    counts: dict[str, dict[str, int]] = {}

    def add(role: BlockType, key: str, hit: bool) -> None:
        row = counts.setdefault(role.value, {"gt": 0, "recalled": 0, "pred": 0, "right": 0})
        row[key] += 1
        row["recalled" if key == "gt" else "right"] += hit

    for b in gt.blocks:
        if b.type.is_text and b.lines:
            add(b.type, "gt", _majority(seen_as.get(id(b), [])) is b.type)
    for b in pred.blocks:
        if b.type.is_text and b.lines:
            add(b.type, "pred", _majority(holds.get(id(b), [])) is b.type)
    return counts


def _line_blocks(page: Page) -> list[str]:
    """The block id of each line of `ordered_lines(page)`."""
    return [b.id for b in page.ordered_blocks() if b.type.is_text for _ in b.lines]


def _article_texts(page: Page) -> list[str]:
    blocks = {b.id: b for b in page.blocks}
    return ["\n".join(blocks[bid].text for bid in art.block_ids if bid in blocks and blocks[bid].type.is_text)
            for art in page.articles]


def _caption_links(gt: Page, pred: Page, gr: list[Block], pr: list[Block],
                   pairs: list[tuple[int, int, float]]) -> float | None:
    links = [b for b in gr if b.caption_of]
    if not links:
        return None
    to_pred = {gr[i].id: pr[j] for i, j, _ in pairs}
    good = 0
    for b in links:
        cap, photo = to_pred.get(b.id), to_pred.get(b.caption_of or "")
        good += bool(cap and photo and cap.caption_of == photo.id)
    return good / len(links)

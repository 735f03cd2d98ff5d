"""Measurements the tests share: page text CER and line recall against rendered ground truth."""

from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein

from layoutkit.model import Box, Page


def squash(text: str) -> str:
    """NFKC (full- and half-width forms count as one character) and no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def cer(predicted: str, truth: str) -> float:
    """Character error rate over the normalised text (CJK has no spaces to score)."""
    t = squash(truth)
    return Levenshtein.distance(squash(predicted), t) / max(1, len(t))


def page_text(page: Page) -> str:
    return "\n".join(line.text for line in page.text_lines)


def line_recall(predicted: Page, truth: Page, min_cover: float = 0.5) -> float:
    """Share of ground-truth lines that some detected line covers by at least `min_cover`."""
    pred_boxes: list[Box] = [ln.box for ln in predicted.text_lines]
    gt_boxes = [ln.box for ln in truth.text_lines]
    hit = sum(1 for g in gt_boxes if any(p.intersection_area(g) >= min_cover * g.area for p in pred_boxes))
    return hit / max(1, len(gt_boxes))

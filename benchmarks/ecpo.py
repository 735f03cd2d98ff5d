"""The 晶報 folds' text ground truth (ECPO XML): the text of each article in document order.

The ground truth holds no line or article geometry that joins its text (the layout annotations
are separate and unlinked), so a prediction is judged on text alone: each article against the
stretch of the predicted text nearest it (in reading order), and the whole fold's characters as
a bag (order ignored), which tells reading order from recognition apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from layoutkit.eval.metrics import article_cer, normalise
from layoutkit.xmlsafe import parse_xml

#: ECPO division types read as stories.
ARTICLE_TYPES = ("article",)


@dataclass(slots=True)
class FoldText:
    articles: list[str]
    all_text: str


def _text(node: etree._Element) -> str:
    """A division's text; line breaks and white space do not count in any measure here."""
    return "".join(node.itertext())


def read_fold(path: Path) -> FoldText:
    root = parse_xml(path).getroot()
    divs = [d for d in root.iter() if isinstance(d.tag, str) and etree.QName(d).localname == "div"]
    articles = [_text(d) for d in divs if d.get("type") in ARTICLE_TYPES]
    return FoldText(articles, _text(root))


def bag_cer(predicted: str, truth: str) -> float:
    """Characters missing or extra, ignoring order: max(missing, extra) / truth length, the edit
    distance if every substitution were one missing and one extra character paired up."""
    p, t = Counter(normalise(predicted)), Counter(normalise(truth))
    missing, extra = sum((t - p).values()), sum((p - t).values())
    return max(missing, extra) / max(1, sum(t.values()))


def score_fold(predicted: str, truth: FoldText) -> dict[str, float | None]:
    return {"article_cer": article_cer(truth.articles, predicted), "cer_order_free": bag_cer(predicted, truth.all_text)}

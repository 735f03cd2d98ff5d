"""Pair prediction and ground-truth files, score each page, and report a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from ..io.readers import read_layout
from .metrics import PageScores, evaluate

SUFFIXES = (".alto.xml", ".page.xml", ".gt.xml", ".xml")


def stem_of(path: Path) -> str:
    name = path.name
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def pair_files(pred: Path, gt: Path) -> list[tuple[Path, Path]]:
    if pred.is_file() and gt.is_file():
        return [(pred, gt)]
    if pred.is_dir() and gt.is_dir():
        preds = {stem_of(p): p for p in sorted(pred.glob("*.xml"))}
        gts = {stem_of(g): g for g in sorted(gt.glob("*.xml"))}
        pairs = [(preds[s], gts[s]) for s in sorted(preds.keys() & gts.keys())]
        if not pairs:
            raise InputError(pred, f"no file here shares a stem with a ground-truth file in {gt}")
        return pairs
    raise InputError(pred, "PRED and GT must both be files or both be folders")


def evaluate_paths(pred: Path, gt: Path) -> list[PageScores]:
    return [evaluate(read_layout(p), read_layout(g), stem_of(g)) for p, g in pair_files(pred, gt)]


COLUMNS = [("CER", "cer"), ("WER", "wer"), ("CER free", "cer_order_free"), ("order pair", "order_pairwise"),
           ("next line", "order_next_line"), ("line rec", "line_recall"), ("region F1", "region_f1"),
           ("type acc", "type_accuracy"), ("masthead", "masthead_accuracy"), ("captions", "caption_link_accuracy")]


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.4f}"


def table(scores: list[PageScores]) -> str:
    head = "| page | " + " | ".join(c for c, _ in COLUMNS) + " |"
    rows = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for s in scores:
        d = s.as_dict()
        rows.append(f"| {s.name} | " + " | ".join(_fmt(d[k]) for _, k in COLUMNS) + " |")
    if len(scores) > 1:
        means = []
        for _, k in COLUMNS:
            vals = [s.as_dict()[k] for s in scores if s.as_dict()[k] is not None]
            means.append(_fmt(sum(vals) / len(vals)) if vals else "-")
        rows.append("| **mean** | " + " | ".join(means) + " |")
    errors = [f"{s.name} masthead {err}" for s in scores for err in s.masthead_errors]
    return "\n".join(rows + (["", *errors] if errors else []))


def as_json(scores: list[PageScores]) -> str:
    return json.dumps([s.as_dict() for s in scores], ensure_ascii=False, indent=1)

"""Train layoutkit's two learned models and say how well they do on pages they did not see.

    python benchmarks/train_models.py              # generated (dev seeds) + all NZZ -> the shipped models
    python benchmarks/train_models.py --folds 4    # also 4 order models, each without a quarter of NZZ

- `layoutkit/layout/roles_model.txt`: each text block's role (kicker, headline, body, caption ...),
  from the generated pages' dev seeds (their ground truth types every block);
- `layoutkit/structure/order_model.txt`: P(block u is read before block v), from the same pages
  and the NZZ ground truth's reading order.

Each file's sha256 is written into its row of `models/trained.md`. With `--folds K`, K more order
models are saved in `--folds-dir` (default ~/.cache/layoutkit/order-folds), each trained on
everything but every K-th NZZ page from the k-th on, with `folds.json` naming the pages each one
did not see: `benchmarks/run.py` orders each NZZ page by the model that did not see it.

The training pages are run through the pipeline in this process's workers (with the line cache:
detection and recognition once) up to recognition, and kept in memory in the working image's
frame (upright, deskewed), where the pipeline computes its features at run time; the ground
truth is moved into that frame (`preprocess.into_working`). The role model's features are those
of the blocks `pipeline.type_page` gets, the order model's those of the page it gives
(`order_blocks` computes them from that page): the same functions on the same page as at run
time (tests/test_training.py). Each predicted block takes the role of the ground-truth blocks
most of its lines are, and the place its lines have in the ground truth's reading order; every
pair of placed blocks is an example (u before v?). The order model is trained on pages typed by
the new role model, since roles are among its features. The same pages, settings and LightGBM
version give the same files, byte for byte. The generated pages' report seeds are never trained
on (`benchmarks/run.py` reports on them).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import re
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import lightgbm
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run import CACHE  # noqa: E402
from benchmarks.sets import Case, cases  # noqa: E402
from layoutkit.eval.metrics import evaluate, match_lines, match_regions, ordered_lines  # noqa: E402
from layoutkit.io.images import load_pages  # noqa: E402
from layoutkit.io.readers import read_layout  # noqa: E402
from layoutkit.layout import roles  # noqa: E402
from layoutkit.layout.spread import split_spread  # noqa: E402
from layoutkit.model import BlockType, Page  # noqa: E402
from layoutkit.pipeline import Pipeline, Settings, order_page, type_page, work_size  # noqa: E402
from layoutkit.preprocess import into_working  # noqa: E402
from layoutkit.structure import relations  # noqa: E402
from layoutkit.structure.order import median_body, scene_of  # noqa: E402
from layoutkit.structure.relations import FEATURES, pair_features  # noqa: E402

RECORD = ROOT / "models" / "trained.md"
ORDER_MODEL = ROOT / "layoutkit" / "structure" / relations.MODEL_FILE
ROLES_MODEL = ROOT / "layoutkit" / "layout" / roles.MODEL_FILE
FOLDS_DIR = CACHE / "order-folds"
#: In FOLDS_DIR: each fold model's file, the pages it did not see and the role model it was trained beside.
FOLDS_MANIFEST = "folds.json"
#: At most this many pairs from one page, drawn at random (a broadsheet has 300 blocks, 90 000 pairs).
PAIRS_PER_PAGE = 20000
PARAMS = {"objective": "binary", "learning_rate": 0.08, "num_leaves": 31, "min_data_in_leaf": 40,
          "feature_fraction": 0.9, "lambda_l2": 1.0, "deterministic": True, "force_row_wise": True,
          "num_threads": 2, "seed": 0, "verbosity": -1}
ROUNDS = 150
#: Smaller trees, each from half the features: as accurate on held-out dev seeds (4-fold: 0.982)
#: as the order's settings, and less bound to any one measure the generator happens to fix (on
#: the samples' blocks: every headline and caption right, against 10 of 12 and 2 of 4).
ROLES_PARAMS = PARAMS | {"objective": "multiclass", "num_class": len(roles.ROLES), "num_leaves": 15,
                         "min_data_in_leaf": 40, "feature_fraction": 0.5}
ROLES_ROUNDS = 200


@dataclass(slots=True)
class Example:
    """A training page as the pipeline has it before its structure stages, in the working frame,
    and its ground truth moved into that frame."""

    case: Case
    page: Page  # recognised, untyped: what `pipeline.type_page` gets
    gt: Page
    size: tuple[float, float]  # the working image's width and height


# -- the pages, in the working frame ----------------------------------------------------------------
_PIPELINE: Pipeline | None = None


def _start_worker(settings: Settings) -> None:
    global _PIPELINE
    _PIPELINE = Pipeline(settings)


def working_example(case: Case, pipeline: Pipeline | None = None) -> Example | None:
    """The case's page recognised by the pipeline (`Pipeline.recognise`), kept before `restore`,
    with its ground truth moved into the same frame; None for an image the pipeline would cut in
    two (training pages are single pages)."""
    pipeline = pipeline or _PIPELINE
    assert pipeline is not None
    s = pipeline.settings
    image = next(iter(load_pages(case.image, max_pixels=s.max_pixels, pdf_dpi=s.pdf_dpi)))
    if s.spreads == "split" and split_spread(image, s.deskew):
        print(f"{case.name}: taken for two facing pages, left out", file=sys.stderr, flush=True)
        return None
    page, work, _ = pipeline.recognise(image)
    return Example(case, page, into_working(read_layout(case.gt), work), work_size(work))


def working_examples(todo: list[Case], cache: Path, jobs: int) -> list[Example]:
    settings = Settings(cache_dir=str(cache / "lines"), threads=max(1, (os.cpu_count() or 1) // max(1, jobs)))
    todo = [c for c in todo if not c.text_only]
    got: list[Example | None] = []
    if jobs <= 1:
        pipeline = Pipeline(settings)
        done = (working_example(case, pipeline) for case in todo)
    else:
        # Spawned, as the batch runner's workers are: onnxruntime's threads do not survive a fork.
        pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_start_worker,
                                   initargs=(settings,))
        done = pool.map(working_example, todo)
    for n, ex in enumerate(done, start=1):
        got.append(ex)
        print(f"[{n}/{len(todo)}] {todo[n - 1].name}", flush=True)
    if jobs > 1:
        pool.shutdown()
    return [ex for ex in got if ex is not None]


def role_features(ex: Example) -> np.ndarray:
    """The role model's features of the example's text blocks, as `type_page` has the model see
    them: the recognised blocks, the working image's extent, the body size before roles."""
    return roles.block_features(ex.page.blocks, *ex.size, median_body(ex.page))


def typed(ex: Example) -> tuple[Page, float]:
    """A copy of the example's page through `type_page` (roles by the installed role model)."""
    return type_page(copy.deepcopy(ex.page), *ex.size)


def order_features(page: Page, body: float) -> np.ndarray:
    """The order model's features of every pair of blocks of a typed page, as `order_blocks`
    computes them from it."""
    return pair_features(scene_of(page, body))


def ranks(pred: Page, gt: Page) -> np.ndarray:
    """Each predicted block's place in the ground truth's order (NaN where none): the median
    place of the ground-truth lines its lines are; a picture, the place of the ground-truth
    picture it is (between the lines read before and after it)."""
    gl = ordered_lines(gt)
    line_block = [i for i, b in enumerate(pred.blocks) if b.type.is_text for _ in b.lines]
    pl = [ln for b in pred.blocks if b.type.is_text for ln in b.lines]
    places: dict[int, list[int]] = {}
    for g, p in enumerate(match_lines(gl, pl)):
        if p >= 0:
            places.setdefault(line_block[p], []).append(g)
    out = np.full(len(pred.blocks), np.nan)
    for i, got in places.items():
        out[i] = float(np.median(got))
    before: dict[str, int] = {}
    seen = 0
    for b in gt.ordered_blocks():
        if b.type.is_text:
            seen += len(b.lines)
        else:
            before[b.id] = seen
    gt_pictures = [b for b in gt.ordered_blocks() if not b.type.is_text]
    pred_pictures = [i for i, b in enumerate(pred.blocks) if not b.type.is_text]
    for gi, pj, _ in match_regions(gt_pictures, [pred.blocks[i] for i in pred_pictures]):
        out[pred_pictures[pj]] = before[gt_pictures[gi].id] - 0.5
    return out


def examples(page: Page, body: float, gt: Page, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of a typed page's placed blocks: their features and whether u is read before v."""
    place = ranks(page, gt)
    known = np.flatnonzero(~np.isnan(place))
    if len(known) < 2:
        return np.zeros((0, len(FEATURES)), np.float32), np.zeros(0)
    feats = order_features(page, body)
    u, v = np.meshgrid(known, known, indexing="ij")
    u, v = u.ravel(), v.ravel()
    keep = place[u] != place[v]
    u, v = u[keep], v[keep]
    if len(u) > PAIRS_PER_PAGE:
        pick = rng.choice(len(u), PAIRS_PER_PAGE, replace=False)
        u, v = u[pick], v[pick]
    return feats[u, v], (place[u] < place[v]).astype(np.float64)


def train_order(pages: list[tuple[Example, Page, float]]) -> lightgbm.Booster:
    """The order model from typed pages (example, typed page, body size)."""
    rng = np.random.default_rng(0)
    parts = [examples(page, body, ex.gt, rng) for ex, page, body in pages]
    x = np.concatenate([a for a, _ in parts])
    y = np.concatenate([b for _, b in parts])
    data = lightgbm.Dataset(x, y, feature_name=FEATURES, categorical_feature=["u_type", "v_type"],
                            free_raw_data=False)
    print(f"training the order on {len(y)} pairs from {len(pages)} pages", flush=True)
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def role_examples(ex: Example) -> tuple[np.ndarray, np.ndarray]:
    """Each recognised text block's features and the role of the ground-truth blocks most of its
    lines are (blocks of the masthead, which is found by its own evidence, left out)."""
    texts = [b for b in ex.page.blocks if b.type.is_text and b.lines]
    feats = role_features(ex)
    gt_type = [b.type for b in ex.gt.ordered_blocks() if b.type.is_text for _ in b.lines]
    line_block = [i for i, b in enumerate(texts) for _ in b.lines]
    votes: dict[int, list[BlockType]] = {}
    for g, p in enumerate(match_lines(ordered_lines(ex.gt), [ln for b in texts for ln in b.lines])):
        if p >= 0:
            votes.setdefault(line_block[p], []).append(gt_type[g])
    rows, labels = [], []
    for i, got in votes.items():
        role = max(set(got), key=got.count)
        if role in roles.ROLES:
            rows.append(i)
            labels.append(roles.ROLES.index(role))
    return feats[rows], np.asarray(labels, dtype=np.float64)


def train_roles(pages: list[Example]) -> lightgbm.Booster:
    parts = [role_examples(ex) for ex in pages]
    x = np.concatenate([a for a, _ in parts])
    y = np.concatenate([b for _, b in parts])
    print(f"training roles on {len(y)} blocks from {len(pages)} pages", flush=True)
    data = lightgbm.Dataset(x, y, feature_name=roles.FEATURES)
    return lightgbm.train(ROLES_PARAMS, data, num_boost_round=ROLES_ROUNDS)


def folds_of(real: list[Example], folds: int) -> list[list[Example]]:
    """The k-th fold: every `folds`-th page of the real set from the k-th on."""
    return [real[k::folds] for k in range(folds)]


def train_folds(typed_pages: list[tuple[Example, Page, float]], folds: int, folder: Path,
                with_nzz: bool = True) -> None:
    """K order models, each trained on every page but one fold of NZZ's, saved in `folder` with a
    manifest of the pages each did not see; and, scored here in the working frame, how each
    held-out page is ordered by its fold's model. Without NZZ in training, one model from the
    generated pages alone, which holds out every NZZ page."""
    real = [t for t in typed_pages if t[0].case.set == "nzz"]
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("order-fold-*.txt"):
        old.unlink()
    generated = sum(t[0].case.set == "generated" for t in typed_pages)
    trained_on = f"{generated} generated dev seeds" + (" and the NZZ pages of the other folds" if with_nzz else "")
    manifest: dict = {"roles_model": hashlib.sha256(ROLES_MODEL.read_bytes()).hexdigest(), "trained_on": trained_on,
                      "folds": []}
    scores: list[tuple[str, float, float]] = []
    groups = folds_of([t[0] for t in real], folds) if with_nzz else [[t[0] for t in real]]
    for k, test in enumerate(groups):
        held = {ex.case.name for ex in test}
        model = train_order([t for t in typed_pages if t[0].case.name not in held and (with_nzz or
                                                                                        t[0].case.set != "nzz")])
        path = folder / f"order-fold-{k}.txt"
        path.write_text(model.model_to_string(), encoding="utf-8")
        manifest["folds"].append({"model": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                  "held_out": sorted(held)})
        for ex, page, body in (t for t in real if t[0].case.name in held):
            pred = order_page(copy.deepcopy(page), body, model)
            s = evaluate(pred, ex.gt, ex.case.name)
            scores.append((ex.case.name, s.order_next_line or 0.0, s.order_pairwise or 0.0))
            print(f"fold {k} {ex.case.name}: next line {scores[-1][1]:.4f}, pairwise {scores[-1][2]:.4f}", flush=True)
    (folder / FOLDS_MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    if not scores:
        return
    nxt = [s[1] for s in scores]
    pair = [s[2] for s in scores]
    print(f"NZZ held out ({len(groups)} folds, {len(scores)} pages, working frame): next line median "
          f"{statistics.median(nxt):.4f}, min {min(nxt):.4f}, pages below 0.93: {sum(v < 0.93 for v in nxt)}; "
          f"pairwise median {statistics.median(pair):.4f}; models and {FOLDS_MANIFEST} in {folder}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CACHE / "corpus")
    parser.add_argument("--cache", type=Path, default=CACHE, help="the line cache is its lines/ folder")
    parser.add_argument("--folds", type=int, default=0,
                        help="also save this many order models, each without one fold of the NZZ pages")
    parser.add_argument("--folds-dir", type=Path, default=FOLDS_DIR)
    parser.add_argument("--no-nzz", action="store_true",
                        help="train the order on generated pages only (the folds: one model, which saw no NZZ page)")
    parser.add_argument("--no-save", action="store_true", help="train and score, but install no model")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only pages whose name holds one of these (a trial)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    todo = [c for c in cases(["generated", "nzz"], args.corpus, "dev")
            if not args.only or any(part in c.name for part in args.only)]
    data = working_examples(todo, args.cache, args.jobs)
    model = train_roles([ex for ex in data if ex.case.set == "generated"])
    if not args.no_save:
        save(model, ROLES_MODEL, "roles-model")
        # Roles are among the order's features: the pages typed by the new model.
        roles._model_bytes.cache_clear()
        roles._booster.cache_clear()
    typed_pages = [(ex, *typed(ex)) for ex in data]
    if args.folds or args.no_nzz:
        train_folds(typed_pages, args.folds, args.folds_dir, not args.no_nzz)
    if not args.no_save:
        trained = [t for t in typed_pages if not (args.no_nzz and t[0].case.set == "nzz")]
        save(train_order(trained), ORDER_MODEL, "order-model")


def save(model: lightgbm.Booster, path: Path, name: str) -> None:
    """The model file, and its sha256 in its row of models/trained.md (the row's last cell)."""
    path.write_text(model.model_to_string(), encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    row = re.compile(rf"^(\| `{re.escape(name)}` \|.*\| )`[0-9a-f]*` \|$", re.M)
    record = RECORD.read_text("utf-8")
    if not row.search(record):
        raise SystemExit(f"{RECORD}: no row for `{name}`")
    RECORD.write_text(row.sub(lambda m: f"{m.group(1)}`{digest}` |", record), encoding="utf-8")
    print(f"wrote {path} sha256 {digest}, recorded in {RECORD.name}", flush=True)


if __name__ == "__main__":
    main()

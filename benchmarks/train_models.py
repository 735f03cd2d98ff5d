"""Train layoutkit's two learned models and say how well they do on pages they did not see.

    python benchmarks/train_models.py              # generated (dev seeds) + all NZZ -> the shipped models
    python benchmarks/train_models.py --folds 4    # also: each NZZ page ordered by a model that never saw it

- `layoutkit/layout/roles_model.txt`: each text block's role (kicker, headline, body, caption ...),
  from the generated pages' dev seeds (their ground truth types every block);
- `layoutkit/structure/order_model.txt`: P(block u is read before block v), from the same pages
  and the NZZ ground truth's reading order.

Each file's sha256 is written into its row of `models/trained.md`.

The training pages are run through layoutkit (with the line cache: detection and recognition
once). Each predicted block takes the role of the ground-truth blocks most of its lines are, and
the place its lines have in the ground truth's reading order; every pair of placed blocks is an
example (u before v?). The features are those layoutkit computes at run time. Blocks and their text
do not depend on either model, so the roles come from the same examples whatever is installed;
the pages are run again with the new roles before the order model is trained, since roles are
among its features. The same pages, settings and LightGBM version give the same files, byte for
byte. The generated pages' report seeds are never trained on (`benchmarks/run.py` reports on
them); the NZZ pages are, so `--folds` gives NZZ figures from models that did not see the page.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import sys
from pathlib import Path

import lightgbm
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run import CACHE, predicted_pages, run_layoutkit  # noqa: E402
from benchmarks.sets import Case, cases  # noqa: E402
from layoutkit.eval.metrics import evaluate, match_lines, match_regions, ordered_lines  # noqa: E402
from layoutkit.io.readers import read_layout  # noqa: E402
from layoutkit.layout import roles  # noqa: E402
from layoutkit.model import BlockType, Page  # noqa: E402
from layoutkit.structure import relations  # noqa: E402
from layoutkit.structure.order import median_body, order_blocks, scene_of  # noqa: E402
from layoutkit.structure.relations import FEATURES, pair_features  # noqa: E402

RECORD = ROOT / "models" / "trained.md"
ORDER_MODEL = ROOT / "layoutkit" / "structure" / relations.MODEL_FILE
ROLES_MODEL = ROOT / "layoutkit" / "layout" / roles.MODEL_FILE
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


def examples(pred: Page, gt: Page, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    place = ranks(pred, gt)
    known = np.flatnonzero(~np.isnan(place))
    if len(known) < 2:
        return np.zeros((0, len(FEATURES)), np.float32), np.zeros(0)
    feats = pair_features(scene_of(pred, median_body(pred)))
    u, v = np.meshgrid(known, known, indexing="ij")
    u, v = u.ravel(), v.ravel()
    keep = place[u] != place[v]
    u, v = u[keep], v[keep]
    if len(u) > PAIRS_PER_PAGE:
        pick = rng.choice(len(u), PAIRS_PER_PAGE, replace=False)
        u, v = u[pick], v[pick]
    return feats[u, v], (place[u] < place[v]).astype(np.float64)


def train_order(pages: list[tuple[Page, Page]]) -> lightgbm.Booster:
    rng = np.random.default_rng(0)
    parts = [examples(p, g, rng) for p, g in pages]
    x = np.concatenate([a for a, _ in parts])
    y = np.concatenate([b for _, b in parts])
    data = lightgbm.Dataset(x, y, feature_name=FEATURES, categorical_feature=["u_type", "v_type"],
                            free_raw_data=False)
    print(f"training the order on {len(y)} pairs from {len(pages)} pages", flush=True)
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def load(todo: list[Case], out: Path) -> list[tuple[Case, Page, Page]]:
    got = []
    for case in todo:
        pages = predicted_pages(out, case.image.stem)
        if pages and not case.text_only:
            got.append((case, pages[0], read_layout(case.gt)))
    return got


def roles_body(page: Page) -> float:
    """The body size roles are measured in at run time: every text block outside a frame counts."""
    sizes = [ln.box.thickness for b in page.blocks if b.type.is_text and b.type not in (BlockType.ADVERT,
             BlockType.TABLE) for ln in b.lines]
    return float(np.median(sizes)) if sizes else 0.0


def role_examples(pred: Page, gt: Page) -> tuple[np.ndarray, np.ndarray]:
    """Each predicted text block's features and the role of the ground-truth blocks most of its
    lines are (blocks of the masthead, which is found by its own evidence, left out)."""
    texts = [b for b in pred.blocks if b.type.is_text and b.lines]
    feats = roles.block_features(pred.blocks, float(pred.width), float(pred.height), roles_body(pred))
    gt_type = [b.type for b in gt.ordered_blocks() if b.type.is_text for _ in b.lines]
    line_block = [i for i, b in enumerate(texts) for _ in b.lines]
    votes: dict[int, list[BlockType]] = {}
    for g, p in enumerate(match_lines(ordered_lines(gt), [ln for b in texts for ln in b.lines])):
        if p >= 0:
            votes.setdefault(line_block[p], []).append(gt_type[g])
    rows, labels = [], []
    for i, got in votes.items():
        role = max(set(got), key=got.count)
        if role in roles.ROLES:
            rows.append(i)
            labels.append(roles.ROLES.index(role))
    return feats[rows], np.asarray(labels, dtype=np.float64)


def train_roles(pages: list[tuple[Page, Page]]) -> lightgbm.Booster:
    parts = [role_examples(p, g) for p, g in pages]
    x = np.concatenate([a for a, _ in parts])
    y = np.concatenate([b for _, b in parts])
    print(f"training roles on {len(y)} blocks from {len(pages)} pages", flush=True)
    data = lightgbm.Dataset(x, y, feature_name=roles.FEATURES)
    return lightgbm.train(ROLES_PARAMS, data, num_boost_round=ROLES_ROUNDS)


def held_out(data: list[tuple[Case, Page, Page]], folds: int, nzz_trained: bool) -> None:
    """Each NZZ page ordered by a model trained without it (and without a quarter of the others);
    or, when NZZ is not trained on, by the model from the other pages."""
    nzz = [d for d in data if d[0].set == "nzz"]
    rest = [d for d in data if d[0].set != "nzz"]
    scores: list[tuple[str, float, float]] = []
    for k in range(folds if nzz_trained else 1):
        test = nzz[k::folds] if nzz_trained else nzz
        model = train_order([(p, g) for _, p, g in rest + [d for d in nzz if nzz_trained and d not in test]])
        for case, pred, gt in test:
            order_blocks(pred, median_body(pred), model)
            s = evaluate(pred, gt, case.name)
            scores.append((case.name, s.order_next_line or 0.0, s.order_pairwise or 0.0))
            print(f"{case.name}: next line {scores[-1][1]:.4f}, pairwise {scores[-1][2]:.4f}", flush=True)
    nxt = [s[1] for s in scores]
    pair = [s[2] for s in scores]
    print(f"NZZ held out ({folds if nzz_trained else 'no'} folds, {len(scores)} pages): next line median "
          f"{statistics.median(nxt):.4f}, min {min(nxt):.4f}, pages below 0.93: {sum(v < 0.93 for v in nxt)}; "
          f"pairwise median {statistics.median(pair):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CACHE / "corpus")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--out", type=Path, default=CACHE / "train-out")
    parser.add_argument("--folds", type=int, default=0, help="also order each NZZ page by a model not trained on it")
    parser.add_argument("--no-nzz", action="store_true",
                        help="train the order on generated pages only (NZZ pages are still scored)")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    todo = cases(["generated", "nzz"], args.corpus, "dev")
    run_layoutkit(todo, args.out, args.cache, args.jobs)
    generated = [(p, g) for case, p, g in load(todo, args.out) if case.set == "generated"]
    model = train_roles(generated)
    if not args.no_save:
        save(model, ROLES_MODEL, "roles-model")
        # Roles are among the order's features: the pages again, typed by the new model.
        roles._model_bytes.cache_clear()
        roles._booster.cache_clear()
        run_layoutkit(todo, args.out, args.cache, args.jobs)
    data = load(todo, args.out)
    if args.folds:
        held_out(data, args.folds, not args.no_nzz)
    if not args.no_save:
        trained = [(p, g) for case, p, g in data if not (args.no_nzz and case.set == "nzz")]
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

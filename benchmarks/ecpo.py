"""The 晶報 folds' text ground truth (ECPO XML): the text of each article in document order.

The text ground truth holds no line geometry (the layout annotations are separate and unlinked),
so the text is judged on text alone: each article against the stretch of the predicted text
nearest it (in reading order), and the whole fold's characters as a bag (order ignored), which
tells reading order from recognition apart. Article segmentation is judged by geometry against
the layout annotation (`.layout.json`, ECPO's polygons of articles, adverts, pictures and masthead
matter): each predicted line goes to the polygon that holds it, and its characters count for the
predicted article it was put in (`segmentation_scores`).
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from shapely import STRtree, unary_union
from shapely.affinity import affine_transform
from shapely.geometry import Point, Polygon
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry

from layoutkit.eval.metrics import article_cer, normalise
from layoutkit.model import Block, BlockType, Page
from layoutkit.xmlsafe import parse_xml, safe_parser

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


# -- article segmentation, by geometry --------------------------------------------------------------
#: The layout annotation's categories; each region is a unit a predicted article may hold or cut.
REGION_KINDS = ("article", "advertisement", "image", "additional")
#: A predicted line stands in a region when this much of its area lies inside it.
INSIDE = 0.5


@dataclass(slots=True)
class Region:
    kind: str
    shape: BaseGeometry


def _svg_shape(svg: str, where: Path) -> BaseGeometry:
    """One annotation's SVG selector (`<g transform="matrix(...)"><polygon points=...>` or a
    circle) as a shapely shape in the fold image's pixels."""
    try:
        root = etree.fromstring(svg.encode("utf-8"), safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{where}: an SVG selector that is not XML ({exc})") from exc
    matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    got = re.search(r"matrix\(([^)]*)\)", root.get("transform", ""))
    if got:
        matrix = [float(v) for v in got[1].replace(",", " ").split()]
    shapes: list[BaseGeometry] = []
    for node in root.iter():
        local = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if local == "polygon":
            nums = [float(v) for v in node.get("points", "").replace(",", " ").split()]
            shapes.append(Polygon(list(zip(nums[::2], nums[1::2], strict=True))).buffer(0))
        elif local == "circle":
            cx, cy, r = (float(node.get(k, 0)) for k in ("cx", "cy", "r"))
            shapes.append(Point(cx, cy).buffer(r))
    if not shapes:
        raise ValueError(f"{where}: an SVG selector with neither polygon nor circle: {svg[:80]}")
    return affine_transform(unary_union(shapes), [matrix[0], matrix[2], matrix[1], matrix[3], matrix[4], matrix[5]])


def read_regions(path: Path) -> list[Region]:
    """The layout annotation (W3C Web Annotation JSON, SVG selectors) of one fold."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{path}: not a readable layout annotation ({exc})") from exc
    out = []
    for item in items:
        bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        kind = next((b["value"]["name"] for b in bodies if isinstance(b.get("value"), dict)), "")
        if kind in REGION_KINDS:
            out.extend(Region(kind, _svg_shape(t["selector"]["value"], path)) for t in targets)
    return out


@dataclass(slots=True)
class PlacedLine:
    """A predicted line in the fold's pixels: which predicted article holds it, how many
    characters it reads, and which annotated region (index) it stands in, if any."""

    article: str
    chars: int
    region: int | None


def place_lines(pages: list[Page], regions: list[Region]) -> list[PlacedLine]:
    """Every predicted line with text, put back into the scan (a page cut from a spread is offset
    by its crop) and assigned to the region holding most of it. A block outside every article is
    an article of its own."""
    tree = STRtree([r.shape for r in regions])
    out = []
    for k, page in enumerate(pages):
        dx, dy = (page.source.crop.x0, page.source.crop.y0) if page.source.crop else (0.0, 0.0)
        for b in page.blocks:
            # ALTO's reading order puts blocks outside every article in a group of their own.
            grouped = b.article_id and b.article_id != "unassigned"
            article = f"{k}/{b.article_id if grouped else b.id}"
            for ln in b.lines:
                chars = len(normalise(ln.text))
                if not chars:
                    continue
                box = ln.box
                shape = shapely_box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)
                best, share = None, 0.0
                for i in tree.query(shape):
                    s = regions[i].shape.intersection(shape).area / max(shape.area, 1e-9)
                    if s > share:
                        best, share = int(i), s
                out.append(PlacedLine(article, chars, best if share >= INSIDE else None))
    return out


def _best_shares(pairs: list[tuple[object, object, int]]) -> list[float]:
    """For each first key, the share of its characters that go with its most frequent second key."""
    totals: Counter = Counter()
    joint: Counter = Counter()
    for a, b, n in pairs:
        totals[a] += n
        joint[a, b] += n
    best: Counter = Counter()
    for (a, _), n in joint.items():
        best[a] = max(best[a], n)
    return [best[a] / totals[a] for a in totals]


def segmentation_scores(pages: list[Page], regions: list[Region]) -> dict[str, float | None]:
    """Completeness: for each annotated article, the share of the characters read inside it that
    one predicted article holds (the best one). Purity: for each predicted article, the share of its
    characters (those inside any annotated region: article, advert, picture, masthead matter) that
    come from one region. Medians over the articles; and the shares of annotated articles at least
    90 % complete and of predicted ones at least 90 % pure. Characters outside every region (rules,
    margins) count for neither."""
    placed = [p for p in place_lines(pages, regions) if p.region is not None]
    complete = _best_shares([(p.region, p.article, p.chars) for p in placed
                             if regions[p.region].kind == "article"])  # type: ignore[index]
    pure = _best_shares([(p.article, p.region, p.chars) for p in placed])
    return {"article_completeness": statistics.median(complete) if complete else None,
            "article_purity": statistics.median(pure) if pure else None,
            "articles_complete_90": sum(c >= 0.9 for c in complete) / len(complete) if complete else None,
            "articles_pure_90": sum(p >= 0.9 for p in pure) / len(pure) if pure else None}


def fold_segmentation(pages: list[Page], text_gt: Path) -> dict[str, float | None]:
    """Segmentation scores against the layout annotation beside a fold's text ground truth
    (`stem.layout.json` beside `stem.text.xml`); none where the fold has no annotation."""
    layout = text_gt.with_name(text_gt.name.removesuffix(".text.xml") + ".layout.json")
    return segmentation_scores(pages, read_regions(layout)) if layout.exists() else {}


def regions_of(truth: Page) -> list[Region]:
    """A ground-truth page's articles as regions (each the union of its blocks), for pages whose
    ground truth is PAGE or ALTO with articles (the generated pages, NZZ); a block in no article
    is a region of its own (an advert's kind where it is one)."""
    def shape(blocks: list[Block]) -> BaseGeometry:
        return unary_union([Polygon(b.polygon).buffer(0) for b in blocks if len(b.polygon) >= 3])

    by_id = {b.id: b for b in truth.blocks}
    out = [Region("article", shape([by_id[i] for i in a.block_ids if i in by_id])) for a in truth.articles]
    grouped = {i for a in truth.articles for i in a.block_ids}
    out += [Region("advertisement" if b.type is BlockType.ADVERT else "additional", shape([b]))
            for b in truth.blocks if b.id not in grouped and b.type.is_text]
    return [r for r in out if not r.shape.is_empty]


def page_segmentation(predicted: Page, truth: Page) -> dict[str, float | None]:
    """Segmentation scores of one page against its ground truth's articles; none where it has none."""
    return segmentation_scores([predicted], regions_of(truth)) if truth.articles else {}

"""Whole newspaper pages drawn at random from a seed, with exact ground truth: `make_page(seed)`.

Three kinds, decided by the seed (`kind_of`): Chinese with horizontal body text, Chinese with
vertical body text (the 晶報 manner: tiers divided by rules, articles read right to left), and
Latin (German, in Antiqua or Fraktur). Everything else is drawn from `numpy.random.default_rng(seed)`
alone, so a seed always gives the same pixels: paper format and resolution (100-400 dpi), 3-8
columns of unequal width divided by rules or by white gutters down to one character wide with
justified text, the modules that fill them (stories spanning one to all columns, multi-deck
headlines, vertical headlines, boxed stories, brief columns, adverts, photos with captions and
credits, L-shaped stories wrapping under a neighbour, jump lines), the masthead or running head,
coloured ink, and on about half of the pages a scan's degradations (ground truth moved with them).
Pictures (photos and infographics) carry captions of one to six lines under, beside or over them,
their credits inline, beside, above, under or missing, or no caption at all (samples/pagegen/
figures.py); half the inside pages lead with a story across the page under a two-line headline.

Ground-truth conventions (the evaluation relies on them):

- Block types: masthead (every block of the masthead, the info strip included), kicker, headline,
  subheadline (decks under the headline and subheads inside the body), byline, body, caption,
  credit, advert (one block per advert, its outline the advert's frame), photo, graphic (an
  infographic: one block, whatever it draws, no lines), furniture (running head, folio, jump lines).
  A caption printed over its picture's corner is a caption block inside the picture's box.
- Articles: the masthead is an article of its own, first; an inside page's running head and folio
  are one article of their own, first; each advert is an article; a brief column (简讯, In Kürze)
  is one article, its heading the headline and each item a body block; a jump line belongs to its
  story's article.
- Reading order (`Block.order`, the order of page.blocks): articles in page order (masthead or
  running head first, then by position: the page is cut into tiers top to bottom, a tier into
  spans of columns left to right (right to left on vertical pages), a span into modules top to
  bottom; an L-shaped story comes before the neighbour standing in its corner); inside an
  article: kicker, headline, subheadline(s), byline, then the body columns in reading order (left
  to right; right to left for vertical text), a jump-from line first and a jump-to line last,
  and a photo, its caption and its credit read where the column flow reaches the photo's first
  column (after the text above the photo there, before the text under it).
- Lines: a tight box around the layout boxes of its glyphs (advance by the font's ink height), the
  baseline, the exact text; Latin lines one String per word (space_after, hyphenated), CJK lines one
  String with a Glyph per character. Vertical lines run top to bottom, listed right to left.
- Links: next_block on a paragraph continued in another column or under an insert; caption_of and
  credit_of to the photo; masthead fields as layoutkit.structure.masthead names them; every printed
  rule a Separator (a frame as its four rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pyphen

from layoutkit.model import Box, Page

from .mastheads import de_masthead, random_date, running_head, zh_masthead
from .modules import advert, boxed_story, brief_column, news_story, vertical_head_story
from .paper import FORMATS, geometry
from .prose import Prose
from .sheet import Sheet
from .split import split_of
from .stories import BLUE, RED, Style, column
from .synth import Canvas, degrade
from .typeset import Face
from .vertical import vertical_page

KINDS = ("zh-horizontal", "zh-vertical", "latin")
ANTIQUA = ["dejavu-serif", "noto-serif", "freeserif", "liberation-serif"]


def kind_of(seed: int) -> str:
    """Half the seeds Chinese horizontal, three in sixteen Chinese vertical, five in sixteen Latin."""
    r = seed % 16
    return KINDS[0] if r < 8 else KINDS[1] if r < 11 else KINDS[2]


def fraktur_of(seed: int) -> bool:
    """Latin pages of every other run of sixteen seeds are set in Fraktur."""
    return kind_of(seed) == "latin" and (seed // 16) % 2 == 0


def page_name(seed: int) -> str:
    kind = kind_of(seed)
    if kind == "latin":
        kind += "-fraktur" if fraktur_of(seed) else "-antiqua"
    return f"gen-{seed:04d}-{kind}"


def make_page(seed: int) -> tuple[np.ndarray, Page]:
    """The page of this seed: a BGR image and its ground truth (see the module docstring)."""
    rng = np.random.default_rng(seed)
    kind = kind_of(seed)
    if kind == "zh-vertical":
        image, page = vertical_page(rng, page_name(seed), split_of(seed))
    else:
        image, page = horizontal_page(rng, page_name(seed), kind == "latin", fraktur_of(seed), split_of(seed))
    if rng.random() < 0.5:
        strength = rng.uniform(0.2, 1.0)
        grey = np.array_equal(image[..., 0], image[..., 1]) and np.array_equal(image[..., 1], image[..., 2])
        image, page = degrade(np.ascontiguousarray(image[..., 0]) if grey else image, page,
                              rotate_deg=float(rng.uniform(-1.5, 1.5) * strength),
                              noise=float(rng.uniform(2, 14) * strength), blur=float(rng.uniform(0, 1.1) * strength),
                              jpeg_quality=int(rng.integers(35, 90)), bleed=float(rng.uniform(0, 0.18) * strength),
                              uneven=float(rng.uniform(0, 0.35) * strength), seed=seed)
        page.source.path = page.source.path.removesuffix(".png") + ".jpg"
    return image, page


def degraded(page: Page) -> bool:
    return page.source.path.endswith(".jpg")


# -- horizontal pages ---------------------------------------------------------------------------------
def horizontal_style(rng: np.random.Generator, latin: bool, fraktur: bool, body_px: int, split: str = "dev") -> Style:
    if latin:
        historic = fraktur or rng.random() < 0.3
        prose = Prose("de-historic" if historic else "de", rng, split)
        family = "fraktur" if fraktur else str(rng.choice(ANTIQUA))
        bold = family if fraktur else family + "-bold"
        heads = ["fraktur", "fraktur", "dejavu-serif-bold"] if fraktur else \
            [bold, str(rng.choice(["noto-sans-bold", "dejavu-sans-bold", "dejavu-serif-condensed-bold"]))]
        colour = not historic and rng.random() < 0.3
        # Leading at least the face's ink height: no two lines' boxes overlap.
        pitch = max(body_px * float(rng.uniform(1.15, 1.3)), sum(Face(family, body_px).extents()) + 1)
        return Style(prose=prose, body=Face(family, body_px), bold=Face(bold, body_px), pitch=pitch,
                     indent=body_px * float(rng.uniform(1.0, 1.6)), heads=heads,
                     sans="fraktur" if fraktur else heads[1], serif=family,
                     italic="fraktur" if fraktur else family.replace("dejavu-serif", "noto-serif") + "-italic",
                     inks=[BLUE if rng.random() < 0.6 else RED], gutter=0.0, column_rules=False,
                     hyphenate=pyphen.Pyphen(lang="de_CH"), heads_centred=historic, halftone=historic, colour=colour)
    voice = "hant" if rng.random() < 0.2 else "hans"
    script = "hant" if voice == "hant" else "hans"
    prose = Prose(voice, rng, split)
    colour = rng.random() < 0.55
    return Style(prose=prose, body=Face(f"{script}-serif", body_px), bold=Face(f"{script}-sans-bold", body_px),
                 pitch=body_px * float(rng.uniform(1.45, 1.7)), indent=2.0 * body_px,
                 heads=[f"{script}-serif-bold", f"{script}-sans-bold"], sans=f"{script}-sans",
                 serif=f"{script}-serif", italic=f"{script}-serif", inks=[RED, BLUE] if rng.random() < 0.5 else [RED],
                 gutter=0.0, column_rules=False, halftone=rng.random() < 0.2, colour=colour)


def grid(style: Style, x0: float, x1: float) -> list[tuple[float, float]]:
    """3-8 columns whose measure suits the script (CJK 9-36 characters, Latin 14-40 ems), of
    unequal width on most pages, divided by a white gutter (one to two characters) or a rule."""
    rng = style.rng
    size = style.body.size
    ruled = rng.random() < 0.45
    style.gutter = size * float(rng.uniform(1.6, 2.6) if ruled else rng.uniform(1.0, 1.9))
    style.column_rules = ruled
    lo, hi = (9, 36) if style.cjk else (14, 40)
    options = [n for n in range(3, 9) if lo <= (x1 - x0 - (n - 1) * style.gutter) / n / size <= hi]
    n = int(rng.choice(options)) if options else 3
    weights = rng.uniform(0.75, 1.3, n) if rng.random() < 0.6 else np.ones(n)
    widths = weights / weights.sum() * (x1 - x0 - (n - 1) * style.gutter)
    cols, x = [], x0
    for w in widths:
        cols.append((float(x), float(x + w)))
        x += w + style.gutter
    return cols


@dataclass
class Module:
    kind: str
    c0: int
    c1: int
    y0: float
    y1: float
    #: An L-shaped story's wrap: the first column of the neighbour in its corner and where the
    #: neighbour ends (top corner) or starts (bottom corner).
    wrap: tuple[int, float, str] | None = None


def plan(style: Style, ncols: int, y0: float, y1: float, inside: bool) -> tuple[list[Module], list[tuple]]:
    """Cut the body into tiers, spans and modules, in reading order; and the rules between them
    (as (x0, y0, x1, y1)) where the page rules its articles apart."""
    rng = style.rng
    pitch = style.pitch
    gap = 1.4 * pitch
    ruled = rng.random() < (0.75 if style.cjk else 0.6)
    modules: list[Module] = []
    rules: list[tuple] = []
    if (y1 - y0) > 50 * pitch and rng.random() < (0.5 if inside else 0.3):
        # A row of adverts along the foot of the page.
        top = y1 - float(rng.uniform(9, 20)) * pitch
        for k, (c0, c1) in enumerate(_partition(rng, ncols, int(rng.integers(2, 5)))):
            modules.append(Module("advert", c0, c1, top + gap / 2, y1))
            if k and ruled:
                rules.append(("v", c0, top + gap / 2, y1))
        if ruled:
            rules.append(("h", top, 0, ncols))
        y1 = top - gap / 2
    ads = modules
    modules = []
    height = y1 - y0
    tiers = max(1, min(int(rng.integers(2, 5)), int(height // (22 * pitch))))
    # Every tier at least 18 lines deep, the rest shared at random.
    floor = 18 * pitch / height
    shares = floor + rng.dirichlet(np.full(tiers, 4.0)) * (1 - tiers * floor)
    bounds = [y0]
    for s in shares[:-1]:
        bounds.append(bounds[-1] + s * height)
    bounds.append(y1)
    for t in range(tiers):
        ty0 = bounds[t] + (gap / 2 if t else 0)
        ty1 = bounds[t + 1] - (gap / 2 if t < tiers - 1 else 0)
        if t and ruled:
            rules.append(("h", bounds[t], 0, ncols))
        k = 1 if t == 0 and tiers > 1 and rng.random() < 0.3 else int(rng.integers(2 if tiers == 1 else 1,
                                                                               min(4, ncols) + 1))
        spans = _partition(rng, ncols, k)
        for k, (c0, c1) in enumerate(spans):
            if k and ruled:
                rules.append(("v", c0, ty0, ty1))
            h = ty1 - ty0
            if c1 - c0 >= 3 and h > 34 * pitch and rng.random() < 0.3:
                split = int(rng.integers(c0 + 1, c1))
                at = ty0 + h * float(rng.uniform(0.35, 0.6))
                corner = str(rng.choice(["top", "bottom"]))
                modules.append(Module("story", c0, c1, ty0, ty1, (split, at, corner)))
                ny0, ny1 = (ty0, at - gap / 2) if corner == "top" else (at + gap / 2, ty1)
                modules.append(Module(_kind(style, c1 - split, ny1 - ny0), split, c1, ny0, ny1))
                if ruled:
                    rules.append(("v", split, ny0, ny1))
                    rules.append(("h", at, split, c1))
            elif h > 36 * pitch and (rng.random() < 0.4 or h * (c1 - c0) > 150 * pitch):
                n = int(rng.integers(2, 4)) if h > 54 * pitch else 2
                floor = 14 * pitch / h  # no module of a stack shallower than 14 lines
                cuts = ty0 + np.cumsum(floor + rng.dirichlet(np.full(n, 5.0)) * (1 - n * floor)) * h
                top = ty0
                for m in range(n):
                    bottom = float(cuts[m]) - (gap / 2 if m < n - 1 else 0)
                    modules.append(Module(_kind(style, c1 - c0, bottom - top), c0, c1, top, bottom))
                    if m < n - 1 and ruled:
                        rules.append(("h", float(cuts[m]), c0, c1))
                    top = float(cuts[m]) + gap / 2
            else:
                modules.append(Module(_kind(style, c1 - c0, h), c0, c1, ty0, ty1))
    return modules + ads, rules


def _partition(rng: np.random.Generator, n: int, k: int) -> list[tuple[int, int]]:
    k = max(1, min(k, n))
    cuts = sorted(int(c) for c in rng.choice(np.arange(1, n), size=k - 1, replace=False)) if k > 1 else []
    edges = [0, *cuts, n]
    return list(pairwise(edges))


def _kind(style: Style, cols: int, height: float) -> str:
    rng = style.rng
    lines = height / style.pitch
    r = rng.random()
    if lines < 14:
        return "advert" if r < (0.5 if cols <= 3 else 0.25) else "story"
    if cols == 1 and lines > 20 and r < 0.3:
        return "brief"
    if lines > 16 and r < 0.13:
        return "boxed"
    if style.cjk and cols >= 2 and lines > 16 and r < 0.3:
        return "vertical-head"
    if r > 0.92 and cols <= 3:
        return "advert"
    return "story"


def horizontal_page(rng: np.random.Generator, name: str, latin: bool, fraktur: bool,
                    split: str = "dev") -> tuple[np.ndarray, Page]:
    body_pt = float(rng.uniform(7.5, 9.5) if latin else rng.uniform(9, 10.5))
    geo = geometry(rng, FORMATS["de" if latin else "zh"], body_pt)
    style = horizontal_style(rng, latin, fraktur, geo.body_px, split)
    sheet = Sheet(Canvas(geo.width, geo.height, "RGB" if style.colour else "L"), rng)
    margin = geo.width * float(rng.uniform(0.035, 0.06))
    area = Box(margin, margin, geo.width - margin, geo.height - margin)
    cols = grid(style, area.x0, area.x1)
    inside = rng.random() < 0.3
    day: dt.date = random_date(style, 1880, 1939) if style.prose.voice == "de-historic" else \
        random_date(style, 1995 if latin else 2012, 2026)
    if inside:
        y = running_head(sheet, style, area, day, int(rng.integers(2, 25)))
    elif latin:
        y = de_masthead(sheet, style, area, day, fraktur)
    else:
        y = zh_masthead(sheet, style, area, day)
    style.bare_photos = rng.random() < 0.12
    feature: Module | None = None
    if inside and rng.random() < 0.5:
        # An inside page's lead: a story across the page under a two-line headline.
        depth = (area.y1 - y) * float(rng.uniform(0.3, 0.5))
        feature = Module("feature", 0, len(cols), y, y + depth)
        y += depth + 1.4 * style.pitch
    modules, rules = plan(style, len(cols), y, area.y1, inside)
    if feature is not None:
        modules.insert(0, feature)
        rules.append(("h", feature.y1 + 0.7 * style.pitch, 0, len(cols)))
    jumps = int(rng.integers(0, 3))
    for m in modules:
        x0, x1 = cols[m.c0][0], cols[m.c1 - 1][1]
        box = Box(x0, m.y0, x1, m.y1)
        if m.kind == "advert":
            advert(sheet, style, box)
        elif m.kind == "brief":
            brief_column(sheet, style, box)
        elif m.kind == "boxed":
            boxed_story(sheet, style, box)
        elif m.kind == "vertical-head":
            vertical_head_story(sheet, style, box, "right" if rng.random() < 0.65 else "left")
        else:
            story_cols = _story_columns(style, cols, m)
            head = (x0, cols[m.wrap[0] - 1][1]) if m.wrap and m.wrap[2] == "top" else (x0, x1)
            if m.wrap is None and len(story_cols) >= 4 and rng.random() < 0.25:
                head = (x0, story_cols[int(rng.integers(2, len(story_cols)))].x1)
            jump_to = jumps > 0 and not inside and rng.random() < 0.5
            jumps -= jump_to
            news_story(sheet, style, story_cols, head, jump_to=jump_to, jump_from=inside and rng.random() < 0.25,
                       feature=m.kind == "feature")
    w = style.rule_width()
    for r in rules:
        if r[0] == "h":
            _, y0, c0, c1 = r
            sheet.rule(cols[c0][0], y0 - w / 2, cols[c1 - 1][1], y0 + w / 2 + 1)
        else:
            _, c0, y0, y1 = r
            x = (cols[c0 - 1][1] + cols[c0][0]) / 2
            sheet.rule(x - w / 2, y0, x + w / 2 + 1, y1)
    return sheet.page(name + ".png", geo.dpi)


def _story_columns(style: Style, cols: list[tuple[float, float]], m: Module) -> list[Box]:
    """The grid columns of a story's module; an L-shaped story's columns in the neighbour's
    corner only under it (top corner) or over it (bottom corner). Now and then a story sets its
    own measure: fewer, wider columns over the same width."""
    gap = 1.4 * style.pitch
    out: list[Box] = []
    for c in range(m.c0, m.c1):
        y0, y1 = m.y0, m.y1
        if m.wrap and c >= m.wrap[0]:
            if m.wrap[2] == "top":
                y0 = m.wrap[1] + gap / 2
            else:
                y1 = m.wrap[1] - gap / 2
        out.append(column(cols[c][0], cols[c][1], y0, y1))
    if m.wrap is None and len(out) >= 3 and style.rng.random() < 0.15:
        n = len(out) - 1
        w = (out[-1].x1 - out[0].x0 - (n - 1) * style.gutter) / n
        out = [column(out[0].x0 + k * (w + style.gutter), out[0].x0 + k * (w + style.gutter) + w, m.y0, m.y1)
               for k in range(n)]
    return out

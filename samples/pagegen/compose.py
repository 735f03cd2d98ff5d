"""Compose whole newspaper pages on a synthetic canvas, with their ground truth.

A composer places typed blocks (masthead, kicker, headline, byline, body flowed down columns with
continuations, vertical headlines, photos with captions and credits, rules) and records, for
each, the article it belongs to, the reading order and the links a reader follows, so the
samples exercise every part of layoutkit with exactly known answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from layoutkit.model import Article, Block, BlockType, Box, MastheadField, Page, Separator, TextLine
from layoutkit.ocr.strings import is_wide

from .synth import Canvas, draw_line, draw_vertical, font, to_bgr, wrap

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@dataclass(slots=True)
class Composer:
    width: int
    height: int
    canvas: Canvas = field(init=False)
    articles: list[Article] = field(default_factory=list)
    masthead: list[MastheadField] = field(default_factory=list)
    separators: list[Separator] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.canvas = Canvas(self.width, self.height)

    # -- articles -------------------------------------------------------------------------------
    def article(self, title: str | None = None) -> str:
        self.articles.append(Article(f"a{len(self.articles) + 1}", [], title))
        return self.articles[-1].id

    def _add(self, btype: BlockType, lines: list[TextLine], article: str | None, pad: float = 4.0,
             **links: str | None) -> Block:
        box = Box.enclosing([ln.box for ln in lines])
        box = Box(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
        block = Block(self.canvas.next_id(), btype, box.polygon(), lines, direction=lines[0].direction,
                      article_id=article, **links)
        self.canvas.blocks.append(block)
        if article:
            next(a for a in self.articles if a.id == article).block_ids.append(block.id)
        return block

    # -- drawing ----------------------------------------------------------------------------------
    def text(self, text: str, family: str, size: int, x0: float, y: float, width: float, btype: BlockType,
             article: str | None, align: str = "left", leading: float = 1.25, **links: str | None) -> Block:
        """A block of one or more wrapped lines, aligned in [x0, x0 + width]; returns the block."""
        fnt = font(family, size)
        lines = []
        for i, line in enumerate(wrap(text, fnt, width)):
            w = fnt.getlength(line)
            x = x0 + (width - w) / 2 if align == "center" else x0 + width - w if align == "right" else x0
            lines.append(draw_line(self.canvas, line, x, y + i * size * leading, fnt))
        return self._add(btype, lines, article, **links)

    def vertical(self, text: str, family: str, size: int, x: float, y: float, btype: BlockType,
                 article: str | None) -> Block:
        fnt = font(family, size)
        line = draw_vertical(self.canvas, text, x, y, fnt, size * 1.1)
        return self._add(btype, [line], article)

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.canvas.draw.rectangle((x0, y0, x1, y1), fill=0)
        orientation = "horizontal" if x1 - x0 >= y1 - y0 else "vertical"
        box = Box(x0, y0, x1 + 1, y1 + 1)
        self.separators.append(Separator(f"s{len(self.separators) + 1}", box.polygon(), orientation))

    def photo(self, box: Box, article: str | None, seed: int = 0) -> Block:
        """A halftone-like picture: sky gradient, ground, and a few long blades (it is a wind farm)."""
        rng = np.random.default_rng(seed)
        w, h = int(box.width), int(box.height)
        yy = np.linspace(0, 1, h)[:, None]
        img = 200 - 90 * yy + rng.normal(0, 18, (h, w))
        img[int(h * 0.7):, :] -= 60
        pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
        from PIL import ImageDraw

        d = ImageDraw.Draw(pil)
        for k in range(3):
            cx, cy = int(w * (0.2 + 0.3 * k)), int(h * 0.35)
            d.line((cx, cy, cx, int(h * 0.75)), fill=40, width=max(3, w // 120))
            for a in range(3):
                ang = np.deg2rad(90 + 120 * a + 20 * k)
                d.line((cx, cy, cx + int(np.cos(ang) * h * 0.25), cy - int(np.sin(ang) * h * 0.25)),
                       fill=30, width=max(2, w // 200))
        self.canvas.image.paste(pil, (int(box.x0), int(box.y0)))
        block = Block(self.canvas.next_id(), BlockType.PHOTO, box.polygon(), article_id=article)
        self.canvas.blocks.append(block)
        if article:
            next(a for a in self.articles if a.id == article).block_ids.append(block.id)
        return block

    def flow(self, items: list[tuple[str, str]], columns: list[Box], family: str, size: int,
             article: str, sub_family: str, sub_size: int, leading: float = 1.5) -> float:
        """Set ("para" | "subhead", text) items down the columns; a paragraph broken at a column
        foot continues at the head of the next one, linked by next_block. Returns the lowest y."""
        fnt = font(family, size)
        step = size * leading
        col, y = 0, columns[0].y0
        previous: Block | None = None
        queue = list(items)
        continuing = False
        lowest = y
        while queue and col < len(columns):
            kind, text = queue[0]
            c = columns[col]
            if kind == "subhead":
                need = sub_size * 1.25 + step * 2
                if y + need > c.y1:
                    col, y, continuing = col + 1, columns[min(col + 1, len(columns) - 1)].y0, False
                    continue
                self.text(text, sub_family, sub_size, c.x0, y + sub_size * 0.3, c.width, BlockType.SUBHEADLINE,
                          article, align="center")
                y += sub_size * 1.25 + sub_size * 0.6
                queue.pop(0)
                previous = None
                continue
            # CJK paragraphs open with two character spaces, Latin ones with about one and a half em.
            indent = 0.0 if continuing else size * (2.0 if any(is_wide(ch) for ch in text) else 1.5)
            lines = wrap(text, fnt, c.width, indent)
            fit = int((c.y1 - y) // step)
            if fit <= 0:
                col += 1
                if col < len(columns):
                    y = columns[col].y0
                continue
            chunk = lines[:fit]
            drawn = [draw_line(self.canvas, t, c.x0 + (indent if i == 0 else 0.0), y + i * step, fnt)
                     for i, t in enumerate(chunk)]
            block = self._add(BlockType.BODY, drawn, article)
            if continuing and previous is not None:
                previous.next_block = block.id
            y += len(chunk) * step
            lowest = max(lowest, y)
            if len(lines) > fit:
                queue[0] = ("para", _remainder(text, chunk))
                previous, continuing = block, True
                col += 1
                if col < len(columns):
                    y = columns[col].y0
            else:
                queue.pop(0)
                previous, continuing = None, False
                y += size * 0.2
        return lowest

    def field(self, name: str, value: str, text: str, block: Block) -> None:
        self.masthead.append(MastheadField(name, value, text, block.id))

    def page(self, name: str) -> tuple[np.ndarray, Page]:
        page = self.canvas.page(name)
        page.articles = [a for a in self.articles if a.block_ids]
        page.masthead = list(self.masthead)
        page.separators = list(self.separators)
        return to_bgr(self.canvas.image), page


def _remainder(text: str, chunk: list[str]) -> str:
    """What is left of a paragraph after the lines already set."""
    pos = 0
    for line in chunk:
        found = text.find(line, pos)
        pos = found + len(line) if found >= 0 else pos + len(line)
    return text[pos:].lstrip()


def columns_between(x0: float, x1: float, y0: float, y1: float, n: int, gutter: float) -> list[Box]:
    w = (x1 - x0 - (n - 1) * gutter) / n
    return [Box(x0 + i * (w + gutter), y0, x0 + i * (w + gutter) + w, y1) for i in range(n)]


def text_columns_page(paragraphs: list[str], *, width: int = 2480, height: int = 3508, columns: int = 1,
                      font_px: int = 40, margin: int = 150, gutter: int = 80,
                      family: str = "cjk-serif") -> tuple[np.ndarray, Page]:
    """Body text alone, flowed down `columns` columns: the plainest page, for OCR measurements."""
    comp = Composer(width, height)
    art = comp.article()
    cols = columns_between(margin, width - margin, margin, height - margin, columns, gutter)
    comp.flow([("para", p) for p in paragraphs], cols, family, font_px, art, family, font_px)
    return comp.page("text-columns")


def load_corpus(name: str) -> dict:
    return json.loads((CORPUS / name).read_text("utf-8"))


def changji_front_page(width: int = 3000, height: int = 4300) -> tuple[np.ndarray, Page]:
    """The 昌吉日报 front page of 2025-11-26, reconstructed from the seed text."""
    c = load_corpus("changji-2025-11-26.zh.json")
    m = c["masthead"]
    comp = Composer(width, height)
    margin, gutter = 110, 40
    right = width - margin
    body_px, body_family = 30, "cjk-serif"

    head = comp.article()  # the masthead is read first, as one unit
    title = comp.text(m["title"], "cjk-serif-bold", 170, margin, 110, 760, BlockType.MASTHEAD, head)
    comp.field("title", m["title"], m["title"], title)
    latin = comp.text(m["title_latin"], "latin-serif-bold", 46, margin + 20, 330, 740, BlockType.MASTHEAD, head)
    comp.field("title_latin", m["title_latin"], m["title_latin"], latin)
    comp.text("　".join(m["publisher"]), "cjk-sans", 26, margin + 900, 150, 900, BlockType.FURNITURE, head)
    date = comp.text(m["date_text"], "cjk-serif-bold", 48, right - 700, 130, 700, BlockType.MASTHEAD, head,
                     align="right")
    comp.field("date", m["date"], m["date_text"], date)
    day = comp.text(f"{m['weekday']}　农历{m['lunar']}", "cjk-serif", 34, right - 700, 210, 700,
                    BlockType.MASTHEAD, head, align="right")
    comp.field("weekday", m["weekday"], m["weekday"], day)
    comp.field("lunar_date", m["lunar"], m["lunar"], day)
    issue = comp.text(f"{m['issue_text']}　{m['pages_text']}", "cjk-serif", 34, right - 700, 270, 700,
                      BlockType.MASTHEAD, head, align="right")
    comp.field("issue", m["issue"], m["issue_text"], issue)
    comp.field("pages", m["pages"], m["pages_text"], issue)
    footer = comp.text(m["footer"], "cjk-sans", 25, margin, 440, right - margin, BlockType.MASTHEAD, head)
    for name in ("cn", "postal", "website", "email", "hotline"):
        comp.field(name, m[name], m[name], footer)
    comp.rule(margin, 500, right, 506)

    lead = c["lead"]
    lead_x1 = margin + 4 * (right - margin - 5 * gutter) / 6 + 3 * gutter
    art = comp.article(lead["headline"])
    y = 540
    comp.text(lead["banner"], "cjk-sans-bold", 34, margin, y, lead_x1 - margin, BlockType.KICKER, art)
    comp.text(lead["kicker"], "cjk-serif-bold", 42, margin, y + 60, lead_x1 - margin, BlockType.KICKER, art,
              align="center")
    comp.text(lead["headline"], "cjk-serif-bold", 100, margin, y + 130, lead_x1 - margin, BlockType.HEADLINE,
              art, align="center")
    comp.text(lead["subheadline"], "cjk-serif", 44, margin, y + 270, lead_x1 - margin, BlockType.SUBHEADLINE,
              art, align="center")
    comp.text(lead["byline"], "cjk-sans", 30, margin, y + 345, lead_x1 - margin, BlockType.BYLINE, art)
    items: list[tuple[str, str]] = []
    for section in lead["sections"]:
        if section["subhead"]:
            items.append(("subhead", section["subhead"]))
        items.extend(("para", p) for p in section["paragraphs"])
    lead_cols = columns_between(margin, lead_x1, y + 410, 2960, 4, gutter)
    comp.flow(items, lead_cols, body_family, body_px, art, "cjk-sans-bold", 36)
    comp.rule(lead_x1 + gutter / 2 - 1, 520, lead_x1 + gutter / 2 + 1, 2980)

    rx0 = lead_x1 + gutter
    com = c["commentary"]
    art = comp.article(com["headline"])
    # The vertical headline is read first, then the author line, then the text to its left.
    vx = right - 72
    comp.vertical(com["headline"].replace(" ", "　"), "cjk-serif-bold", 64, vx, 600, BlockType.HEADLINE, art)
    comp.text(com["kicker"], "cjk-sans-bold", 32, rx0, 545, right - rx0, BlockType.BYLINE, art)
    com_cols = columns_between(rx0, vx - 40, 600, 1700, 2, gutter)
    comp.flow([("para", p) for p in com["paragraphs"]], com_cols, body_family, body_px, art, "cjk-sans-bold", 36)
    comp.rule(rx0, 1730, right, 1733)

    ph = c["photo"]
    art = comp.article(ph["headline"])
    comp.text(ph["headline"], "cjk-serif-bold", 64, rx0, 1770, right - rx0, BlockType.HEADLINE, art,
              align="center")
    pic = comp.photo(Box(rx0, 1880, right, 2470), art, seed=7)
    cap = comp.text(ph["caption"], body_family, 28, rx0, 2500, right - rx0, BlockType.CAPTION, art,
                    leading=1.45, caption_of=pic.id)
    comp.text(ph["credit"], "cjk-sans", 28, rx0, cap.box.y1 + 16, right - rx0, BlockType.CREDIT, art,
              align="right", credit_of=pic.id)
    comp.rule(margin, 2990, right, 2996)

    news = c["news"]
    art = comp.article(news["headline"])
    comp.text(news["kicker"], "cjk-sans-bold", 34, margin, 3025, 900, BlockType.KICKER, art)
    comp.text(news["headline"], "cjk-serif-bold", 72, margin, 3080, right - margin, BlockType.HEADLINE, art,
              align="center")
    news_cols = columns_between(margin, right, 3200, height - margin, 6, gutter)
    comp.flow([("para", p) for p in news["paragraphs"]], news_cols, body_family, body_px, art, "cjk-sans-bold",
              36)
    return comp.page("changji-ribao-2025-11-26")


def latin_front_page(width: int = 2400, height: int = 3300) -> tuple[np.ndarray, Page]:
    """A Latin-script front page: masthead with date, number and volume, two articles, a photo."""
    c = load_corpus("talbote-2025-11-26.de.json")
    m = c["masthead"]
    comp = Composer(width, height)
    margin, gutter = 110, 44
    right = width - margin
    serif, bold, body_px = "latin-serif", "latin-serif-bold", 38

    head = comp.article()
    title = comp.text(m["title"], bold, 120, margin, 100, right - margin, BlockType.MASTHEAD, head, align="center")
    comp.field("title", m["title"], m["title"], title)
    date = comp.text(m["date_text"], serif, 32, margin, 270, 900, BlockType.MASTHEAD, head)
    comp.field("date", m["date"], m["date_text"], date)
    comp.field("weekday", m["weekday"], m["weekday"], date)
    number = comp.text(f"{m['issue_text']} · {m['volume_text']}", serif, 32, right - 700, 270, 700,
                       BlockType.MASTHEAD, head, align="right")
    comp.field("issue", m["issue"], m["issue_text"], number)
    comp.field("volume", m["volume"], m["volume_text"], number)
    comp.rule(margin, 330, right, 336)

    lead = c["lead"]
    cols = columns_between(margin, right, 0, 0, 4, gutter)
    lead_x1 = cols[2].x1
    art = comp.article(lead["headline"])
    y = comp.text(lead["kicker"], bold, 34, margin, 370, lead_x1 - margin, BlockType.KICKER, art).box.y1 + 12
    y = comp.text(lead["headline"], bold, 78, margin, y, lead_x1 - margin, BlockType.HEADLINE, art).box.y1 + 16
    y = comp.text(lead["subheadline"], serif, 40, margin, y, lead_x1 - margin, BlockType.SUBHEADLINE,
                  art).box.y1 + 20
    y = comp.text(lead["byline"], serif, 30, margin, y, lead_x1 - margin, BlockType.BYLINE, art).box.y1 + 24
    lead_cols = columns_between(margin, lead_x1, y, 2150, 3, gutter)
    comp.flow([("para", p) for p in lead["paragraphs"]], lead_cols, serif, body_px, art, bold, 34, leading=1.4)
    comp.rule(lead_x1 + gutter / 2 - 1, 360, lead_x1 + gutter / 2 + 1, 2170)

    ph = c["photo"]
    pic = comp.photo(Box(cols[3].x0, 380, right, 900), art, seed=3)
    cap = comp.text(ph["caption"], serif, 26, cols[3].x0, 925, right - cols[3].x0, BlockType.CAPTION, art,
                    caption_of=pic.id)
    comp.text(ph["credit"], serif, 24, cols[3].x0, cap.box.y1 + 12, right - cols[3].x0, BlockType.CREDIT, art,
              align="right", credit_of=pic.id)
    comp.rule(margin, 2190, right, 2194)

    second = c["second"]
    art = comp.article(second["headline"])
    comp.text(second["headline"], bold, 64, margin, 2230, right - margin, BlockType.HEADLINE, art)
    comp.text(second["byline"], serif, 30, margin, 2330, right - margin, BlockType.BYLINE, art)
    comp.flow([("para", p) for p in second["paragraphs"]], columns_between(margin, right, 2390, height - margin, 4,
                                                                          gutter), serif, body_px, art, bold, 34,
              leading=1.4)
    return comp.page("talboter-tagblatt-2025-11-26")

"""PAGE XML 2019 from the page model, for tools of the PAGE world (Transkribus, OCR-D, eval kits).

PAGE has no byline, kicker or masthead types, so layoutkit's type also travels in each region's
`custom` attribute (`structure {type:byline;}`), the convention OCR-D and Transkribus read.
Articles are OrderedGroupIndexed in the ReadingOrder; a paragraph continued in another column is a
`join` Relation; a caption or credit is a `link` Relation to its photo; masthead fields are
UserAttributes on the Page. Words and glyphs are written on request (ground truth that lets a tool
read any crop of the page from it); a line's text is always its own TextEquiv. Recognised text
carries the recogniser's confidence as TextEquiv/@conf on request too (ground truth has none).

With `tokens` the words follow OCR-D's PAGE conventions instead (https://ocr-d.de/en/spec/page):
a Word is a whitespace-delimited token, so a line's text is its Words joined by single spaces
(a line of CJK without spaces is one Word, its characters the Glyphs); Glyphs are written where
they spell their Word (a line-end hyphen has no glyph box); and each line, Word and Glyph is cut
to its parent's outline where it reaches past it. Words and Glyphs stand in reading order.

`build` gives the tree, so a shell that needs PAGE in another object model (the OCR-D processor,
`layoutkit.ocrd`) parses this writer's output instead of mapping the page a second time.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

from ..model import Block, BlockType, Box, Direction, Page, Polygon, String, TextLine

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{PAGE_NS} {PAGE_NS}/pagecontent.xsd"

PAGE_TEXT_TYPES = {
    BlockType.MASTHEAD: "header", BlockType.KICKER: "heading", BlockType.HEADLINE: "heading",
    BlockType.SUBHEADLINE: "heading", BlockType.BYLINE: "other", BlockType.BODY: "paragraph",
    BlockType.CAPTION: "caption", BlockType.CREDIT: "credit", BlockType.ADVERT: "other",
    BlockType.TABLE: "other", BlockType.FURNITURE: "header",
}
#: Fixed so that writing the same page twice gives the same bytes (resume compares outputs).
TIMESTAMP = "1970-01-01T00:00:00"


def _el(parent: etree._Element | None, tag: str, **attrs: str) -> etree._Element:
    name = f"{{{PAGE_NS}}}{tag}"
    if parent is None:
        node = etree.Element(name, nsmap={None: PAGE_NS, "xsi": XSI_NS})
    else:
        node = etree.SubElement(parent, name)
    for k, v in attrs.items():
        node.set(k, v)
    return node


def _points(poly: Polygon) -> str:
    return " ".join(f"{max(0, round(x))},{max(0, round(y))}" for x, y in poly)


def _structure(btype: BlockType) -> str:
    return f"structure {{type:{btype.value};}}"


def _text(parent: etree._Element, text: str, conf: float | None) -> None:
    equiv = _el(parent, "TextEquiv")
    if conf is not None:
        equiv.set("conf", f"{min(1.0, max(0.0, conf)):.4f}")
    _el(equiv, "Unicode").text = text


def _block_confidence(block: Block) -> float | None:
    """The block's text confidence: its lines' weighted by the characters each reads."""
    weights = [(sum(len(s.text) for s in line.strings), line.confidence) for line in block.lines]
    chars = sum(n for n, _ in weights)
    return sum(n * c for n, c in weights) / chars if chars else None


def _largest(geom: BaseGeometry) -> ShapelyPolygon | None:
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, ShapelyPolygon) and g.area > 0]
    return max(parts, key=lambda g: g.area) if parts else None


def _within(poly: Polygon, parent: Polygon) -> Polygon:
    """`poly` cut to `parent` where it reaches past it; unchanged where the two do not overlap."""
    child, outer = _largest(make_valid(ShapelyPolygon(poly))), _largest(make_valid(ShapelyPolygon(parent)))
    if child is None or outer is None or child.within(outer):
        return poly
    cut = _largest(child.intersection(outer))
    return [(float(x), float(y)) for x, y in cut.exterior.coords[:-1]] if cut is not None else poly


def _tokens(ln: etree._Element, line: TextLine, line_id: str, poly: Polygon, confidences: bool) -> None:
    """The line's Words as whitespace-delimited tokens (OCR-D's conventions, see the module's doc)."""
    groups: list[list[String]] = [[]]
    for s in line.strings:
        groups[-1].append(s)
        if s.space_after:
            groups.append([])
    groups = [g for g in groups if g]
    for k, group in enumerate(groups, start=1):
        text = "".join(s.text + ("-" if s.hyphenated else "") for s in group)
        chars = sum(len(s.text) for s in group)
        conf = sum(s.confidence * len(s.text) for s in group) / chars if chars else None
        outline = _within(Box.enclosing([s.box for s in group]).polygon(), poly)
        word = _el(ln, "Word", id=f"{line_id}_w{k}")
        _el(word, "Coords", points=_points(outline))
        glyphs = [g for s in group for g in s.glyphs]
        if "".join(g.char for g in glyphs) == text:
            for m, g in enumerate(glyphs, start=1):
                glyph = _el(word, "Glyph", id=f"{line_id}_w{k}_g{m}")
                _el(glyph, "Coords", points=_points(_within(g.box.polygon(), outline)))
                _text(glyph, g.char, g.confidence if confidences else None)
        _text(word, text, conf if confidences else None)


def _region(parent: etree._Element, block: Block, words: bool, confidences: bool, tokens: bool = False) -> None:
    if block.type in (BlockType.PHOTO, BlockType.GRAPHIC):
        tag = "ImageRegion" if block.type is BlockType.PHOTO else "GraphicRegion"
        node = _el(parent, tag, id=block.id, custom=_structure(block.type))
        _el(node, "Coords", points=_points(block.polygon))
        return
    if block.type in (BlockType.ADVERT, BlockType.TABLE):
        # PAGE has regions of their own for both; the text inside is a text region within.
        tag = "AdvertRegion" if block.type is BlockType.ADVERT else "TableRegion"
        parent = _el(parent, tag, id=block.id, custom=_structure(block.type))
        _el(parent, "Coords", points=_points(block.polygon))
        node = _el(parent, "TextRegion", id=f"{block.id}_text", custom=_structure(block.type), type="other")
    else:
        node = _el(parent, "TextRegion", id=block.id, custom=_structure(block.type),
                   type=PAGE_TEXT_TYPES.get(block.type, "other"))
    if block.direction is Direction.TTB:
        node.set("readingDirection", "top-to-bottom")
        node.set("textLineOrder", "right-to-left")
    elif block.direction is Direction.RTL:
        node.set("readingDirection", "right-to-left")
    _el(node, "Coords", points=_points(block.polygon))
    for n, line in enumerate(block.lines, start=1):
        ln = _el(node, "TextLine", id=f"{block.id}_l{n}")
        outline = _within(line.polygon, block.polygon) if tokens else line.polygon
        _el(ln, "Coords", points=_points(outline))
        if line.baseline:
            _el(ln, "Baseline", points=_points(line.baseline))
        if tokens:
            _tokens(ln, line, f"{block.id}_l{n}", outline, confidences)
        elif words:
            for k, s in enumerate(line.strings, start=1):
                word = _el(ln, "Word", id=f"{block.id}_l{n}_w{k}")
                _el(word, "Coords", points=_points(s.box.polygon()))
                for m, g in enumerate(s.glyphs, start=1):
                    glyph = _el(word, "Glyph", id=f"{block.id}_l{n}_w{k}_g{m}")
                    _el(glyph, "Coords", points=_points(g.box.polygon()))
                    _text(glyph, g.char, g.confidence if confidences else None)
                _text(word, s.text + ("-" if s.hyphenated else ""), s.confidence if confidences else None)
        _text(ln, line.text, line.confidence if confidences and line.strings else None)
    _text(node, block.text, _block_confidence(block) if confidences else None)


def build(page: Page, creator: str = "layoutkit", words: bool = False, confidences: bool = False,
          tokens: bool = False) -> etree._Element:
    """The page as a PAGE tree; `words`, `confidences` and `tokens` as in `to_page_xml`."""
    root = _el(None, "PcGts", pcGtsId="pc_" + re.sub(r"[^\w.-]", "_", Path(page.source.name).stem))
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    meta = _el(root, "Metadata")
    _el(meta, "Creator").text = creator
    _el(meta, "Created").text = TIMESTAMP
    _el(meta, "LastChange").text = TIMESTAMP
    pg = _el(root, "Page", imageFilename=page.source.name, imageWidth=str(page.width),
             imageHeight=str(page.height))
    ordered = page.ordered_blocks()
    known = {b.id for b in ordered}
    if ordered:
        ro = _el(_el(pg, "ReadingOrder"), "OrderedGroup", id="ro_page", caption="articles")
        groups = [(a.id, a.title or "", [i for i in a.block_ids if i in known]) for a in page.articles]
        covered = {i for _, _, ids in groups for i in ids}
        rest = [b.id for b in ordered if b.id not in covered]
        if rest:
            groups.append(("unassigned", "", rest))
        for gi, (gid, title, ids) in enumerate((g for g in groups if g[2]), start=0):
            group = _el(ro, "OrderedGroupIndexed", id=f"ro_{gid}", index=str(gi), caption=title or gid,
                        custom="article")
            for n, bid in enumerate(ids):
                _el(group, "RegionRefIndexed", index=str(n), regionRef=bid)
    relations = [(b.id, b.next_block, "join", "continuation") for b in ordered if b.next_block in known]
    relations += [(b.id, b.caption_of, "link", "caption") for b in ordered if b.caption_of in known]
    relations += [(b.id, b.credit_of, "link", "credit") for b in ordered if b.credit_of in known]
    if relations:
        rel = _el(pg, "Relations")
        for n, (src, dst, rtype, label) in enumerate(relations, start=1):
            r = _el(rel, "Relation", id=f"rel{n}", type=rtype, custom=label)
            _el(r, "SourceRegionRef", regionRef=src)
            _el(r, "TargetRegionRef", regionRef=str(dst))
    if page.masthead:
        ud = _el(pg, "UserDefined")
        for f in page.masthead:
            attrs = {"name": f"masthead.{f.name}", "value": f.value, "type": "xsd:string"}
            if f.block_id:
                attrs["description"] = f.block_id
            _el(ud, "UserAttribute", **attrs)
    for block in ordered:
        _region(pg, block, words, confidences, tokens)
    for sep in page.separators:
        s = _el(pg, "SeparatorRegion", id=sep.id, custom=_structure(BlockType.SEPARATOR))
        _el(s, "Coords", points=_points(sep.polygon))
    return root


def to_page_xml(page: Page, creator: str = "layoutkit", words: bool = False, confidences: bool = False,
                tokens: bool = False) -> bytes:
    """The page as PAGE XML; with `words`, each line's Strings as Word elements and their Glyphs;
    with `tokens`, Words and Glyphs as OCR-D reads them (the module's doc); with `confidences`, the
    recogniser's confidence on each TextEquiv that has one (0-1)."""
    return etree.tostring(build(page, creator, words, confidences, tokens), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)

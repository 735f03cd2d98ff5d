"""Read ALTO (v2-v4) and PAGE (2013-2024) into the page model: ground truth and other tools' output.

Files from outside are parsed with entities and network off, and their coordinates are clipped to
the page: transcription tools write negative and out-of-page points.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..model import (
    Article,
    Block,
    BlockType,
    Box,
    Direction,
    Glyph,
    MastheadField,
    Page,
    Polygon,
    Separator,
    Source,
    String,
    TextLine,
)
from ..xmlsafe import parse_xml

PAGE_TYPES = {"heading": BlockType.HEADLINE, "caption": BlockType.CAPTION, "header": BlockType.FURNITURE,
              "footer": BlockType.FURNITURE, "page-number": BlockType.FURNITURE, "credit": BlockType.CREDIT}
#: Directions ALTO (BASEDIRECTION) and PAGE (readingDirection) name that the model holds.
ALTO_DIRECTIONS = {d.value for d in Direction}
PAGE_DIRECTIONS = {"left-to-right": Direction.LTR, "right-to-left": Direction.RTL, "top-to-bottom": Direction.TTB}
CUSTOM_TYPE = re.compile(r"structure\s*\{[^}]*type:([\w-]+)")


def read_layout(path: str | Path) -> Page:
    """ALTO or PAGE, recognised by the root element's namespace."""
    p = Path(path)
    try:
        tree = parse_xml(p)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(p, f"not a readable XML file ({exc})") from exc
    root = tree.getroot()
    ns = etree.QName(root).namespace or ""
    if "PAGE/gts/pagecontent" in ns:
        return _read_page(root, ns, p)
    if "alto" in ns.lower() or etree.QName(root).localname == "alto":
        return _read_alto(root, ns, p)
    raise InputError(p, f"neither ALTO nor PAGE XML (root element {root.tag})")


def _parse_points(text: str, w: float, h: float) -> Polygon:
    pts: Polygon = []
    for pair in text.replace(";", " ").split():
        if "," not in pair:
            continue
        x, y = pair.split(",")[:2]
        pts.append((min(max(float(x), 0.0), w), min(max(float(y), 0.0), h)))
    return pts


def _valid(poly: Polygon) -> bool:
    return len(poly) >= 2 and Box.of(poly).area > 0


# -- PAGE -------------------------------------------------------------------------------------------
def _read_page(root: etree._Element, ns: str, path: Path) -> Page:
    q = {"p": ns}
    pg = root.find("p:Page", q)
    if pg is None:
        raise InputError(path, "PAGE file without a Page element")
    w, h = float(pg.get("imageWidth", "0")), float(pg.get("imageHeight", "0"))
    page = Page(int(w), int(h), Source(pg.get("imageFilename", path.name), ""))
    blocks: dict[str, Block] = {}
    containers = ("TableRegion", "AdvertRegion")
    for region in pg.iter(f"{{{ns}}}TextRegion", f"{{{ns}}}ImageRegion", f"{{{ns}}}GraphicRegion",
                          f"{{{ns}}}SeparatorRegion", *(f"{{{ns}}}{c}" for c in containers)):
        rid = region.get("id", "")
        coords = region.find("p:Coords", q)
        poly = _coords(coords, q, w, h)
        local = etree.QName(region).localname
        # A table or advert holding a text region is read as that text region, under its own id
        # and outline (the one the reading order names).
        if local in containers and region.find("p:TextRegion", q) is not None:
            continue
        parent = region.getparent()
        if local == "TextRegion" and parent is not None and etree.QName(parent).localname in containers:
            rid = parent.get("id", rid)
            poly = _coords(parent.find("p:Coords", q), q, w, h)
        if local == "SeparatorRegion":
            if _valid(poly):
                box = Box.of(poly)
                page.separators.append(Separator(rid, poly, "horizontal" if box.width >= box.height else "vertical"))
            continue
        btype = _page_type(region, local)
        lines = []
        if local == "TextRegion":
            for ln in region.findall("p:TextLine", q):
                lpoly = _coords(ln.find("p:Coords", q), q, w, h)
                if not _valid(lpoly):
                    continue
                text = ln.findtext("p:TextEquiv/p:Unicode", default="", namespaces=q) or ""
                baseline = ln.find("p:Baseline", q)
                base = _parse_points(baseline.get("points", ""), w, h) if baseline is not None else None
                strings = _page_words(ln, q, w, h, text) or ([String(text, Box.of(lpoly), 1.0)] if text else [])
                lines.append(TextLine(lpoly, Direction.LTR, strings, base))
        if not _valid(poly):
            if not lines:
                continue
            poly = Box.enclosing([ln.box for ln in lines]).polygon()
        direction = PAGE_DIRECTIONS.get(region.get("readingDirection", ""), Direction.LTR)
        for ln in lines:
            ln.direction = direction
        blocks[rid] = Block(rid, btype, poly, lines, direction=direction)
    _page_order(pg, q, blocks, page)
    for rel in pg.findall("p:Relations/p:Relation", q):
        src = rel.find("p:SourceRegionRef", q)
        dst = rel.find("p:TargetRegionRef", q)
        if src is None or dst is None or src.get("regionRef") not in blocks:
            continue
        s, d, label = blocks[src.get("regionRef", "")], dst.get("regionRef"), rel.get("custom", "")
        if rel.get("type") == "join":
            s.next_block = d
        elif rel.get("type") == "link":
            # layoutkit labels its links (`custom`); an unlabelled link is read by its source's type.
            kind = label or {BlockType.CAPTION: "caption", BlockType.CREDIT: "credit"}.get(s.type, "")
            if kind == "caption":
                s.caption_of = d
            elif kind == "credit":
                s.credit_of = d
    for attr in pg.findall("p:UserDefined/p:UserAttribute", q):
        name = attr.get("name", "")
        if name.startswith("masthead."):
            page.masthead.append(MastheadField(name[9:], attr.get("value", ""), "", attr.get("description")))
    return page


def _page_words(line: etree._Element, q: dict[str, str], w: float, h: float, text: str) -> list[String]:
    """The line's Word elements (with their Glyphs) as Strings, where the words spell the line's
    text joined by spaces; otherwise none, and the line is one String."""
    words: list[String] = []
    for word in line.findall("p:Word", q):
        poly = _coords(word.find("p:Coords", q), q, w, h)
        wtext = word.findtext("p:TextEquiv/p:Unicode", default="", namespaces=q) or ""
        if not poly or not wtext:
            return []
        glyphs = [Glyph(g.findtext("p:TextEquiv/p:Unicode", default="", namespaces=q) or "",
                        Box.of(_coords(g.find("p:Coords", q), q, w, h) or poly), 1.0)
                  for g in word.findall("p:Glyph", q)]
        words.append(String(wtext, Box.of(poly), 1.0, glyphs, space_after=True))
    if not words or " ".join(s.text for s in words) != text:
        return []
    words[-1].space_after = False
    return words


def _coords(node: etree._Element | None, q: dict[str, str], w: float, h: float) -> Polygon:
    if node is None:
        return []
    if node.get("points"):
        return _parse_points(node.get("points", ""), w, h)
    # PAGE 2010 wrote <Point x y/> children.
    return [(min(max(float(p.get("x", 0)), 0.0), w), min(max(float(p.get("y", 0)), 0.0), h))
            for p in node.findall("p:Point", q)]


def _page_type(region: etree._Element, local: str) -> BlockType:
    custom = CUSTOM_TYPE.search(region.get("custom", ""))
    if custom:
        try:
            return BlockType(custom.group(1))
        except ValueError:
            pass
    if local == "ImageRegion":
        return BlockType.PHOTO
    if local == "GraphicRegion":
        return BlockType.GRAPHIC
    if local == "TableRegion":
        return BlockType.TABLE
    if local == "AdvertRegion":
        return BlockType.ADVERT
    return PAGE_TYPES.get(region.get("type", "paragraph"), BlockType.BODY)


def _page_order(pg: etree._Element, q: dict[str, str], blocks: dict[str, Block], page: Page) -> None:
    """Reading order: nested groups flattened in document order; each top-level group an article."""
    ro = pg.find("p:ReadingOrder", q)
    order: list[str] = []
    articles: list[Article] = []
    if ro is not None:
        top = next(iter(ro), None)
        children = sorted(top, key=lambda e: int(e.get("index", "0"))) if top is not None else []
        for child in children:
            ids = [r.get("regionRef", "") for r in child.iter(f"{{{q['p']}}}RegionRefIndexed",
                                                                f"{{{q['p']}}}RegionRef")]
            if etree.QName(child).localname in ("RegionRefIndexed", "RegionRef"):
                ids = [child.get("regionRef", "")]
            ids = [i for i in ids if i in blocks and i not in order]
            order.extend(ids)
            if etree.QName(child).localname.endswith("GroupIndexed") and ids:
                gid = (child.get("id") or f"g{len(articles) + 1}").removeprefix("ro_")
                articles.append(Article(gid, ids, child.get("caption")))
    rest = [i for i in blocks if i not in order]
    for n, bid in enumerate(order + rest):
        blocks[bid].order = n if bid in order else None
        page.blocks.append(blocks[bid])
    for art in articles:
        for bid in art.block_ids:
            blocks[bid].article_id = art.id
    page.articles = articles


# -- ALTO -------------------------------------------------------------------------------------------
def _read_alto(root: etree._Element, ns: str, path: Path) -> Page:
    q = {"a": ns} if ns else {}
    pfx = "a:" if ns else ""
    unit = root.findtext(f"{pfx}Description/{pfx}MeasurementUnit", default="pixel", namespaces=q)
    if unit.strip() != "pixel":
        raise InputError(path, f"ALTO MeasurementUnit {unit!r} is not supported (pixel only)")
    pg = root.find(f"{pfx}Layout/{pfx}Page", q)
    if pg is None:
        raise InputError(path, "ALTO file without Layout/Page")
    w, h = float(pg.get("WIDTH", "0") or 0), float(pg.get("HEIGHT", "0") or 0)
    name = root.findtext(f"{pfx}Description/{pfx}sourceImageInformation/{pfx}fileName", default=path.name,
                         namespaces=q)
    page = Page(int(w), int(h), Source(name or path.name, ""))
    _alto_cut_from(root, pfx, q, page)
    tags = {t.get("ID"): t for t in root.iter(f"{{{ns}}}StructureTag" if ns else "StructureTag",
                                                f"{{{ns}}}NamedEntityTag" if ns else "NamedEntityTag")}

    def box_of(el: etree._Element) -> Box:
        x, y = float(el.get("HPOS", 0) or 0), float(el.get("VPOS", 0) or 0)
        bw, bh = float(el.get("WIDTH", 0) or 0), float(el.get("HEIGHT", 0) or 0)
        x0, y0 = min(max(x, 0.0), w or x + bw), min(max(y, 0.0), h or y + bh)
        return Box(x0, y0, min(x + bw, w or x + bw), min(y + bh, h or y + bh))

    def btype(el: etree._Element, default: BlockType) -> BlockType:
        for ref in (el.get("TAGREFS") or "").split():
            tag = tags.get(ref)
            if tag is not None and etree.QName(tag).localname == "StructureTag":
                try:
                    return BlockType(tag.get("LABEL", ""))
                except ValueError:
                    continue
        return default

    def walk(parent: etree._Element) -> None:
        for el in parent:
            local = etree.QName(el).localname
            bid = el.get("ID") or f"{local}{len(page.blocks) + 1}"
            if local == "ComposedBlock":
                first = len(page.blocks)
                walk(el)
                _composed_links(page.blocks[first:])
            elif local == "Illustration":
                default = BlockType.GRAPHIC if el.get("TYPE") == "graphic" else BlockType.PHOTO
                page.blocks.append(Block(bid, btype(el, default), box_of(el).polygon()))
            elif local == "GraphicalElement":
                b = box_of(el)
                page.separators.append(Separator(bid, b.polygon(), "horizontal" if b.width >= b.height else
                                                 "vertical"))
            elif local == "TextBlock":
                page.blocks.append(_alto_block(el, bid, btype(el, BlockType.BODY), box_of, pfx, q, tags))

    space = pg.find(f"{pfx}PrintSpace", q)
    walk(space if space is not None else pg)
    _alto_order(root, pfx, q, page)
    return page


def _alto_cut_from(root: etree._Element, pfx: str, q: dict[str, str], page: Page) -> None:
    """A page cut from a spread names the scan and where in it (`scan.jpg#xywh=x,y,w,h`): kept, so
    that its coordinates can be put back into the scan's."""
    ident = root.find(f"{pfx}Description/{pfx}sourceImageInformation/{pfx}documentIdentifier"
                      "[@documentIdentifierLocation='cut-from']", q)
    got = re.fullmatch(r"(.+)#xywh=([\d.]+),([\d.]+),([\d.]+),([\d.]+)", (ident.text or "").strip()) \
        if ident is not None else None
    if got:
        x, y, cw, ch = (float(v) for v in got.groups()[1:])
        page.source.cut_from = got[1]
        page.source.crop = Box(x, y, x + cw, y + ch)


def _alto_block(el: etree._Element, bid: str, bt: BlockType, box_of, pfx: str, q: dict[str, str],
                tags: dict) -> Block:
    lines: list[TextLine] = []
    block = Block(bid, bt, box_of(el).polygon(), lines, next_block=el.get("IDNEXT"))
    for ln in el.findall(f"{pfx}TextLine", q):
        direction = Direction(ln.get("BASEDIRECTION")) if ln.get("BASEDIRECTION") in ALTO_DIRECTIONS else Direction.LTR
        strings: list[String] = []
        for node in ln:
            local = etree.QName(node).localname
            if local == "String":
                wc = node.get("WC")
                glyphs = [Glyph(g.get("CONTENT", ""), box_of(g), float(g.get("GC", 1) or 1))
                          for g in node.findall(f"{pfx}Glyph", q)]
                strings.append(String(node.get("CONTENT", ""), box_of(node), float(wc) if wc else 1.0, glyphs))
            elif local == "SP" and strings:
                strings[-1].space_after = True
            elif local == "HYP" and strings:
                strings[-1].hyphenated = True
        lines.append(TextLine(box_of(ln).polygon(), direction, strings))
        block.direction = direction
    return block


def _composed_links(inside: list[Block]) -> None:
    """The links ALTO holds: a ComposedBlock (layoutkit writes one of TYPE photo-with-caption)
    with one illustration in it makes the caption and credit blocks beside it that picture's.

    ALTO 4.4 has no other reference from a caption to its picture (IDNEXT is the next block in
    reading order), so a caption outside any ComposedBlock has no link, wherever it stands:
    links are read as the file writes them, never inferred from the order of blocks.
    """
    pictures = [b for b in inside if not b.type.is_text]
    if len(pictures) != 1:
        return
    for b in inside:
        if b.type is BlockType.CAPTION:
            b.caption_of = pictures[0].id
        elif b.type is BlockType.CREDIT:
            b.credit_of = pictures[0].id


def _alto_order(root: etree._Element, pfx: str, q: dict[str, str], page: Page) -> None:
    by_id = {b.id: b for b in page.blocks}
    ro = root.find(f"{pfx}ReadingOrder", q)
    order: list[str] = []
    if ro is not None:
        for group in ro.iter():
            if etree.QName(group).localname != "OrderedGroup":
                continue
            refs = [r.get("REF", "") for r in group if etree.QName(r).localname == "ElementRef"]
            refs = [r for r in refs if r in by_id and r not in order]
            if refs and group.getparent() is not None and etree.QName(group.getparent()).localname == "OrderedGroup":
                page.articles.append(Article(group.get("ID", "").removeprefix("ro_"), refs))
            order.extend(refs)
    order += [b.id for b in page.blocks if b.id not in order]  # document order otherwise
    for n, bid in enumerate(order):
        by_id[bid].order = n
    for art in page.articles:
        for bid in art.block_ids:
            by_id[bid].article_id = art.id
    for tag in root.iter():
        if etree.QName(tag).localname == "NamedEntityTag" and tag.get("TYPE") == "masthead":
            page.masthead.append(MastheadField(tag.get("LABEL", ""), tag.get("DESCRIPTION", ""), ""))

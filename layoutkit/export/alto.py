"""ALTO 4.4 from the page model, built with lxml (never string templates).

Blocks are written in reading order *and* listed in `<ReadingOrder>`, one OrderedGroup per
article: most consumers walk the document order and never follow IDNEXT or ReadingOrder.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..model import Block, BlockType, Box, Direction, Page, Polygon, String, TextLine
from ..ocr.strings import is_cjk

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
NSMAP = {None: ALTO_NS, "xlink": XLINK_NS, "xsi": XSI_NS}

ILLUSTRATION_TYPES = {BlockType.PHOTO: "photo", BlockType.GRAPHIC: "graphic"}


def _el(parent: etree._Element | None, tag: str, **attrs: str) -> etree._Element:
    name = f"{{{ALTO_NS}}}{tag}"
    node = etree.Element(name, nsmap=NSMAP) if parent is None else etree.SubElement(parent, name)
    for k, v in attrs.items():
        node.set(k, v)
    return node


def _num(v: float) -> str:
    return str(round(v))


def _geometry(node: etree._Element, box: Box) -> None:
    node.set("HPOS", _num(box.x0))
    node.set("VPOS", _num(box.y0))
    node.set("WIDTH", _num(max(box.width, 1)))
    node.set("HEIGHT", _num(max(box.height, 1)))


def _is_rect(poly: Polygon) -> bool:
    if len(poly) != 4:
        return False
    xs = sorted({round(p[0]) for p in poly})
    ys = sorted({round(p[1]) for p in poly})
    return len(xs) <= 2 and len(ys) <= 2


def _shape(node: etree._Element, poly: Polygon) -> None:
    if _is_rect(poly):
        return
    shape = _el(node, "Shape")
    _el(shape, "Polygon", POINTS=" ".join(f"{round(x)},{round(y)}" for x, y in poly))


def confidence_digits(confidences: list[float]) -> str:
    """ALTO CC: one digit per character, 0 = sure, 9 = unsure (the inverse of WC)."""
    return "".join(str(min(9, max(0, int((1.0 - c) * 10)))) for c in confidences)


def carrying_strings(block: Block, printed: str) -> list[String]:
    """The Strings of `block` that print `printed` (spaces ignored), where it is found first."""
    strings = [s for ln in block.lines for s in ln.strings]
    flat = "".join(s.text for s in strings)
    target = "".join(printed.split())
    start = flat.find(target) if target else -1
    if start < 0:
        return []
    out, pos = [], 0
    for s in strings:
        if pos < start + len(target) and pos + len(s.text) > start:
            out.append(s)
        pos += len(s.text)
    return out


def with_companions(ordered: list[Block]) -> list[tuple[Block, list[Block]]]:
    """The blocks in reading order, each photo with the captions and credits that belong to it
    right after it (wherever the order put them): the sequence ALTO and hOCR both write."""
    by_id = {b.id: b for b in ordered}
    attached = {b.id for b in ordered if (b.caption_of in by_id or b.credit_of in by_id)}
    return [(block, [b for b in ordered if block.id in (b.caption_of, b.credit_of)])
            for block in ordered if block.id not in attached]


def hyphenated_words(page: Page) -> dict[int, tuple[str, str]]:
    """id(String) -> (HypPart1 | HypPart2, the whole word) for words broken at a line end,
    including those that go on at the top of the block continued in (IDNEXT)."""
    by_id = {b.id: b for b in page.blocks if b.lines}
    parts: dict[int, tuple[str, str]] = {}
    for block in by_id.values():
        for i, line in enumerate(block.lines):
            if not line.strings or not line.strings[-1].hyphenated:
                continue
            if i + 1 < len(block.lines):
                following = block.lines[i + 1]
            elif block.next_block in by_id:
                following = by_id[block.next_block].lines[0]
            else:
                continue
            if not following.strings:
                continue
            first, second = line.strings[-1], following.strings[0]
            # A lower-case continuation is one word; a capital keeps the hyphen (Nord-Süd).
            word = first.text + second.text if second.text[:1].islower() else f"{first.text}-{second.text}"
            parts[id(first)] = ("HypPart1", word)
            parts[id(second)] = ("HypPart2", word)
    return parts


class AltoWriter:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.tag_ids: dict[str, str] = {}
        self.entity_tags: dict[int, list[str]] = {}  # id(String) -> NamedEntityTag IDs
        self.word_parts = hyphenated_words(page)

    def build(self) -> etree._Element:
        page = self.page
        root = _el(None, "alto", SCHEMAVERSION="4.4")
        root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
        self._description(root)
        self._tags(root)
        ordered = page.ordered_blocks()
        if ordered:
            self._reading_order(root, ordered)
        layout = _el(root, "Layout")
        pg = _el(layout, "Page", ID="page1", PHYSICAL_IMG_NR=str(page.source.page_index + 1),
                 WIDTH=str(page.width), HEIGHT=str(page.height), PROCESSINGREFS="proc1")
        folio = next((f.value for f in page.masthead if f.name == "page"), None)
        if folio:
            pg.set("PRINTED_IMG_NR", folio)
        space = _el(pg, "PrintSpace", HPOS="0", VPOS="0", WIDTH=str(page.width), HEIGHT=str(page.height))
        for block, companions in with_companions(ordered):
            if companions:
                boxes = [block.box] + [b.box for b in companions]
                composed = _el(space, "ComposedBlock", ID=f"cb_{block.id}", TYPE="photo-with-caption")
                _geometry(composed, Box.enclosing(boxes))
                self._block(composed, block)
                for c in companions:
                    self._block(composed, c)
            else:
                self._block(space, block)
        for sep in page.separators:
            node = _el(space, "GraphicalElement", ID=sep.id, TAGREFS=self._tag("separator"))
            _geometry(node, sep.box)
            _shape(node, sep.polygon)
        return root

    def _description(self, root: etree._Element) -> None:
        page = self.page
        desc = _el(root, "Description")
        _el(desc, "MeasurementUnit").text = "pixel"
        info = _el(desc, "sourceImageInformation")
        _el(info, "fileName").text = page.source.name
        _el(info, "fileIdentifier", fileIdentifierLocation="sha256").text = page.source.sha256
        crop = page.source.crop
        if page.source.cut_from and crop:
            # The scan this page was cut from, and where, as a media fragment (xywh, pixels).
            _el(info, "documentIdentifier", documentIdentifierLocation="cut-from").text = (
                f"{Path(page.source.cut_from).name}#xywh={crop.x0:.0f},{crop.y0:.0f},{crop.width:.0f},{crop.height:.0f}")
        proc = page.processing
        if proc is None:
            return
        step = _el(desc, "Processing", ID="proc1")
        _el(step, "processingStepDescription").text = (
            "layout analysis, OCR, reading order and structure by layoutkit; "
            f"page {page.source.page_index + 1} of {page.source.page_count}")
        settings = dict(proc.settings) | {f"model.{k}": v for k, v in proc.models.items()}
        _el(step, "processingStepSettings").text = "; ".join(f"{k}={v}" for k, v in sorted(settings.items()))
        sw = _el(step, "processingSoftware")
        _el(sw, "softwareCreator").text = "layoutkit contributors"
        _el(sw, "softwareName").text = proc.software
        _el(sw, "softwareVersion").text = proc.version
        _el(sw, "applicationDescription").text = f"engine {proc.engine}"

    def _tags(self, root: etree._Element) -> None:
        tags = _el(root, "Tags")
        used = {b.type.value for b in self.page.blocks}
        if self.page.separators:
            used.add(BlockType.SEPARATOR.value)
        for label in sorted(used):
            tid = f"tag_{label}"
            _el(tags, "StructureTag", ID=tid, TYPE="block", LABEL=label)
            self.tag_ids[label] = tid
        blocks = {b.id: b for b in self.page.blocks}
        for n, field in enumerate(self.page.masthead, start=1):
            tid = f"ne_{field.name}_{n}"
            _el(tags, "NamedEntityTag", ID=tid, TYPE="masthead", LABEL=field.name, DESCRIPTION=field.value)
            block = blocks.get(field.block_id or "")
            for s in carrying_strings(block, field.text) if block else []:
                self.entity_tags.setdefault(id(s), []).append(tid)
        if len(tags) == 0:
            root.remove(tags)

    def _tag(self, label: str) -> str:
        return self.tag_ids[label]

    def _reading_order(self, root: etree._Element, ordered: list[Block]) -> None:
        ro = _el(root, "ReadingOrder")
        top = _el(ro, "OrderedGroup", ID="ro_page")
        known = {b.id for b in ordered}
        groups = [(a.id, [i for i in a.block_ids if i in known]) for a in self.page.articles]
        covered = {i for _, ids in groups for i in ids}
        rest = [b.id for b in ordered if b.id not in covered]
        if rest:
            groups.append(("unassigned", rest))
        for gid, ids in groups:
            if not ids:
                continue
            group = _el(top, "OrderedGroup", ID=f"ro_{gid}")
            for n, bid in enumerate(ids, start=1):
                _el(group, "ElementRef", ID=f"ro_{gid}_{n}", REF=bid)

    def _block(self, parent: etree._Element, block: Block) -> None:
        if not block.type.is_text:
            node = _el(parent, "Illustration", ID=block.id, TAGREFS=self._tag(block.type.value),
                       TYPE=ILLUSTRATION_TYPES.get(block.type, "graphic"))
            _geometry(node, block.box)
            _shape(node, block.polygon)
            return
        node = _el(parent, "TextBlock", ID=block.id, TAGREFS=self._tag(block.type.value))
        _geometry(node, block.box)
        if block.direction is not Direction.LTR:
            node.set("BASEDIRECTION", block.direction.value)
        if block.next_block:
            node.set("IDNEXT", block.next_block)
        _shape(node, block.polygon)
        for n, line in enumerate(block.lines, start=1):
            self._line(node, line, f"{block.id}_l{n}")

    def _line(self, parent: etree._Element, line: TextLine, lid: str) -> None:
        node = _el(parent, "TextLine", ID=lid, BASEDIRECTION=line.direction.value)
        _geometry(node, line.box)
        if line.baseline:
            node.set("BASELINE", " ".join(f"{round(x)},{round(y)}" for x, y in line.baseline))
        _shape(node, line.polygon)
        for n, s in enumerate(line.strings, start=1):
            self._string(node, s, f"{lid}_s{n}")
            if s.space_after and n < len(line.strings):
                # The space lies between the two strings: left of this one in a right-to-left line.
                left, right = sorted((s.box, line.strings[n].box), key=lambda b: b.x0)
                sp = _el(node, "SP", HPOS=_num(left.x1), VPOS=_num(s.box.y0), WIDTH=_num(max(1.0, right.x0 - left.x1)))
                sp.set("HEIGHT", _num(max(s.box.height, 1)))
            if s.hyphenated:
                _el(node, "HYP", CONTENT="-", HPOS=_num(s.box.x1), VPOS=_num(s.box.y0))

    def _string(self, parent: etree._Element, s: String, sid: str) -> None:
        node = _el(parent, "String", ID=sid, CONTENT=s.text, WC=f"{s.confidence:.3f}")
        _geometry(node, s.box)
        confs = [g.confidence for g in s.glyphs] if len(s.glyphs) == len(s.text) else [s.confidence] * len(s.text)
        node.set("CC", confidence_digits(confs))
        part = self.word_parts.get(id(s))
        if part:
            node.set("SUBS_TYPE", part[0])
            node.set("SUBS_CONTENT", part[1])
        tags = self.entity_tags.get(id(s))
        if tags:
            node.set("TAGREFS", " ".join(tags))
        if any(is_cjk(ch) for ch in s.text):
            for n, g in enumerate(s.glyphs, start=1):
                gn = _el(node, "Glyph", ID=f"{sid}_g{n}", CONTENT=g.char, GC=f"{g.confidence:.3f}")
                _geometry(gn, g.box)


def to_alto(page: Page) -> bytes:
    root = AltoWriter(page).build()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

"""hOCR 1.2 from the page model: the exchange format OCRmyPDF, hocr-tools and search indexers read.

The page is written as XHTML (built with lxml), one `ocr_carea` per block in reading order, each
with one `ocr_par` of `ocr_line`s of `ocrx_word`s; photos and graphics are `ocr_photo`, a photo
with its captions an `ocr_float` (where ALTO writes a ComposedBlock), rules `ocr_separator`.
Element ids are ALTO's, and bounding boxes are ALTO's HPOS/VPOS/WIDTH/HEIGHT as corners, so the
two outputs of one run can be checked against each other element by element.

A vertical line (read top to bottom) carries `textangle 270`: hOCR measures the angle counter-
clockwise, 90 being text that runs bottom to top, so 270 runs down the column; a renderer of a
text layer (OCRmyPDF's) lays the line's text along it, which makes selection run down the column.
Characters of CJK words are `ocrx_cinfo` spans with their own box (`x_bboxes`) and confidence.
"""

from __future__ import annotations

from lxml import etree

from ..model import Block, Box, Direction, Page, String, TextLine
from ..ocr.strings import is_cjk
from .alto import with_companions

XHTML_NS = "http://www.w3.org/1999/xhtml"
DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
CAPABILITIES = ("ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrx_cinfo ocr_photo ocr_float ocr_separator "
                "ocrp_wconf ocrp_lang ocrp_dir")
#: hOCR's angle, counter-clockwise, of text that runs down the page.
TOP_TO_BOTTOM = 270
#: Language of text in CJK characters (BCP 47, as HTML's lang wants); other scripts are left unnamed.
CJK_LANG = "zh"


def corners(box: Box) -> tuple[int, int, int, int]:
    """The box as ALTO writes it (rounded origin, rounded size, at least one pixel), as corners."""
    x0, y0 = round(box.x0), round(box.y0)
    return x0, y0, x0 + round(max(box.width, 1)), y0 + round(max(box.height, 1))


def _bbox(box: Box) -> str:
    return "bbox {} {} {} {}".format(*corners(box))


def _el(parent: etree._Element, tag: str, cls: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{XHTML_NS}}}{tag}")
    if tag in ("head", "body", "meta", "title", "div", "p") or cls == "ocr_line":
        node.tail = "\n"  # one element a line; inside a line, whitespace is the text's own
    if cls:
        node.set("class", cls)
    for k, v in attrs.items():
        node.set(k, v)
    return node


def _lang(text: str) -> str | None:
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(is_cjk(ch) for ch in letters) * 2 > len(letters):
        return CJK_LANG
    return None


def _baseline(line: TextLine) -> str | None:
    """hOCR's baseline: slope, and offset at the line box's left edge from its bottom (negative
    upwards); only for a horizontal line with a measured baseline."""
    if line.direction is Direction.TTB or not line.baseline or len(line.baseline) < 2:
        return None
    (ax, ay), (bx, by) = line.baseline[0], line.baseline[-1]
    if bx - ax == 0:
        return None
    slope = (by - ay) / (bx - ax)
    x0, _, _, y1 = corners(line.box)
    return f"baseline {slope:.4f} {ay + slope * (x0 - ax) - y1:.0f}"


class HocrWriter:
    def __init__(self, page: Page) -> None:
        self.page = page

    def build(self) -> etree._Element:
        page = self.page
        html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS})
        lang = _lang("".join(b.text for b in page.blocks))
        if lang:
            html.set("lang", lang)
            html.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
        head = _el(html, "head")
        _el(head, "title").text = page.source.name
        _el(head, "meta", **{"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
        proc = page.processing
        system = f"{proc.software} {proc.version} (engine {proc.engine})" if proc else "layoutkit"
        _el(head, "meta", name="ocr-system", content=system)
        _el(head, "meta", name="ocr-capabilities", content=CAPABILITIES)
        _el(head, "meta", name="ocr-number-of-pages", content="1")
        body = _el(html, "body")
        props = [f'image "{page.source.name}"', f"bbox 0 0 {page.width} {page.height}",
                 f"ppageno {page.source.page_index}"]
        if page.dpi:
            props.append(f"scan_res {round(page.dpi)} {round(page.dpi)}")
        node = _el(body, "div", "ocr_page", id="page1", title="; ".join(props))
        for block, companions in with_companions(page.ordered_blocks()):
            if companions:
                group = _el(node, "div", "ocr_float", id=f"cb_{block.id}",
                            title=_bbox(Box.enclosing([block.box] + [b.box for b in companions])))
                for b in [block, *companions]:
                    self._block(group, b)
            else:
                self._block(node, block)
        for sep in page.separators:
            _el(node, "div", "ocr_separator", id=sep.id, title=_bbox(sep.box))
        return html

    def _block(self, parent: etree._Element, block: Block) -> None:
        if not block.type.is_text:
            _el(parent, "div", "ocr_photo", id=block.id, title=_bbox(block.box))
            return
        area = _el(parent, "div", "ocr_carea", id=block.id, title=_bbox(block.box))
        if not block.lines:
            return
        par = _el(area, "p", "ocr_par", id=f"{block.id}_p", title=_bbox(block.box))
        lang = _lang(block.text)
        if lang:
            par.set("lang", lang)
        if block.direction is Direction.RTL:
            par.set("dir", "rtl")
        elif block.direction is Direction.TTB:
            par.set("style", "writing-mode: vertical-rl")
        for n, line in enumerate(block.lines, start=1):
            self._line(par, line, f"{block.id}_l{n}")

    def _line(self, parent: etree._Element, line: TextLine, lid: str) -> None:
        props = [_bbox(line.box)]
        baseline = _baseline(line)
        if baseline:
            props.append(baseline)
        if line.direction is Direction.TTB:
            props.append(f"textangle {TOP_TO_BOTTOM}")
        node = _el(parent, "span", "ocr_line", id=lid, title="; ".join(props))
        if line.direction is Direction.RTL:
            node.set("dir", "rtl")
        for n, s in enumerate(line.strings, start=1):
            word = self._word(node, s, f"{lid}_s{n}")
            if s.space_after and n < len(line.strings):
                word.tail = " "

    def _word(self, parent: etree._Element, s: String, sid: str) -> etree._Element:
        node = _el(parent, "span", "ocrx_word", id=sid,
                   title=f"{_bbox(s.box)}; x_wconf {round(100 * min(1.0, max(0.0, s.confidence)))}")
        text = s.text + ("-" if s.hyphenated else "")
        if len(s.glyphs) == len(s.text) and any(is_cjk(ch) for ch in s.text):
            for n, g in enumerate(s.glyphs, start=1):
                box = "{} {} {} {}".format(*corners(g.box))
                char = _el(node, "span", "ocrx_cinfo", id=f"{sid}_g{n}",
                           title=f"x_bboxes {box}; x_confs {100 * min(1.0, max(0.0, g.confidence)):.1f}")
                char.text = g.char
            if s.hyphenated:
                node[-1].tail = "-"
        else:
            node.text = text
        return node


def to_hocr(page: Page) -> bytes:
    """Not pretty-printed: indentation between a word's characters would be read as spaces."""
    root = HocrWriter(page).build()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE) + b"\n"

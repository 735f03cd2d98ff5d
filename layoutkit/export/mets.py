"""One METS file for the pages of an issue: files, pages, articles, and the masthead's metadata.

Libraries ingest an issue, not loose pages: the physical map lists the pages with their image and
ALTO, the logical map lists the articles as areas pointing at ALTO block IDs (BETYPE="IDREF"),
and the masthead's values (title, date, issue number, ISSN ...) go into a MODS record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from ..model import Article, MastheadField, Page

METS_NS = "http://www.loc.gov/METS/"
MODS_NS = "http://www.loc.gov/mods/v3"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"mets": METS_NS, "mods": MODS_NS, "xlink": XLINK_NS, "xsi": XSI_NS}
SCHEMA_LOCATION = f"{METS_NS} http://www.loc.gov/standards/mets/mets.xsd"
MIMETYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff",
             ".tiff": "image/tiff", ".pdf": "application/pdf", ".jp2": "image/jp2", ".webp": "image/webp"}


@dataclass(slots=True)
class PageRecord:
    """What METS needs of a processed page, small enough to keep for thousands of pages."""

    image: Path
    alto: Path
    articles: list[Article] = field(default_factory=list)
    masthead: list[MastheadField] = field(default_factory=list)
    #: Which page of the image file this is (a multi-page TIFF or PDF).
    image_index: int = 0
    #: The image file's sha256 (a page cut from a spread: its own image's).
    sha256: str = ""

    @staticmethod
    def of(page: Page, alto: Path) -> PageRecord:
        return PageRecord(Path(page.source.path), alto, list(page.articles), list(page.masthead),
                          page.source.image_index, page.source.sha256)

    def to_dict(self) -> dict:
        """For the completion record, so a resumed run still lists finished pages in its METS."""
        return {"image": str(self.image), "alto": str(self.alto), "image_index": self.image_index,
                "sha256": self.sha256,
                "articles": [[a.id, a.title, a.block_ids] for a in self.articles],
                "masthead": [[f.name, f.value, f.text, f.block_id] for f in self.masthead]}

    @staticmethod
    def from_dict(d: dict) -> PageRecord:
        return PageRecord(Path(d["image"]), Path(d["alto"]), [Article(i, list(b), t) for i, t, b in d["articles"]],
                          [MastheadField(n, v, t, b) for n, v, t, b in d["masthead"]], int(d.get("image_index", 0)),
                          d.get("sha256", ""))


def _m(parent: etree._Element | None, tag: str, ns: str = METS_NS, **attrs: str) -> etree._Element:
    name = f"{{{ns}}}{tag}"
    node = etree.Element(name, nsmap=NSMAP) if parent is None else etree.SubElement(parent, name)
    for k, v in attrs.items():
        node.set(k, v)
    return node


def _href(target: Path, base: Path) -> str:
    """A relative URL: every byte of the file name that is not plain ASCII percent-encoded."""
    return quote(os.fsencode(Path(os.path.relpath(target.resolve(), base.resolve())).as_posix()), safe="/")


def _mods(parent: etree._Element, fields: dict[str, str]) -> None:
    mods = _m(parent, "mods", MODS_NS)
    if "title" in fields:
        _m(_m(mods, "titleInfo", MODS_NS), "title", MODS_NS).text = fields["title"]
    if "title_latin" in fields:
        ti = _m(mods, "titleInfo", MODS_NS, type="translated")
        _m(ti, "title", MODS_NS).text = fields["title_latin"]
    origin = _m(mods, "originInfo", MODS_NS)
    if "date" in fields:
        _m(origin, "dateIssued", MODS_NS, encoding="iso8601", keyDate="yes").text = fields["date"]
    _m(origin, "issuance", MODS_NS).text = "serial"
    for key, kind in (("issn", "issn"), ("cn", "cn"), ("postal", "postal-distribution-code"), ("website", "uri")):
        if key in fields:
            _m(mods, "identifier", MODS_NS, type=kind).text = fields[key]
    part = _m(mods, "part", MODS_NS)
    for key in ("issue", "volume"):
        if key in fields:
            _m(_m(part, "detail", MODS_NS, type=key), "number", MODS_NS).text = fields[key]
    if "pages" in fields:
        _m(_m(part, "extent", MODS_NS, unit="pages"), "total", MODS_NS).text = fields["pages"]
    for key in ("weekday", "lunar_date", "email", "hotline"):
        if key in fields:
            _m(mods, "note", MODS_NS, type=key).text = fields[key]
    if len(part) == 0:
        mods.remove(part)


def build(records: list[PageRecord], mets_path: Path, label: str | None = None) -> etree._Element:
    base = mets_path.parent
    root = _m(None, "mets", OBJID=label or mets_path.stem, TYPE="newspaper-issue")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    hdr = _m(root, "metsHdr", CREATEDATE="1970-01-01T00:00:00")
    agent = _m(hdr, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _m(agent, "name").text = "layoutkit"
    fields = next(({f.name: f.value for f in r.masthead} for r in records if r.masthead), {})
    dmd = _m(root, "dmdSec", ID="dmd_issue")
    _mods(_m(_m(dmd, "mdWrap", MDTYPE="MODS"), "xmlData"), fields)
    article_dmd: dict[tuple[int, str], str] = {}
    for n, r in enumerate(records, start=1):
        for a in r.articles:
            if a.id == "masthead" or not a.title:
                continue
            did = f"dmd_p{n}_{a.id}"
            article_dmd[(n, a.id)] = did
            sec = _m(root, "dmdSec", ID=did)
            _mods(_m(_m(sec, "mdWrap", MDTYPE="MODS"), "xmlData"), {"title": a.title})

    files = _m(root, "fileSec")
    images = _m(files, "fileGrp", USE="IMAGE")
    altos = _m(files, "fileGrp", USE="FULLTEXT")
    for n, r in enumerate(records, start=1):
        f = _m(images, "file", ID=f"img_p{n}", MIMETYPE=MIMETYPES.get(r.image.suffix.lower(), "image/unknown"))
        _m(f, "FLocat", LOCTYPE="URL").set(f"{{{XLINK_NS}}}href", _href(r.image, base))
        f = _m(altos, "file", ID=f"alto_p{n}", MIMETYPE="text/xml")
        _m(f, "FLocat", LOCTYPE="URL").set(f"{{{XLINK_NS}}}href", _href(r.alto, base))

    physical = _m(root, "structMap", TYPE="PHYSICAL")
    seq = _m(physical, "div", TYPE="physSequence", ID="phys_issue")
    for n, _ in enumerate(records, start=1):
        div = _m(seq, "div", TYPE="page", ID=f"phys_p{n}", ORDER=str(n), ORDERLABEL=str(n))
        _m(div, "fptr", FILEID=f"img_p{n}")
        _m(div, "fptr", FILEID=f"alto_p{n}")

    logical = _m(root, "structMap", TYPE="LOGICAL")
    issue = _m(logical, "div", TYPE="issue", ID="log_issue", DMDID="dmd_issue",
               LABEL=" ".join(v for k, v in fields.items() if k in ("title", "date")) or (label or mets_path.stem))
    for n, r in enumerate(records, start=1):
        for a in r.articles:
            if not a.block_ids:
                continue
            kind = "masthead" if a.id == "masthead" else "article"
            attrs = {"TYPE": kind, "ID": f"log_p{n}_{a.id}"}
            if a.title and kind == "article":
                attrs["LABEL"] = a.title
            if (n, a.id) in article_dmd:
                attrs["DMDID"] = article_dmd[(n, a.id)]
            div = _m(issue, "div", **attrs)
            areas = _m(_m(div, "fptr"), "seq")
            for bid in a.block_ids:
                _m(areas, "area", FILEID=f"alto_p{n}", BETYPE="IDREF", BEGIN=bid)
    return root


def to_mets(records: list[PageRecord], mets_path: Path, label: str | None = None) -> bytes:
    return etree.tostring(build(records, mets_path, label), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)

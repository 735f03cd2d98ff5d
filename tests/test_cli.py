"""The command line as a user runs it: real processes, real files, real models."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import cv2

from samples.pagegen import compose
from tests.conftest import EVAL, need_shared


def layoutkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layoutkit", *args], capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})}, check=False)


def test_help():
    for cmd in ("run", "models"):
        res = layoutkit(cmd, "--help")
        assert res.returncode == 0 and "usage: layoutkit " + cmd in res.stdout


def test_usage_error_exit_code_2(tmp_path: Path):
    assert layoutkit("run", str(tmp_path)).returncode == 2  # -o missing


def test_no_input_file_is_a_usage_error_before_any_work(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("not a scan")
    res = layoutkit("run", str(tmp_path / "in"), str(tmp_path / "*.png"), "-o", str(tmp_path / "out"))
    assert res.returncode == 2
    assert res.stderr.startswith("error: no input files found in") and "page(s)" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_resume_counts_each_file_once(tmp_path: Path, chinese_paragraphs):
    inputs = tmp_path / "in"
    inputs.mkdir()
    image, _ = compose.text_columns_page(chinese_paragraphs[:1], width=900, height=500, font_px=30, margin=40)
    cv2.imwrite(str(inputs / "good.png"), image)
    (inputs / "empty.png").write_bytes(b"")
    (inputs / "readme.png").write_text("this is text, not a scan\n")
    out = tmp_path / "out"
    first = layoutkit("run", str(inputs), "-o", str(out))
    assert first.returncode == 1
    assert "1 page(s) in" in first.stderr and "3 file(s): 1 done, 0 already done, 2 failed" in first.stderr
    again = layoutkit("run", str(inputs), "-o", str(out), "--resume")
    assert again.returncode == 1
    assert "0 page(s) in" in again.stderr and "3 file(s): 0 done, 1 already done, 2 failed" in again.stderr
    assert len([line for line in again.stderr.splitlines() if line.startswith("error:")]) == 2


def test_bad_inputs_named_and_batch_goes_on(tmp_path: Path, chinese_paragraphs, assert_valid_alto):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.png").write_bytes(b"")
    (inputs / "readme.png").write_text("this is text, not a scan\n")
    image, _ = compose.text_columns_page(chinese_paragraphs[:1], width=900, height=500, font_px=30, margin=40)
    cv2.imwrite(str(inputs / "good.png"), image)
    out = tmp_path / "out"
    res = layoutkit("run", str(inputs), "-o", str(out), "-q")
    assert res.returncode == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert any("empty.png" in e and "empty file" in e for e in errors)
    assert any("readme.png" in e and "not an image" in e for e in errors)
    names = sorted(p.name for p in out.iterdir())
    assert names == [".layoutkit", "errors.jsonl", "good.alto.xml", "good.structure.json", "good.txt"]
    assert [p.name for p in (out / ".layoutkit").iterdir()] == ["good.json"]  # only the finished page
    assert_valid_alto(out / "good.alto.xml")
    assert "算力引擎" in (out / "good.txt").read_text("utf-8")


def test_models_listed_and_verified(tmp_path: Path):
    res = layoutkit("models")
    assert res.returncode == 0
    rows = {line.split()[0]: line.split()[1:3] for line in res.stdout.splitlines()}
    assert all(rows[name] == ["ppocr", "ok"] for name in ("ppocr-det", "ppocr-rec", "ppocr-cls"))
    # The optional engine's models are listed, and only fail the check when that engine is asked for.
    paddle_ok = all(rows[name][1] == "ok" for name in ("paddle-rec", "paddle-rec-graph", "paddle-rec-config"))
    assert (layoutkit("models", "--engine", "paddleocr").returncode == 0) == paddle_ok
    (tmp_path / "PP-OCRv6_rec_small.onnx").write_bytes(b"not the model")
    res = layoutkit("models", "--model-dir", str(tmp_path))
    assert res.returncode == 1
    assert re.search(r"ppocr-rec\s+ppocr\s+sha256 mismatch", res.stdout) and "not matching the manifest" in res.stderr
    res = layoutkit("run", "x.png", "-o", str(tmp_path / "o"), "--model-dir", str(tmp_path))
    assert res.returncode == 1 and "does not match the manifest sha256" in res.stderr


def test_real_nzz_scan_gives_valid_alto(tmp_path: Path, assert_valid_alto):
    scan = need_shared(EVAL / "nzz" / "nzz_17800719_0_0_a1_p1_1.tif")
    res = layoutkit("run", str(scan), "-o", str(tmp_path), "-q")
    assert res.returncode == 0, res.stderr
    doc = assert_valid_alto(tmp_path / "nzz_17800719_0_0_a1_p1_1.alto.xml")
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    assert len(doc.findall(".//a:TextLine", ns)) >= 70  # the ground truth has 76
    text = (tmp_path / "nzz_17800719_0_0_a1_p1_1.txt").read_text("utf-8")
    # Two columns with a gutter narrower than a line: the left one is read to its foot first.
    marks = [text.find(w) for w in ("Madrid", "Cadix", "Muros", "Frankreich", "Paris")]
    found = [m for m in marks if m >= 0]
    assert len(found) >= 4 and found == sorted(found)
    # Words broken at a line end carry the whole word on both halves (ALTO SUBS_TYPE/SUBS_CONTENT),
    # and the text output joins them.
    strings = doc.findall(".//a:String", ns)
    firsts = [s for s in strings if s.get("SUBS_TYPE") == "HypPart1"]
    hyphens = doc.findall(".//a:HYP", ns)
    assert len(firsts) >= 3 and len(firsts) == len(hyphens)
    for s in firsts:
        nxt = strings[strings.index(s) + 1]
        assert nxt.get("SUBS_TYPE") == "HypPart2" and nxt.get("SUBS_CONTENT") == s.get("SUBS_CONTENT")
        assert s.get("SUBS_CONTENT").startswith(s.get("CONTENT")) and s.get("SUBS_CONTENT").endswith(nxt.get("CONTENT"))
        assert s.getnext() is not None and s.getnext().tag.endswith("HYP")
    joined = [s.get("SUBS_CONTENT") for s in firsts if "-" not in s.get("SUBS_CONTENT")]
    assert sum(w in text for w in joined) >= len(joined) * 0.8

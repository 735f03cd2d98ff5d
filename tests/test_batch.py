"""Batch runs as a library runs them: bad files among good ones, parallel workers, kill and resume, Dask."""

from __future__ import annotations

import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from samples.pagegen import compose

ENV = {**os.environ, "LAYOUTKIT_THREADS": "1"}


def layoutkit(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layoutkit", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV, check=False)


@pytest.fixture(scope="module")
def small_page(chinese_paragraphs) -> np.ndarray:
    image, _ = compose.text_columns_page(chinese_paragraphs[:1], width=900, height=420, font_px=30, margin=40)
    return image


def _png_bomb(path: Path) -> None:
    """A PNG whose header declares 100000 x 100000 pixels and carries almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10))
                     + chunk(b"IEND", b""))


def test_bad_inputs_each_named_while_the_batch_completes(tmp_path: Path, small_page: np.ndarray, assert_valid_alto):
    import pikepdf

    d = tmp_path / "in"
    (d / "a").mkdir(parents=True)
    (d / "b").mkdir()
    good = d / "a" / "page.png"
    cv2.imwrite(str(good), small_page)
    cv2.imwrite(str(d / "b" / "page.png"), small_page)  # same stem, other folder: no overwrite
    (d / "zero.png").write_bytes(b"")
    (d / "text.png").write_text("hello")
    data = good.read_bytes()
    (d / "trunc.png").write_bytes(data[: len(data) // 3])
    _ok, jpg = cv2.imencode(".jpg", small_page)
    (d / "trunc.jpg").write_bytes(jpg.tobytes()[:400])
    Image.fromarray(small_page[:, :, 0]).save(d / "full.tif", compression="raw")
    (d / "trunc.tif").write_bytes((d / "full.tif").read_bytes()[:5000])
    (d / "full.tif").unlink()
    _png_bomb(d / "bomb.png")
    Image.new("L", (1, 1), 255).save(d / "one.png")
    Image.new("L", (600, 400), 255).save(d / "white.png")
    Image.new("L", (600, 400), 0).save(d / "black.png")
    Image.fromarray(small_page[:, :, 0].astype(np.uint16) * 257).save(d / "deep.tif")
    Image.fromarray(small_page[:, :, ::-1]).convert("CMYK").save(d / "cmyk.jpg")
    Image.fromarray(small_page[:, :, 0]).convert("P").save(d / "palette.png", transparency=0)
    frames = [Image.fromarray(small_page[:, :, 0])] * 2
    frames[0].save(d / "multi.tif", save_all=True, append_images=frames[1:])
    pikepdf.new().save(d / "empty.pdf")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(d / "locked.pdf", encryption=pikepdf.Encryption(owner="o", user="secret"))
    (d / "dangling.png").symlink_to(d / "nowhere.png")
    odd = os.fsdecode(b"caf\xe9.png")  # a Latin-1 name on a UTF-8 system
    cv2.imwrite(str(d / "ok.png"), small_page)
    os.rename(d / "ok.png", os.path.join(os.fsencode(d), os.fsencode(odd)))

    out = tmp_path / "out"
    res = layoutkit("run", str(d), str(d / "dangling.png"), "-o", str(out), "-q")
    assert res.returncode == 1
    errors = {line.split(":")[1].strip().split("/")[-1]: line for line in res.stderr.splitlines()
              if line.startswith("error:")}
    expected = {"zero.png": "empty file", "text.png": "not an image", "trunc.png": "truncated",
                "trunc.jpg": "truncated", "trunc.tif": "", "bomb.png": "over the limit",
                "empty.pdf": "no pages", "locked.pdf": "encrypted", "dangling.png": "cannot read"}
    for name, cause in expected.items():
        line = next((v for k, v in errors.items() if k.endswith(name)), None)
        assert line is not None, f"no error for {name}: {res.stderr}"
        assert cause in line
    assert len(errors) == len(expected), res.stderr
    names = {p.name for p in out.iterdir()}
    for stem in ("one", "white", "black", "deep", "cmyk", "palette", "multi_p0001", "multi_p0002",
                 "a__page", "b__page", "caf\udce9"):
        assert f"{stem}.alto.xml" in names, stem
    for alto in out.glob("*.alto.xml"):
        assert_valid_alto(alto)
    records = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert {r["stage"] for r in records} == {"input"} and len(records) == len(expected)
    assert not [n for n in names if n.endswith(".part")]


def test_progress_in_pages_printed_as_lines_when_stderr_is_a_log(tmp_path: Path, small_page: np.ndarray):
    """stderr is a pipe here, as under nohup or in a cluster job: no bar, but a line as pages are
    done (on four pages, after each), counted in pages with the files beside."""
    frames = [Image.fromarray(np.roll(small_page, 9 * i, axis=1)[:, :, 0]) for i in range(3)]
    frames[0].save(tmp_path / "three.tif", save_all=True, append_images=frames[1:])
    cv2.imwrite(str(tmp_path / "one.png"), small_page)
    res = layoutkit("run", str(tmp_path / "three.tif"), str(tmp_path / "one.png"), "-o", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.startswith("layoutkit: ")]
    counts = [tuple(map(int, re.match(r"layoutkit: (\d+)/4 pages, (\d+)/2 files", line).groups())) for line in lines]
    assert counts[0] == (1, 0) and counts[-1] == (4, 2), lines
    assert [p for p, _ in counts] == sorted(p for p, _ in counts) and {p for p, _ in counts} == {1, 2, 3, 4}
    assert "4 page(s) in" in res.stderr and "2 file(s): 2 done, 0 already done, 0 failed" in res.stderr
    assert "\r" not in res.stderr


def test_unwritable_output_reported(tmp_path: Path, small_page: np.ndarray):
    cv2.imwrite(str(tmp_path / "p.png"), small_page)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = layoutkit("run", str(tmp_path / "p.png"), "-o", str(blocker / "out"), "-q")
    assert res.returncode == 1 and "cannot write" in res.stderr


def _inputs(folder: Path, page: np.ndarray, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        shifted = np.roll(page, 7 * i, axis=1)  # different files, different hashes
        cv2.imwrite(str(folder / f"p{i:02d}.png"), shifted)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != "errors.jsonl"}


@pytest.mark.slow
def test_killed_batch_resumes_and_matches_uninterrupted_run(tmp_path: Path, small_page: np.ndarray):
    _inputs(tmp_path / "in", small_page, 6)
    reference = tmp_path / "ref"
    assert layoutkit("run", str(tmp_path / "in"), "-o", str(reference), "-q").returncode == 0

    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "layoutkit", "run", str(tmp_path / "in"), "-o", str(out), "-q"],
                            env=ENV, stderr=subprocess.DEVNULL)
    records = out / ".layoutkit"
    deadline = time.time() + 300
    while time.time() < deadline and len(list(records.glob("*.json")) if records.exists() else []) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(records.glob("*.json")))
    assert 3 <= done_before < 6
    assert not list(out.glob(".*.part"))  # no half-written output survives

    res = layoutkit("run", str(tmp_path / "in"), "-o", str(out), "--resume")
    assert res.returncode == 0
    assert f"{done_before} already done" in res.stderr
    assert f"{6 - done_before} page(s)" in res.stderr
    assert _outputs(out) == _outputs(reference)


@pytest.mark.slow
def test_two_workers_and_dask_cluster_match_local_run(tmp_path: Path, small_page: np.ndarray):
    _inputs(tmp_path / "in", small_page, 4)
    runs = {"local": ["-j", "1"], "jobs2": ["-j", "2"], "dask": ["--executor", "dask", "-j", "2"]}
    outputs = {}
    for name, extra in runs.items():
        res = layoutkit("run", str(tmp_path / "in"), "-o", str(tmp_path / name), "-q",
                        "--mets", str(tmp_path / name / "issue.mets.xml"), *extra)
        assert res.returncode == 0, res.stderr
        outputs[name] = _outputs(tmp_path / name)
    assert len(outputs["local"]) == 4 * 3 + 1
    assert outputs["jobs2"] == outputs["local"]
    assert outputs["dask"] == outputs["local"]


def test_page_time_limit(tmp_path: Path, small_page: np.ndarray):
    cv2.imwrite(str(tmp_path / "p.png"), small_page)
    res = layoutkit("run", str(tmp_path / "p.png"), "-o", str(tmp_path / "o"), "--page-timeout", "0.01", "-q")
    assert res.returncode == 1 and "longer than the limit" in res.stderr
    assert json.loads((tmp_path / "o" / "errors.jsonl").read_text())["stage"] == "timeout"


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_stops_workers_and_leaves_no_partial_file(tmp_path: Path, small_page: np.ndarray):
    _inputs(tmp_path / "in", small_page, 8)
    out = tmp_path / "out"
    # The run gets Ctrl-C's default disposition whatever this process inherited: ignoring SIGINT
    # survives exec, and a test runner started in the background (or a library earlier in the
    # session) can leave it ignored, so the run would never see the interrupt.
    proc = subprocess.Popen([sys.executable, "-m", "layoutkit", "run", str(tmp_path / "in"), "-o", str(out), "-q",
                             "-j", "2"], env=ENV, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 300
    while time.time() < deadline and not list(out.glob("*.alto.xml")):
        time.sleep(0.05)
    children = [int(x) for x in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True,
                                                check=False).stdout.split()]
    assert len(children) >= 2  # the two workers
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "interrupted" in err
    time.sleep(0.5)
    alive = [pid for pid in children if _running(pid)]
    assert not alive, "orphaned workers"
    assert not list(out.rglob("*.part"))
    finished = {p.name[: -len(".json")] for p in (out / ".layoutkit").glob("*.json")}
    assert finished == {p.name[: -len(".alto.xml")] for p in out.glob("*.alto.xml")}

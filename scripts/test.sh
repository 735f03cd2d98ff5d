#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs the linter and the suite.
# Idempotent: on a machine that already has everything it only runs the checks.
#
# Debian packages (fonts, Tesseract, Chromium) come from apt-get, as root or through sudo. Python
# packages go into the active virtual environment; with none active, into one of the script's own
# in the user's cache folder, never into whatever python3 is first on the PATH. The PaddleOCR
# engine gets an environment of its own there too.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/layoutkit"

need_apt=()
# Fonts of the rendered pages (samples/pagegen finds them through fontconfig): CJK, Antiqua, Fraktur.
for pkg in fonts-noto-cjk fonts-dejavu-core fonts-dejavu-extra fonts-noto-core fonts-freefont-ttf \
           fonts-liberation2 fonts-blankenburg; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# Tesseract and GNU time for the comparison in benchmarks/ (not part of the timed suite).
command -v tesseract >/dev/null || need_apt+=(tesseract-ocr)
for lang in chi-sim chi-sim-vert chi-tra chi-tra-vert frk deu; do
  dpkg -s "tesseract-ocr-$lang" >/dev/null 2>&1 || need_apt+=("tesseract-ocr-$lang")
done
[ -x /usr/bin/time ] || need_apt+=(time)
# Ghostscript for OCRmyPDF's PDF/A (the ocrmypdf extra: --format pdf and the OCRmyPDF plugin).
command -v gs >/dev/null || need_apt+=(ghostscript)
# The viewer's browser tests drive Debian's Chromium through Playwright (no browser download).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Debian's python3 makes virtual environments only with python3-venv.
python3 -c "import ensurepip" 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fontconfig >/dev/null
fi

# An active environment: a virtualenv/venv whose python3 is first on the PATH, or a conda one.
if [ -n "${CONDA_PREFIX:-}" ] || python3 -c "import sys; sys.exit(sys.prefix == sys.base_prefix)"; then
  PY=python3
else
  VENV="${LAYOUTKIT_VENV:-$CACHE/venv}"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "no virtual environment active: making $VENV for the tests" >&2
    python3 -m venv "$VENV"
  fi
  PY="$VENV/bin/python"
fi
# .[ocrmypdf]: the OCRmyPDF plugin and --format pdf (tests/test_ocrmypdf.py, tests/test_searchable.py);
# .[ocrd]: OCR-D core, for the ocrd-layoutkit processor's tests (tests/test_ocrd.py).
"$PY" -m pip install -q --disable-pip-version-check -e ".[test,ocrmypdf,ocrd]"
"$PY" -m ruff check layoutkit tests benchmarks samples
"$PY" -m pytest -q -rs "$@"
PY="$PY" bash scripts/wheel_check.sh

# The PaddleOCR engine in an environment of its own: paddlepaddle pins numpy<2.4 and brings two
# more OpenCV builds, which must not change what the default engine's tests run on.
if [ -z "${LAYOUTKIT_SKIP_PADDLE:-}" ]; then
  PADDLE_VENV="${LAYOUTKIT_PADDLE_VENV:-$CACHE/venv-paddle}"
  [ -x "$PADDLE_VENV/bin/python" ] || python3 -m venv "$PADDLE_VENV"
  "$PADDLE_VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[paddle,test]"
  "$PADDLE_VENV/bin/python" -m pytest -q -rs -p no:cacheprovider tests/test_engines.py -k paddleocr
fi

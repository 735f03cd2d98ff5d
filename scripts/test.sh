#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs the linter and the suite.
# Idempotent: on a machine that already has everything it only runs the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# Fonts of the rendered pages (samples/pagegen finds them through fontconfig): CJK, Antiqua, Fraktur.
for pkg in fonts-noto-cjk fonts-dejavu-core fonts-dejavu-extra fonts-noto-core fonts-freefont-ttf \
           fonts-liberation2 fonts-blankenburg; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# Tesseract and GNU time for the comparison in benchmarks/ (not part of the timed suite).
command -v tesseract >/dev/null || need_apt+=(tesseract-ocr)
for lang in chi-sim chi-sim-vert frk deu; do
  dpkg -s "tesseract-ocr-$lang" >/dev/null 2>&1 || need_apt+=("tesseract-ocr-$lang")
done
[ -x /usr/bin/time ] || need_apt+=(time)
# The viewer's browser tests drive Debian's Chromium through Playwright (no browser download).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fontconfig >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
python3 -m ruff check layoutkit tests benchmarks samples
python3 -m pytest -q -rs "$@"

# The PaddleOCR engine in an environment of its own: paddlepaddle pins numpy<2.4 and brings two
# more OpenCV builds, which must not change what the default engine's tests run on.
if [ -z "${LAYOUTKIT_SKIP_PADDLE:-}" ]; then
  [ -x .venv-paddle/bin/python ] || python3 -m venv .venv-paddle
  .venv-paddle/bin/python -m pip install -q --disable-pip-version-check -e ".[paddle,test]"
  .venv-paddle/bin/python -m pytest -q -rs -p no:cacheprovider tests/test_engines.py -k paddleocr
fi

#!/usr/bin/env bash
# Installs layoutkit as a user does and runs it: the wheel built from this tree goes into a fresh
# virtual environment outside it, with no source on the path, and must list and verify its models,
# read a sample, and write ALTO that the official ALTO 4.4 schema accepts. scripts/test.sh calls it.
# pip's cache (~/.cache/pip, or PIP_CACHE_DIR) keeps the downloaded and built wheels, so a rerun
# only unpacks them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { echo "wheel check: $* ($SECONDS s)"; }

# Built from a copy of the files git sees (tracked, and untracked but not ignored): a build/ or
# *.egg-info left in this checkout by an earlier build could carry a file into the wheel that the
# package data no longer names.
mkdir "$work/src"
git -C "$root" ls-files -z --cached --others --exclude-standard \
  | tar -C "$root" --null --ignore-failed-read -T - -cf - | tar -C "$work/src" -xf -
"${PY:-python3}" -m build --wheel --outdir "$work/dist" "$work/src" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheels=("$work"/dist/layoutkit-*.whl)
say "built ${wheels[0]##*/}"

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "${wheels[0]}"
say "installed into a fresh virtual environment"

cd "$work"
unset PYTHONPATH
bin="$work/venv/bin"
"$bin/python" - "$work/venv" <<'EOF'
import importlib.metadata
import sys
from pathlib import Path

import layoutkit

venv = Path(sys.argv[1]).resolve()
if not Path(layoutkit.__file__).resolve().is_relative_to(venv):
    sys.exit(f"layoutkit imported from {layoutkit.__file__}, not from the wheel installed in {venv}")
dist = importlib.metadata.distribution("layoutkit")
licences = [f for f in dist.files or [] if f.parts[-2:] == ("licenses", "LICENSE")]
if not licences or dist.metadata["License-Expression"] != "Apache-2.0":
    sys.exit("the wheel carries no LICENSE file or no Apache-2.0 licence expression")
EOF
version="layoutkit $("$bin/python" -c 'import importlib.metadata as m; print(m.version("layoutkit"))')"
[ "$("$bin/layoutkit" --version)" = "$version" ] && [ "$("$bin/python" -m layoutkit --version)" = "$version" ] \
  || { echo "wheel check: --version does not say $version" >&2; exit 1; }
# Installed without the .[ocrd] extra, the OCR-D processor's command names the extra to install.
if "$bin/ocrd-layoutkit" --version >/dev/null 2>"$work/ocrd.err" || ! grep -qF "layoutkit[ocrd]" "$work/ocrd.err"; then
  echo "wheel check: ocrd-layoutkit without OCR-D core does not say to install layoutkit[ocrd]:" >&2
  cat "$work/ocrd.err" >&2; exit 1
fi
"$bin/layoutkit" models
"$bin/layoutkit" run "$root/samples/talbote-2025-11-26.png" -o "$work/out" -q
say "ran $version on a sample"

XML_CATALOG_FILES="$root/schemas/catalog.xml" "$bin/python" - "$root/schemas/alto-4-4.xsd" \
  "$work/out/talbote-2025-11-26.alto.xml" <<'EOF'
import sys

from lxml import etree

schema = etree.XMLSchema(etree.parse(sys.argv[1], etree.XMLParser(no_network=True)))
if not schema.validate(etree.parse(sys.argv[2])):
    sys.exit(f"{sys.argv[2]}: not valid ALTO 4.4: {schema.error_log}")
EOF
say "ALTO valid against the official ALTO 4.4 schema"

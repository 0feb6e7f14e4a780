#!/usr/bin/env bash
# Build the wheel from the checkout (pip fetches whool) and check that it holds
# the addon only: no tools/, Makefile, .ci/, lint configurations...
# Only files tracked by git are packaged. About 10 s.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$out" "$ADDON_DIR"
"$PYTHON" - "$out"/*.whl <<'PY'
import re
import sys
import zipfile

prefix = "odoo/addons/food_order_center/"
names = zipfile.ZipFile(sys.argv[1]).namelist()
files = [n[len(prefix) :] for n in names if n.startswith(prefix)]
others = [n for n in names if not n.startswith(prefix) and ".dist-info/" not in n]
# the addon's folders and files; anything else is a development file
addon = re.compile(
    r"(__manifest__\.py|__init__\.py|README\.(md|rst)|LICENSE"
    r"|(models|views|security|data|demo|wizards|report|controllers|static|i18n"
    r"|tests|migrations|readme)/.+)$"
)
unexpected = others + [f for f in files if not addon.match(f)]
expected = {"__manifest__.py", "__init__.py", "static/description/index.html"}
missing = expected - set(files)
if unexpected or missing:
    sys.exit(
        f"food_order_center: the wheel {sys.argv[1].rsplit('/', 1)[-1]} holds "
        f"{sorted(unexpected)} (not the addon's) and lacks {sorted(missing)}"
    )
print(f"food_order_center: wheel OK ({len(files)} files of the addon)")
PY

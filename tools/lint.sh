#!/usr/bin/env bash
# Linters with the OCA 18.0 configuration (.ruff.toml, .pylintrc): zero findings allowed.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ADDON_DIR"
# .ruff.toml has OCA's `fix = true`: a check must never rewrite the files
"$PYTHON" -m ruff check --no-fix .
"$PYTHON" -m ruff format --check .
# pylint-odoo names the addon after its folder and stops looking for the
# manifest at the folder holding .git: lint a copy named after the addon.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/$ADDON"
tar -cf - --exclude=./.git . | tar -xf - -C "$work/$ADDON"
(cd "$work/$ADDON" && "$PYTHON" -m pylint --rcfile=.pylintrc --disable=unknown-option-value .)
# the wheel holds the addon only (tools/, Makefile, lint configurations left out)
"$ADDON_DIR/tools/check_wheel.sh"

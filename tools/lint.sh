#!/usr/bin/env bash
# Linters with the OCA 18.0 configuration: zero findings allowed.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ADDON_DIR"
"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pylint-odoo reads the addon name from its folder: lint it through a link.
"$PYTHON" -m pylint --rcfile="$ADDON_DIR/.pylintrc" "$(make_addons_path "$work")/$ADDON"

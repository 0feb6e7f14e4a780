#!/usr/bin/env bash
# `make test`: install test dependencies, lint, then install the addon with demo
# data in a throwaway database and run its whole test suite (unit, access and
# browser tests). Fails on any lint finding, failed or erroring test, and on
# any skipped test: a skipped browser tour is not a pass.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

prepare "$ADDON_DIR/test-requirements.txt"
# headless Chromium for the tours; wkhtmltopdf, CJK fonts and pdftotext for
# the shipping documents printed (and read back) in Chinese
install_debian_packages chromium wkhtmltopdf fonts-noto-cjk poppler-utils

echo "food_order_center: lint (ruff, pylint-odoo)"
"$ADDON_DIR/tools/lint.sh"

work=$(mktemp -d)
DB=${TEST_DB:-foc_test_$$}
cleanup() {
    drop_database "$DB" || true
    rm -rf "$work"
}
trap cleanup EXIT

addons=$(odoo_addons_path "$(make_addons_path "$work/addons")")
# shellcheck disable=SC2207
db_args=($(odoo_db_args))
log=$work/test.log
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "food_order_center: installing the addon with demo data in database $DB and running its tests"
set +e
timeout 2400 "$PYTHON" -m odoo -d "$DB" --addons-path "$addons" --data-dir "$work/data" "${db_args[@]}" \
    -i "$ADDON" --load-language zh_CN --test-enable --test-tags "/$ADDON" \
    --http-port "$port" --http-interface 127.0.0.1 --stop-after-init \
    --log-level test --log-handler odoo.tests.stats:INFO >"$log" 2>&1
rc=$?
set -e

# the tests of the modules around the addon must still pass
compat_rc=0
"$ADDON_DIR/tools/compat.sh" || compat_rc=$?

"$PYTHON" "$ADDON_DIR/tools/test_report.py" "$log" "$rc"
exit $compat_rc

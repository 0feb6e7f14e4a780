#!/usr/bin/env bash
# Installing food_order_center must break nothing around it: the tests of
# Odoo's sale_stock and of the OCA modules it builds on (helpdesk_mgmt,
# helpdesk_mgmt_rating, rma, rma_sale) are run in a database where the addon
# is installed, and every one that passes without it must pass.
#   tools/compat.sh            check, in a new database with the addon
#   tools/compat.sh --baseline regenerate tools/compat_baseline.txt from a
#                              database with the dependencies but not the addon
# Both databases are made without demo data: Odoo's and OCA's tests bring
# their own data, and the baseline must compare like with like.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

prepare

work=$(mktemp -d)
own_db=
cleanup() {
    [ -z "$own_db" ] || drop_database "$own_db" || true
    rm -rf "$work"
}
trap cleanup EXIT

addons=$(odoo_addons_path "$(make_addons_path "$work/addons")")
# shellcheck disable=SC2207
db_args=($(odoo_db_args))
odoo=("$PYTHON" -m odoo --addons-path "$addons" "${db_args[@]}" --http-interface 127.0.0.1)
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
deps=$("$PYTHON" -c "import ast; print(','.join(ast.literal_eval(open('$ADDON_DIR/__manifest__.py').read())['depends']))")

# the modules whose tests are run: Odoo's test tags, /<module> for each
tested=sale_stock,helpdesk_mgmt,helpdesk_mgmt_rating,rma,rma_sale
test_tags=/${tested//,/,/}

mode=check
[ "${1:-}" = "--baseline" ] && mode=baseline
data_dir=$work/data
own_db=foc_compat_$$
db=$own_db
modules=$ADDON
[ "$mode" = baseline ] && modules=$deps
echo "food_order_center: installing $modules without demo data in database $db"
SECONDS=0
"${odoo[@]}" -d "$db" --data-dir "$data_dir" -i "$modules" --without-demo all \
    --stop-after-init --log-level warn >"$work/install.log" 2>&1 ||
    { tail -40 "$work/install.log"; exit 1; }
echo "food_order_center: installed in ${SECONDS}s"

echo "food_order_center: running the tests of ${tested//,/, } in database $db"
SECONDS=0
# tools/compat_tests.py: Odoo's runner, with the at_install tests moved after
# the full load (on an installed database Odoo would run them half-loaded)
timeout 1800 "$PYTHON" "$ADDON_DIR/tools/compat_tests.py" "${odoo[@]:3}" -d "$db" --data-dir "$data_dir" --test-enable --test-tags "$test_tags" \
    --http-port "$port" --stop-after-init --log-level test --log-handler odoo.tests.stats:INFO \
    >"$work/compat.log" 2>&1 || true
echo "food_order_center: tests run in ${SECONDS}s"

report=("$PYTHON" "$ADDON_DIR/tools/compat_report.py" "$work/compat.log" "$ADDON_DIR/tools/compat_baseline.txt" --modules "$tested")
if [ "$mode" = baseline ]; then
    "${report[@]}" --write
else
    "${report[@]}"
fi

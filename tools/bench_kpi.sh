#!/usr/bin/env bash
# `make bench-kpi`: speed of the analysis views on a million orders. Installs
# the addon without demo data in a database (BENCH_DB, default a throwaway
# one), fills it with ORDERS order-center orders (default 1,000,000) in bulk
# SQL, then times the reporting queries through the ORM, as a manager, with
# tools/bench_kpi.py (arguments are passed on, e.g. --orders 100000). The
# database is dropped at the end unless KEEP_DB=1. Not part of `make test`.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

prepare

work=$(mktemp -d)
DB=${BENCH_DB:-bench_kpi_$$}
log=$work/odoo.log
cleanup() {
    local rc=$?
    if [ "$rc" != 0 ] && [ -f "$log" ]; then
        echo "food_order_center: bench-kpi failed, end of the Odoo log:" >&2
        tail -n 40 "$log" >&2
    fi
    if [ "${KEEP_DB:-0}" != 1 ]; then
        drop_database "$DB" || true
    else
        echo "food_order_center: database $DB kept (KEEP_DB=1)"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

addons=$(odoo_addons_path "$(make_addons_path "$work/addons")")
# shellcheck disable=SC2207
db_args=($(odoo_db_args))
common=(-d "$DB" --addons-path "$addons" --data-dir "$work/data" "${db_args[@]}" --logfile "$log")

echo "food_order_center: installing the addon without demo data in database $DB"
"$PYTHON" -m odoo "${common[@]}" -i "$ADDON" --without-demo all --stop-after-init ||
    die "installing the addon failed (see the log below)"

"$PYTHON" "$ADDON_DIR/tools/bench_kpi.py" "${common[@]}" -- "$@"

#!/usr/bin/env bash
# `make load`: orders and tracking events from concurrent XML-RPC clients.
# Installs the addon without demo data in a throwaway database, then
# tools/load.py serves it with 1, 2 and then 4 workers in turn on a free
# local port and sends them orders for a bounded time (arguments are passed
# on, e.g. --duration 20 --clients 8 --workers 1,2); finally the database is
# dropped. Not part of `make test`.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

prepare

work=$(mktemp -d)
DB=load_$$
log=$work/odoo.log
pidfile=$work/odoo.pid
cleanup() {
    local rc=$?
    # load.py stops each server; should it have been killed, stop the last one
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        sleep 2
    fi
    if [ "$rc" != 0 ] && [ -f "$log" ]; then
        echo "food_order_center: load failed, end of the Odoo log:" >&2
        tail -n 40 "$log" >&2
    fi
    drop_database "$DB" || true
    rm -rf "$work"
}
trap cleanup EXIT

addons=$(odoo_addons_path "$(make_addons_path "$work/addons")")
# shellcheck disable=SC2207
db_args=($(odoo_db_args))
common=(-d "$DB" --db-filter "^${DB}\$" --addons-path "$addons" --data-dir "$work/data" "${db_args[@]}")

echo "food_order_center: installing the addon without demo data in database $DB"
"$PYTHON" -m odoo "${common[@]}" --logfile "$log" -i "$ADDON" --without-demo all --stop-after-init ||
    die "installing the addon failed (see the log below)"

"$PYTHON" "$ADDON_DIR/tools/load.py" --db "$DB" --server-log "$log" "$@" -- "${common[@]}" --pidfile "$pidfile"

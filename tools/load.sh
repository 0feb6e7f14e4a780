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

pidfile=
stop_servers() {
    # load.py stops each server; should it have been killed, stop the last one
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        sleep 2
    fi
}
throwaway_database load
pidfile=$work/odoo.pid
common=(-d "$DB" "${ODOO_ARGS[@]}")
install_without_demo

"$PYTHON" "$ADDON_DIR/tools/load.py" --db "$DB" --server-log "$log" "$@" -- "${common[@]}" --pidfile "$pidfile"

#!/usr/bin/env bash
# `make faults`: tools/faults.py in a throwaway database (killed worker,
# terminated PostgreSQL connection, two users on one order, concurrent
# confirmations); arguments are passed on, e.g. --batch 200 --rounds 50.
# The database, the server and the temporary folder go at the end, whatever
# happened. Not part of `make test`.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

prepare

pidfile=
stop_servers() {
    # faults.py stops its server: this is for a faults.py that was killed
    [ -z "$pidfile" ] || [ ! -f "$pidfile" ] || kill "$(cat "$pidfile")" 2>/dev/null || true
}
throwaway_database faults
pidfile=$work/odoo.pid
"$PYTHON" "$ADDON_DIR/tools/faults.py" --db "$DB" --server-log "$log" --pidfile "$pidfile" "$@" -- "${ODOO_ARGS[@]}"

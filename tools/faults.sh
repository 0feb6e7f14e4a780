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

work=$(mktemp -d)
DB=faults_$$
pidfile=$work/odoo.pid
finish() {
    # faults.py stops its server: this is for a faults.py that was killed
    [ ! -f "$pidfile" ] || kill "$(cat "$pidfile")" 2>/dev/null || true
    drop_database "$DB" || true
    rm -rf "$work"
}
trap finish EXIT

addons=$(odoo_addons_path "$(make_addons_path "$work/addons")")
# shellcheck disable=SC2207
db_args=($(odoo_db_args))
"$PYTHON" "$ADDON_DIR/tools/faults.py" --db "$DB" --server-log "$work/odoo.log" --pidfile "$pidfile" "$@" -- \
    --db-filter "^${DB}\$" --addons-path "$addons" --data-dir "$work/data" "${db_args[@]}"

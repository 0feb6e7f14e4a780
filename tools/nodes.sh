#!/usr/bin/env bash
# `make nodes`: the queued intake on two Odoo nodes (one database, one filestore).
# Installs the addon without demo data in a throwaway database, then
# tools/nodes.py serves it from two nodes of 2 workers with queue_job as a
# server-wide module, queues one large batch and polls it (arguments are
# passed on, e.g. --orders 100 --queue-size 10); finally the database is
# dropped. Not part of `make test`.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

prepare

work=$(mktemp -d)
DB=nodes_$$
log=$work/odoo.log
cleanup() {
    local rc=$?
    # nodes.py stops the nodes it started
    if [ "$rc" != 0 ] && [ -f "$log" ]; then
        echo "food_order_center: nodes failed, end of the Odoo log:" >&2
        tail -n 40 "$log"* >&2
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

"$PYTHON" "$ADDON_DIR/tools/nodes.py" --db "$DB" --server-log "$log" "$@" -- "${common[@]}"

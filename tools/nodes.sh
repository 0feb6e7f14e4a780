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

throwaway_database nodes
common=(-d "$DB" "${ODOO_ARGS[@]}")
install_without_demo

"$PYTHON" "$ADDON_DIR/tools/nodes.py" --db "$DB" --server-log "$log" "$@" -- "${common[@]}"

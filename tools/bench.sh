#!/usr/bin/env bash
# `make bench`: throughput of the order intake API. Installs the addon without
# demo data in a throwaway database, serves it on a free local port, runs
# tools/bench.py against it (arguments are passed on, e.g. --orders 200),
# then stops the server and drops the database. Not part of `make test`.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

prepare

server_pid=
stop_servers() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
throwaway_database bench
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
common=(-d "$DB" "${ODOO_ARGS[@]}" --http-interface 127.0.0.1 --http-port "$port" --logfile "$log")
install_without_demo

echo "food_order_center: serving $DB on http://127.0.0.1:$port (1 process, no cron)"
"$PYTHON" -m odoo "${common[@]}" --workers 0 --max-cron-threads 0 &
server_pid=$!

url=http://127.0.0.1:$port
for _ in $(seq 120); do
    kill -0 "$server_pid" 2>/dev/null || die "the Odoo server stopped (see the log below)"
    if "$PYTHON" -c 'import sys, xmlrpc.client; xmlrpc.client.ServerProxy(sys.argv[1] + "/xmlrpc/2/common").version()' "$url" 2>/dev/null; then
        break
    fi
    sleep 1
done
"$PYTHON" -c 'import sys, xmlrpc.client; xmlrpc.client.ServerProxy(sys.argv[1] + "/xmlrpc/2/common").version()' "$url" ||
    die "the Odoo server does not answer on $url"

"$PYTHON" "$ADDON_DIR/tools/bench.py" --url "$url" --db "$DB" "$@"

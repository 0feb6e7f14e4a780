#!/usr/bin/env bash
# Fresh-machine test of the set-up (not part of `make test`: it needs the
# network to PyPI and takes minutes). From a clean clone of this repository,
# in a fresh virtual environment that cannot import Odoo, `make run` must set
# up Odoo by itself, create the database and serve; the test waits for the
# server, logs in over XML-RPC and stops it. Then a second `make run`, which
# must skip every set-up step.
#
#   ODOO_REPO=<Odoo 18.0 git repository> ODOO_REF=<branch, tag or commit> tools/test_setup.sh
#
# ODOO_REPO may be a local repository (a path or file:// URL) to avoid the
# download. The clone, its .venv, the Odoo cache and the database are removed
# at the end (KEEP=1 keeps them).
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
ADDON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST_PYTHON=${HOST_PYTHON:-python3}
: "${ODOO_REPO:?set ODOO_REPO to an Odoo 18.0 git repository (a local one avoids the download)}"
ODOO_REF=${ODOO_REF:-18.0}

work=$(mktemp -d)
clone=$work/order-center-checkout
DB=foc_setup_$$
port=$("$HOST_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=

cleanup() {
    [ -z "$server" ] || kill -- -"$server" 2>/dev/null || true
    if [ "${KEEP:-}" != 1 ]; then
        dropdb --if-exists "$DB" 2>/dev/null || true
        rm -rf "$work"
    else
        echo "test_setup: kept $work and database $DB"
    fi
}
trap cleanup EXIT

echo "test_setup: cloning the addon into $clone"
git clone -q "$ADDON_DIR" "$clone"
echo "test_setup: a fresh virtual environment without Odoo"
"$HOST_PYTHON" -m venv "$work/python"
if "$work/python/bin/python" -c 'import odoo' 2>/dev/null; then
    echo "test_setup: the fresh environment imports odoo: nothing to test" >&2
    exit 1
fi

# `make run` in the background (it ends by serving); prints the seconds until
# the server answered and a login over XML-RPC worked
run_once() {
    local label=$1 start elapsed
    start=$(date +%s)
    set -m
    (cd "$clone" && exec env PYTHON="$work/python/bin/python" ODOO_REPO="$ODOO_REPO" \
        ODOO_REF="$ODOO_REF" ODOO_CACHE="$work/cache" DB="$DB" HTTP_PORT="$port" \
        DATA_DIR="$work/data" make run) >"$work/$label.log" 2>&1 &
    server=$!
    set +m
    until curl -fs -o /dev/null "http://127.0.0.1:$port/web/login?db=$DB"; do
        if ! kill -0 "$server" 2>/dev/null; then
            tail -40 "$work/$label.log"
            echo "test_setup: $label: make run stopped before serving" >&2
            exit 1
        fi
        if [ $(($(date +%s) - start)) -gt 3600 ]; then
            echo "test_setup: $label: no answer after an hour" >&2
            exit 1
        fi
        sleep 2
    done
    "$HOST_PYTHON" - "$port" "$DB" <<'PY'
import sys
import xmlrpc.client

port, db = sys.argv[1:3]
common = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common")
assert common.authenticate(db, "admin", "admin", {}), "admin could not log in"
# the demo order center manager sees the demo company's orders
uid = common.authenticate(db, "manager", "manager", {})
assert uid, "the demo user manager could not log in"
models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")
count = models.execute_kw(
    db, uid, "manager", "sale.order", "search_count", [[("intake_channel", "!=", False)]]
)
assert count > 0, "no order-center demo order"
print(f"test_setup: logged in over XML-RPC; the manager sees {count} order-center orders")
PY
    elapsed=$(($(date +%s) - start))
    kill -- -"$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
    echo "test_setup: $label make run: serving after ${elapsed}s"
}

run_once first
[ -x "$clone/.venv/bin/python" ] || {
    echo "test_setup: make run did not create $clone/.venv" >&2
    exit 1
}
run_once second
if grep -q "\[set-up\]" "$work/second.log"; then
    grep "\[set-up\]" "$work/second.log"
    echo "test_setup: the second make run repeated set-up steps" >&2
    exit 1
fi
echo "test_setup: OK"

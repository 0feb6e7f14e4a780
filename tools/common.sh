#!/usr/bin/env bash
# Shared helpers of tools/run.sh and tools/test.sh (sourced, not executed).
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

ADDON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON=food_order_center
PYTHON=${PYTHON:-python3}

die() {
    echo "food_order_center: $*" >&2
    exit 1
}

# shellcheck source=tools/bootstrap.sh
source "$ADDON_DIR/tools/bootstrap.sh"

# Odoo 18.0 Community importable by $PYTHON; set up in the checkout's
# virtual environment when it is not (tools/bootstrap.sh).
check_odoo() {
    ensure_odoo
    export PYTHON
}

# PostgreSQL from the standard PGHOST/PGPORT/PGUSER/PGPASSWORD variables;
# installed and started from Debian when none is configured nor running.
check_postgres() {
    [ "${PGUSER:-$(id -un)}" != "postgres" ] || die "Odoo refuses to connect as the 'postgres' role: set PGUSER to another role."
    ensure_postgres || die "PostgreSQL is not reachable (PGHOST=${PGHOST:-<local socket>} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)}): start it or correct the PG* variables (see README, Troubleshooting)."
}

# Every command: Odoo and PostgreSQL must be there, then the addon's Python
# dependencies (plus any extra requirement files given) are installed.
prepare() {
    check_odoo
    check_postgres
    local files=(-r "$ADDON_DIR/requirements.txt")
    local extra
    for extra in "$@"; do files+=(-r "$extra"); done
    install_python_packages "${files[@]}"
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages, installed only when missing.
install_debian_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing Debian packages ${missing[*]} and no apt-get to install them"
    echo "food_order_center: installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_packages() {
    PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check "$@"
}

# Odoo wants the addon in a folder named after it: the checkout may have any name.
make_addons_path() {
    local dir=$1
    mkdir -p "$dir"
    ln -sfn "$ADDON_DIR" "$dir/$ADDON"
    echo "$dir"
}

# Arguments every odoo command gets: database connection from the PG* variables.
odoo_db_args() {
    local args=()
    [ -n "${PGHOST:-}" ] && args+=(--db_host "$PGHOST")
    [ -n "${PGPORT:-}" ] && args+=(--db_port "$PGPORT")
    [ -n "${PGUSER:-}" ] && args+=(--db_user "$PGUSER")
    [ -n "${PGPASSWORD:-}" ] && args+=(--db_password "$PGPASSWORD")
    echo "${args[@]}"
}

database_exists() {
    "$PYTHON" - "$1" <<'PY'
import sys
import psycopg2
with psycopg2.connect(dbname="postgres") as cnx, cnx.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
    sys.exit(0 if cr.fetchone() else 1)
PY
}

drop_database() {
    "$PYTHON" - "$1" <<'PY'
import sys
import psycopg2
from psycopg2 import sql
cnx = psycopg2.connect(dbname="postgres")
cnx.autocommit = True
with cnx.cursor() as cr:
    cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(sys.argv[1])))
cnx.close()
PY
}

odoo_addons_path() {
    local core
    core=$("$PYTHON" -c 'import os, odoo; print(os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"))')
    if [ -d "$core" ]; then echo "$core,$1"; else echo "$1"; fi
}

# A throwaway database for the measurements (make bench, load, nodes,
# faults): sets work (a temporary folder), DB (PREFIX_<pid>), log and
# ODOO_ARGS (what reaches DB's addons, data folder and server, without -d).
# On exit: the caller's stop_servers, if it defines one, the end of the
# Odoo log if the script failed, then the database and the folder go.
throwaway_database() {
    work=$(mktemp -d)
    DB=${1}_$$
    log=$work/odoo.log
    trap throwaway_cleanup EXIT
    local addons
    addons=$(odoo_addons_path "$(make_addons_path "$work/addons")")
    # shellcheck disable=SC2207
    local db_args=($(odoo_db_args))
    ODOO_ARGS=(--db-filter "^${DB}\$" --addons-path "$addons" --data-dir "$work/data" "${db_args[@]}")
}

throwaway_cleanup() {
    local rc=$?
    if declare -F stop_servers >/dev/null; then
        stop_servers || true
    fi
    if [ "$rc" != 0 ] && compgen -G "$log*" >/dev/null; then
        echo "food_order_center: $(basename "$0" .sh) failed, end of the Odoo log:" >&2
        tail -n 40 "$log"* >&2
    fi
    drop_database "$DB" || true
    rm -rf "$work"
}

# The addon without demo data in the throwaway database.
install_without_demo() {
    echo "food_order_center: installing the addon without demo data in database $DB"
    "$PYTHON" -m odoo -d "$DB" "${ODOO_ARGS[@]}" --logfile "$log" -i "$ADDON" --without-demo all --stop-after-init ||
        die "installing the addon failed (see the log below)"
}

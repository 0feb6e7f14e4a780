#!/usr/bin/env bash
# A fresh machine: bring Odoo 18.0 and PostgreSQL when they are missing
# (sourced by tools/common.sh, not executed). Where Odoo is importable by
# $PYTHON and PostgreSQL answers, nothing here runs.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Where Odoo comes from: the official repository, branch 18.0, unless told
# otherwise (ODOO_SRC: an existing checkout, used as it is).
ODOO_REPO=${ODOO_REPO:-https://github.com/odoo/odoo.git}
ODOO_REF=${ODOO_REF:-18.0}
ODOO_CACHE=${ODOO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/food_order_center}
VENV_DIR=${VENV_DIR:-$ADDON_DIR/.venv}

step() {
    echo "food_order_center: [set-up] $*"
}

odoo_series() {
    "$1" -c 'import odoo.release as r; print(r.series)' 2>/dev/null
}

# Odoo 18.0 importable: by $PYTHON, else by the checkout's virtual
# environment, else set up that environment (Odoo and its requirements).
ensure_odoo() {
    local series
    series=$(odoo_series "$PYTHON") || series=
    if [ -n "$series" ]; then
        [ "$series" = "18.0" ] || die "Odoo $series found, but this addon needs Odoo 18.0 (see README, Prerequisites)."
        return 0
    fi
    if [ -x "$VENV_DIR/bin/python" ] && [ "$(odoo_series "$VENV_DIR/bin/python")" = "18.0" ]; then
        PYTHON=$VENV_DIR/bin/python
        return 0
    fi
    step "Odoo 18.0 is not importable by $PYTHON: setting it up in $VENV_DIR (once; later runs reuse it)"
    check_python_version
    create_venv
    local src
    src=$(odoo_source)
    install_odoo_requirements "$src"
    step "installing Odoo from $src into $VENV_DIR"
    # compat mode: a path entry (.pth), not an import hook, so that the
    # addons of OCA wheels (odoo/addons/... in site-packages) do not hide it
    pip_in_venv install --no-build-isolation --no-deps \
        --config-settings editable_mode=compat -e "$src" ||
        die "pip could not install Odoo from $src (see the messages above)."
    [ "$(odoo_series "$VENV_DIR/bin/python")" = "18.0" ] ||
        die "$src is not Odoo 18.0 (odoo/release.py): set ODOO_REF or ODOO_SRC to an Odoo 18.0 tree."
    PYTHON=$VENV_DIR/bin/python
    step "Odoo 18.0 ready ($PYTHON)"
}

check_python_version() {
    local version
    version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])') ||
        die "$PYTHON does not run: install Python 3.10, 3.11 or 3.12, or set PYTHON."
    case "$version" in
        3.10 | 3.11 | 3.12) ;;
        *) die "Odoo 18.0 runs on Python 3.10 to 3.12; $PYTHON is $version: set PYTHON to one of those." ;;
    esac
}

create_venv() {
    [ -x "$VENV_DIR/bin/python" ] && return 0
    step "creating the virtual environment $VENV_DIR"
    if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
        # Debian splits venv out of Python
        local minor
        minor=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        install_debian_packages "python$minor-venv"
    fi
    "$PYTHON" -m venv "$VENV_DIR" || die "could not create $VENV_DIR with $PYTHON -m venv."
    # old source distributions of Odoo's pinned requirements need
    # setuptools < 70 and are built without build isolation
    pip_in_venv install --upgrade pip "setuptools<70" wheel Cython zope.interface ||
        die "could not install pip, setuptools and wheel in $VENV_DIR (network to PyPI?)."
}

pip_in_venv() {
    PIP_ROOT_USER_ACTION=ignore "$VENV_DIR/bin/python" -m pip --disable-pip-version-check "$@"
}

# Print the Odoo tree to install: ODOO_SRC, or a clone of ODOO_REPO at
# ODOO_REF in the cache (shallow; reused by later clones of the addon).
odoo_source() {
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo/release.py)."
        echo "$ODOO_SRC"
        return 0
    fi
    command -v git >/dev/null || install_debian_packages git
    local name dest
    name=$(printf '%s@%s' "$ODOO_REPO" "$ODOO_REF" | sha1sum | cut -c1-12)
    dest=$ODOO_CACHE/odoo-$name
    if [ -f "$dest/.food_order_center_complete" ]; then
        step "reusing the Odoo source in $dest" >&2
        echo "$dest"
        return 0
    fi
    step "downloading Odoo ($ODOO_REPO, $ODOO_REF, shallow) into $dest" >&2
    rm -rf "$dest"
    mkdir -p "$dest"
    # init + fetch: works for a branch, a tag or a commit
    {
        git -C "$dest" init -q &&
            git -C "$dest" fetch --depth 1 --progress "$ODOO_REPO" "$ODOO_REF" &&
            git -C "$dest" -c advice.detachedHead=false checkout -q FETCH_HEAD
    } >&2 || {
        rm -rf "$dest"
        die "could not fetch $ODOO_REF from $ODOO_REPO: check the network, or set ODOO_REPO/ODOO_REF, or ODOO_SRC to an existing Odoo 18.0 checkout."
    }
    touch "$dest/.food_order_center_complete"
    echo "$dest"
}

# Odoo's requirements.txt with the fixes the Python in use needs.
install_odoo_requirements() {
    local src=$1 req
    req=$(mktemp)
    fix_odoo_requirements "$src/requirements.txt" >"$req"
    step "installing Odoo's Python requirements (a few minutes the first time)"
    if ! pip_in_venv install --no-build-isolation -r "$req"; then
        # a package without a wheel for this Python: build it
        step "a requirement must be built from source: installing compilers and headers"
        install_debian_packages build-essential libpq-dev libxml2-dev libxslt1-dev \
            libjpeg-dev zlib1g-dev libffi-dev libssl-dev
        python_headers_present || install_debian_packages python3-dev
        pip_in_venv install --no-build-isolation -r "$req" || {
            rm -f "$req"
            die "Odoo's requirements did not install (see pip's messages above)."
        }
    fi
    rm -f "$req"
}

python_headers_present() {
    "$VENV_DIR/bin/python" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'
}

fix_odoo_requirements() {
    local file=$1
    if ldap_headers_present; then
        cat "$file"
    else
        # python-ldap has no wheel: it needs the LDAP and SASL headers
        step "python-ldap skipped (no libldap2-dev/libsasl2-dev): Odoo's LDAP login (auth_ldap) is unavailable" >&2
        grep -v '^python-ldap' "$file"
    fi | sed -e 's/^cbor2==5\.4\.2\b/cbor2==5.6.2/'
    # cbor2 5.4.2 does not build on Python 3.11 and later; 5.6.2 does
}

ldap_headers_present() {
    [ -f /usr/include/ldap.h ] && [ -f /usr/include/sasl/sasl.h ]
}

# PostgreSQL: reached through the PG* variables; when none is configured and
# no server answers on the local socket, Debian's PostgreSQL is installed and
# started, with a role for the current user (never 'postgres').
ensure_postgres() {
    postgres_answers && return 0
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
        return 1
    fi
    step "no PostgreSQL server answers: installing and starting Debian's PostgreSQL"
    command -v pg_lsclusters >/dev/null || install_debian_packages postgresql
    start_postgres
    local role
    role=$(id -un)
    [ "$role" != postgres ] || die "run the commands as another user than 'postgres' (Odoo refuses that role)."
    step "creating the PostgreSQL role $role (may create databases)"
    as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres \
        -c "DO \$\$ BEGIN CREATE ROLE \"$role\" LOGIN CREATEDB; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;" ||
        die "could not create the PostgreSQL role $role."
    postgres_answers
}

start_postgres() {
    local cluster
    cluster=$(pg_lsclusters --no-header 2>/dev/null | head -1)
    if [ -z "$cluster" ]; then
        local version
        version=$(ls /usr/lib/postgresql | sort -V | tail -1)
        as_root pg_createcluster "$version" main >/dev/null
        cluster=$(pg_lsclusters --no-header | head -1)
    fi
    # shellcheck disable=SC2086
    set -- $cluster
    as_root pg_ctlcluster "$1" "$2" start 2>/dev/null || true
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -u postgres "$@"
    fi
}

postgres_answers() {
    "$PYTHON" - <<'PY' 2>/dev/null
import sys
import psycopg2
try:
    psycopg2.connect(dbname="postgres", connect_timeout=5).close()
except psycopg2.Error as exc:
    print(str(exc).strip(), file=sys.stderr)
    sys.exit(1)
PY
}

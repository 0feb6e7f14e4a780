#!/usr/bin/env bash
# `make run`: install what the addon needs, create or upgrade the database, serve Odoo.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

DB=${DB:-food_order_center}
HTTP_PORT=${HTTP_PORT:-8069}
DATA_DIR=${DATA_DIR:-$HOME/.local/share/food_order_center}

prepare
# PDF reports (delivery notes, packing lists) with Chinese printed as text
install_debian_packages wkhtmltopdf fonts-noto-cjk

addons=$(odoo_addons_path "$(make_addons_path "$DATA_DIR/addons")")
# shellcheck disable=SC2207
db_args=($(odoo_db_args))
common=(-d "$DB" --db-filter "^${DB}\$" --addons-path "$addons" --data-dir "$DATA_DIR" "${db_args[@]}")

# the addon's files as last installed in $DB: an unchanged addon is not
# upgraded again (a second `make run` serves at once)
stamp=$DATA_DIR/.installed-$DB
version=$(cd "$ADDON_DIR" && find . -path ./.git -prune -o -path ./.venv -prune -o \
    -type f ! -name '*.pyc' -print0 | LC_ALL=C sort -z | xargs -0 sha1sum | sha1sum | cut -c1-40)
if database_exists "$DB"; then
    if [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
        echo "food_order_center: the addon in database $DB is up to date"
    else
        echo "food_order_center: upgrading the addon in database $DB (data kept)"
        "$PYTHON" -m odoo "${common[@]}" -u "$ADDON" --stop-after-init
    fi
else
    echo "food_order_center: creating database $DB with demo data (login admin / admin)"
    "$PYTHON" -m odoo "${common[@]}" -i "$ADDON" --load-language zh_CN --stop-after-init
fi
mkdir -p "$DATA_DIR"
echo "$version" >"$stamp"
echo "food_order_center: serving http://localhost:$HTTP_PORT (admin / admin; demo users: see README)"
exec "$PYTHON" -m odoo "${common[@]}" --http-port "$HTTP_PORT"

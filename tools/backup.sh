#!/usr/bin/env bash
# `make backup` / `make restore`: Odoo's own dump and restore of a database
# and its filestore (see tools/backup.py and the README's Data safety).
#   make backup  [DB=food_order_center] [BACKUP_DIR=$DATA_DIR/backups] [KEEP=7]
#   make restore FILE=archive.zip DB=new_database
# DATA_DIR is the data directory of `make run` (where the filestore is).
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
set -euo pipefail
source "$(dirname "$0")/common.sh"

command=${1:?backup or restore}
DB=${DB:-food_order_center}
DATA_DIR=${DATA_DIR:-$HOME/.local/share/food_order_center}

check_odoo
check_postgres
addons=$(odoo_addons_path "$(make_addons_path "$DATA_DIR/addons")")
# shellcheck disable=SC2207
db_args=($(odoo_db_args))
common=(-d "$DB" --addons-path "$addons" --data-dir "$DATA_DIR" "${db_args[@]}" --log-level warn)

case $command in
backup)
    database_exists "$DB" || die "no database $DB to back up"
    "$PYTHON" "$ADDON_DIR/tools/backup.py" "${common[@]}" -- backup \
        --dir "${BACKUP_DIR:-$DATA_DIR/backups}" ${KEEP:+--keep "$KEEP"}
    ;;
restore)
    [ -n "${FILE:-}" ] || die "FILE=archive.zip is needed"
    "$PYTHON" "$ADDON_DIR/tools/backup.py" "${common[@]}" -- restore --file "$FILE"
    ;;
*)
    die "unknown command $command (backup or restore)"
    ;;
esac

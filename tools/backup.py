"""Back up an order-center database, or restore one (``make backup``,
``make restore``).

Usage: backup.py ODOO_ARGS... -- backup --dir DIR [--keep N]
       backup.py ODOO_ARGS... -- restore --file ARCHIVE

ODOO_ARGS are the usual odoo options (-d DB, --data-dir for the filestore,
--db_host...). ``backup`` writes Odoo's zip (the database's SQL and its
filestore) to DIR as DB_YYYY-MM-DD_HH-MM-SS.zip (UTC), keeps the N newest
archives of DB there and prints the archive's path as its last line;
``restore`` creates DB from an archive and refuses an existing DB.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import argparse
import importlib
import sys

import odoo
from odoo.tools import config


def main():
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    odoo_args, own_args = argv[:split], argv[split + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup")
    backup.add_argument("--dir", required=True)
    backup.add_argument("--keep", type=int, help="default: the daily job's")
    restore = commands.add_parser("restore")
    restore.add_argument("--file", required=True)
    args = parser.parse_args(own_args)
    config.parse_config(odoo_args)
    odoo.netsvc.init_logger()
    # the addon is found once the addons path is known
    backups = importlib.import_module(
        "odoo.addons.food_order_center.models.food_backup"
    )
    db = config["db_name"]
    if not db:
        parser.error("no database (-d)")
    if args.command == "backup":
        keep = backups.DEFAULT_KEEP if args.keep is None else args.keep
        if keep < 1:
            parser.error("--keep must be at least 1")
        print(backups.backup_database(db, args.dir, keep))
        return 0
    try:
        backups.restore_database(args.file, db)
    except (FileNotFoundError, FileExistsError) as error:
        print(f"food_order_center: {error}", file=sys.stderr)
        return 1
    print(f"food_order_center: database {db} restored from {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Backups of the order center's database (R21): Odoo's own dump (the SQL
of the database and its filestore, with a manifest, in one zip archive, as
the database manager makes them), named with the database and the date and
time, a number of them kept; and the restore of such an archive into a new
database. Used by ``make backup``, ``make restore`` and the daily job."""

import logging
import os
import re
from datetime import datetime, timezone

import odoo
from odoo import api, models
from odoo.service import db as db_service

_logger = logging.getLogger(__name__)

# <database>_<YYYY-MM-DD_HH-MM-SS>.zip, in UTC: sorted by name, by age
STAMP_FORMAT = "%Y-%m-%d_%H-%M-%S"
STAMP_PATTERN = r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}"
DIR_PARAM = "food_order_center.backup_dir"
KEEP_PARAM = "food_order_center.backup_keep"
DEFAULT_KEEP = 7


def backup_archives(directory, db_name):
    """The archives of ``db_name`` in ``directory``, oldest first."""
    pattern = re.compile(rf"^{re.escape(db_name)}_{STAMP_PATTERN}\.zip$")
    if not os.path.isdir(directory):
        return []
    return sorted(
        os.path.join(directory, name)
        for name in os.listdir(directory)
        if pattern.match(name)
    )


def prune_backups(directory, db_name, keep):
    """Delete the archives of ``db_name`` but the ``keep`` newest; return the
    paths deleted."""
    archives = backup_archives(directory, db_name)
    old = archives[: max(len(archives) - keep, 0)]
    for path in old:
        os.remove(path)
        _logger.info("Backup %s deleted (%d kept)", path, keep)
    return old


def backup_database(db_name, directory, keep):
    """Dump ``db_name`` (its data and its filestore, Odoo's zip) into
    ``directory``, keep the ``keep`` newest archives of that database, and
    return the path of the new one. The archive is written under a
    temporary name and renamed once complete: an interrupted backup never
    looks like one."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime(STAMP_FORMAT)
    path = os.path.join(directory, f"{db_name}_{stamp}.zip")
    if os.path.exists(path):
        raise FileExistsError(path)
    partial = f"{path}.partial"
    try:
        with open(partial, "wb") as stream:
            db_service.dump_db(db_name, stream, "zip")
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    _logger.info("Backup of %s written to %s", db_name, path)
    prune_backups(directory, db_name, keep)
    return path


def restore_database(path, db_name):
    """Restore the archive at ``path`` into a new database ``db_name``
    (never over an existing one), with its filestore."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no backup at {path}")
    if db_service.exp_db_exist(db_name):
        raise FileExistsError(
            f"database {db_name} exists: a backup is restored into a new "
            "database only (drop it first, or choose another name)"
        )
    db_service.restore_db(db_name, path)
    odoo.sql_db.close_db(db_name)


class FoodBackup(models.AbstractModel):
    """The daily backup job, set in Settings (technical settings of the
    administrator): the directory, and how many archives to keep."""

    _name = "food.backup"
    _description = "Order Center: database backups"

    @api.model
    def _cron_backup(self):
        params = self.env["ir.config_parameter"].sudo()
        directory = params.get_param(DIR_PARAM)
        if not directory:
            return False
        keep = int(params.get_param(KEEP_PARAM) or DEFAULT_KEEP)
        return backup_database(self.env.cr.dbname, directory, max(keep, 1))

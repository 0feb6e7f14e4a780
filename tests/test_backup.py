# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Backups (R21): a restore drill (back up the database, restore it into a
new one, and compare orders, lines, exceptions, cases, attachments and the
chatter's history, counts and checksums, and the attachments' files);
retention; the daily job as set in Settings, which only the administrator
sets; ``make backup`` and ``make restore`` on the command line."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import odoo
from odoo.exceptions import AccessError, ValidationError
from odoo.service import db as db_service
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, config

from ..models.food_backup import (
    DIR_PARAM,
    KEEP_PARAM,
    backup_archives,
    prune_backups,
    restore_database,
)

TOOL = Path(__file__).resolve().parents[1] / "tools" / "backup.py"
# what the drill compares: the order center's records and their history
TABLES = (
    "sale_order",
    "sale_order_line",
    "food_order_exception",
    "helpdesk_ticket",
    "rma",
    "ir_attachment",
    "mail_message",
    "mail_tracking_value",
    "stock_picking",
    "food_audit_log",
    "food_audit_log_line",
)


def snapshot(db_name):
    """Per table, the number of rows and a checksum of all of them (in id
    order); per stored attachment, the checksum of its file as read from the
    filestore — of what is committed in ``db_name``."""
    figures = {}
    with closing(odoo.sql_db.db_connect(db_name).cursor()) as cr:
        for table in TABLES:
            cr.execute(
                SQL(
                    "SELECT COUNT(*), md5(string_agg(t::text, '|' ORDER BY t.id)) "
                    "FROM %s t",
                    SQL.identifier(table),
                )
            )
            figures[table] = cr.fetchone()
        cr.execute(
            "SELECT id, store_fname FROM ir_attachment "
            "WHERE store_fname IS NOT NULL ORDER BY id"
        )
        stored = cr.fetchall()
    filestore = config.filestore(db_name)
    files = {}
    for attachment_id, store_fname in stored:
        path = os.path.join(filestore, store_fname)
        with open(path, "rb") as stream:
            files[attachment_id] = hashlib.sha1(stream.read()).hexdigest()
    figures["files"] = files
    return figures


def odoo_args(db_name):
    args = [
        "-d",
        db_name,
        f"--addons-path={config['addons_path']}",
        f"--data-dir={config['data_dir']}",
        "--log-level=warn",
    ]
    for option in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(option):
            args.append(f"--{option}={config[option]}")
    return args


@tagged("post_install", "-at_install")
class TestBackup(TransactionCase):
    def setUp(self):
        super().setUp()
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = directory.name
        self.db = self.env.cr.dbname

    def _tool(self, db_name, *args):
        """tools/backup.py, as ``make backup`` and ``make restore`` run it:
        in a process of its own (a restore loads the new database)."""
        return subprocess.run(
            [sys.executable, str(TOOL), *odoo_args(db_name), "--", *args],
            capture_output=True,
            text=True,
            check=False,
        )

    def _drop_later(self, db_name):
        """Drop ``db_name`` and its filestore after the test (Odoo's own
        drop only sees the database under test when one is given)."""

        def drop():
            with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
                cr._cnx.autocommit = True
                cr.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid != pg_backend_pid()",
                    [db_name],
                )
                cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(db_name)))
            shutil.rmtree(config.filestore(db_name), ignore_errors=True)

        self.addCleanup(drop)

    def test_restore_drill(self):
        """Back up with ``make backup``, restore into a new database with
        ``make restore``, and compare."""
        backup = self._tool(self.db, "backup", "--dir", self.directory, "--keep", "2")
        self.assertEqual(backup.returncode, 0, backup.stderr)
        # the archive's path is the last line
        path = backup.stdout.strip().splitlines()[-1]
        self.assertEqual(backup_archives(self.directory, self.db), [path])
        restored = f"{self.db}_drill"
        self._drop_later(restored)
        restore = self._tool(restored, "restore", "--file", path)
        self.assertEqual(restore.returncode, 0, restore.stderr)
        source, copy = snapshot(self.db), snapshot(restored)
        # the drill compares something: the demo orders, their lines,
        # exceptions, cases, returns, files and history
        for table in TABLES:
            self.assertGreater(source[table][0], 0, table)
        self.assertTrue(source["files"])
        for table in TABLES:
            with self.subTest(table=table):
                self.assertEqual(copy[table], source[table])
        self.assertEqual(copy["files"], source["files"])
        # never over an existing database, nor from a missing archive
        refused = self._tool(restored, "restore", "--file", path)
        self.assertEqual(refused.returncode, 1)
        self.assertIn(f"database {restored} exists", refused.stderr)
        with self.assertRaises(FileExistsError):
            restore_database(path, self.db)
        with self.assertRaises(FileNotFoundError):
            restore_database(f"{path}.missing", f"{self.db}_none")
        self.assertFalse(db_service.exp_db_exist(f"{self.db}_none"))

    def test_retention(self):
        old = [
            os.path.join(self.directory, f"{self.db}_2026-01-0{day}_03-00-00.zip")
            for day in (1, 2, 3)
        ]
        other = os.path.join(self.directory, "other_db_2026-01-01_03-00-00.zip")
        partial = os.path.join(
            self.directory, f"{self.db}_2026-01-04_03-00-00.zip.partial"
        )
        for name in (*old, other, partial):
            Path(name).touch()
        self.assertEqual(backup_archives(self.directory, self.db), old)
        self.assertEqual(prune_backups(self.directory, self.db, 2), old[:1])
        self.assertEqual(backup_archives(self.directory, self.db), old[1:])
        # another database's archives and unfinished files are not counted
        self.assertTrue(os.path.exists(other))
        self.assertTrue(os.path.exists(partial))

    def test_daily_job_as_set_in_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        job = self.env["food.backup"]
        # no directory: no backup
        params.set_param(DIR_PARAM, "")
        self.assertFalse(job._cron_backup())
        older = os.path.join(self.directory, f"{self.db}_2026-01-01_03-00-00.zip")
        Path(older).touch()
        settings = self.env["res.config.settings"].create(
            {"food_backup_dir": self.directory, "food_backup_keep": 1}
        )
        settings.execute()
        self.assertEqual(params.get_param(DIR_PARAM), self.directory)
        self.assertEqual(params.get_param(KEEP_PARAM), "1")
        path = job._cron_backup()
        self.assertEqual(backup_archives(self.directory, self.db), [path])
        self.assertFalse(os.path.exists(older))
        # a relative directory, or nothing kept, is refused
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"food_backup_dir": "backups"}
            ).execute()
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"food_backup_keep": 0})

    def test_only_the_administrator_sets_backups(self):
        manager = new_test_user(
            self.env,
            login="foc_backup_manager",
            groups="base.group_user,food_order_center.group_order_center_manager",
        )
        Settings = self.env["res.config.settings"].with_user(manager)
        with self.assertRaises(AccessError):
            Settings.create({"food_backup_dir": "/tmp/elsewhere"})
        # nor through context defaults
        with self.assertRaises(AccessError):
            Settings.with_context(default_food_backup_dir="/tmp/elsewhere").create(
                {}
            ).execute()
        self.assertNotEqual(
            self.env["ir.config_parameter"].sudo().get_param(DIR_PARAM),
            "/tmp/elsewhere",
        )

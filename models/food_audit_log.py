# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Audit trail (R21): who changed what, when, through which channel, from
what to what, on the order center's records.

Entries are written by ``food.audited.mixin`` in SQL, one ``INSERT`` for the
entries and one for their lines per ``create``/``write``/``unlink`` call,
whatever the number of records. Nobody edits or deletes them through the
ORM, not even the superuser; only the retention job removes the entries
older than the retention period (Settings)."""

import threading
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import api, fields, models, tools
from odoo.http import request
from odoo.tools import SQL

RETENTION_PARAM = "food_order_center.audit_retention_days"
# cr.precommit.data keys: the entries noted and not written yet
PENDING_KEY = "food_audit_log.pending"
REGISTERED_KEY = "food_audit_log.registered"
# {(model, record id): its creation entry in PENDING_KEY}
CREATED_KEY = "food_audit_log.created"
# China's E-commerce Law (art. 31): transaction records are kept for at least
# three years after the transaction
DEFAULT_RETENTION_DAYS = 1095

AUDIT_OPERATIONS = [
    ("create", "Created"),
    ("write", "Changed"),
    ("unlink", "Deleted"),
]
AUDIT_CHANNELS = [
    ("web", "Web Client"),
    ("rpc", "External API"),
    ("import", "Import"),
    ("website", "Website or Portal"),
    ("system", "Server or Scheduled Job"),
]
# never audited: the ORM's own bookkeeping and the chatter
SKIPPED_FIELDS = frozenset(
    {
        "create_date",
        "create_uid",
        "write_date",
        "write_uid",
        "access_token",
        "message_main_attachment_id",
    }
)
SKIPPED_PREFIXES = ("message_", "activity_", "website_message", "rating_")


def audit_channel(env):
    """Where the change comes from: an import, the web client, the external
    API (XML-RPC, JSON-RPC), another page of the website or no request at
    all (scheduled jobs, the server's shell, incoming mail)."""
    if env.context.get("import_file"):
        return "import"
    if request:
        path = request.httprequest.path
    else:
        # the RPC dispatcher hides the request from the methods it calls;
        # the thread serving it still knows its URL
        url = getattr(threading.current_thread(), "url", None)
        if not url:
            return "system"
        path = urlsplit(url).path
    if path.startswith(("/xmlrpc", "/jsonrpc", "/json/")):
        return "rpc"
    if path.startswith("/web/"):
        return "web"
    return "website"


class FoodAuditLog(models.Model):
    _name = "food.audit.log"
    _inherit = "food.append.only.mixin"
    _description = "Order Center Audit Trail"
    _order = "id desc"
    _log_access = False
    _rec_name = "res_name"

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", readonly=True, index=True, ondelete="set null"
    )
    model_id = fields.Many2one(
        "ir.model", string="Document Type", readonly=True, ondelete="cascade"
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The order the record belongs to (the order itself, one of its "
        "lines, transfers, exceptions or cases).",
    )
    operation = fields.Selection(AUDIT_OPERATIONS, required=True, readonly=True)
    channel = fields.Selection(
        AUDIT_CHANNELS,
        required=True,
        readonly=True,
        help="Web client, external API (XML-RPC, JSON-RPC), import, website "
        "or portal, or the server itself (scheduled jobs, incoming mail).",
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, ondelete="cascade"
    )
    line_ids = fields.One2many(
        "food.audit.log.line", "log_id", string="Changes", readonly=True
    )

    def init(self):
        # a record's history is looked up by model and id
        tools.create_index(
            self.env.cr,
            "food_audit_log_res_model_res_id_index",
            self._table,
            ["res_model", "res_id"],
        )

    # ------------------------------------------------------------------
    # Writing entries (food.audited.mixin)
    # ------------------------------------------------------------------

    @api.model
    def _food_pending_creations(self, records):
        """The records of ``records`` whose creation entry is noted and not
        written yet, by the current user through the current channel: the
        changes made to them before the commit belong to that entry."""
        created = self.env.cr.precommit.data.get(CREATED_KEY)
        if not created:
            return records.browse()
        uid, channel = self.env.uid, audit_channel(self.env)
        return records.filtered(
            lambda r: (
                (entry := created.get((r._name, r.id)))
                and entry[0][1] == uid
                and entry[0][8] == channel
            )
        )

    @api.model
    def _food_note_entries(self, records, operation, changes):
        """Note one entry per record of ``records`` (a recordset of one
        model) with its ``changes`` ({record id: [(field name, old text,
        new text)]}); records without changes get none, except on create and
        unlink. The entries are written together before the transaction
        commits or the trail is read, whichever comes first: the ORM too
        writes its changes in batches, not one call at a time.

        A record created in the transaction, by the same user through the
        same channel, has one entry: its changes before the commit (the
        order center's checks of a new order) update the values of its
        creation entry, which holds the values it was committed with."""
        if operation == "write":
            records = records.filtered(lambda r: changes.get(r.id))
            created = self._food_pending_creations(records)
            self._food_merge_into_creations(created, changes)
            records -= created
        if not records:
            return
        env = self.env
        data = env.cr.precommit.data
        pending = data.setdefault(PENDING_KEY, [])
        if not data.get(REGISTERED_KEY):
            data[REGISTERED_KEY] = True
            env.cr.precommit.add(self.sudo()._food_write_pending)
        model_id = env["ir.model"]._get_id(records._name)
        field_ids = env["ir.model.fields"]._get_ids(records._name)
        date = fields.Datetime.now()
        channel = audit_channel(env)
        created = data.setdefault(CREATED_KEY, {})
        for record in records:
            entry = (
                (
                    date,
                    env.uid,
                    model_id,
                    records._name,
                    record.id,
                    (record.display_name or "")[:255],
                    record._food_audit_order().id or None,
                    operation,
                    channel,
                    record._food_audit_company().id or None,
                ),
                [
                    (field_ids.get(name), name, old or None, new or None)
                    for name, old, new in changes.get(record.id, ())
                ],
            )
            pending.append(entry)
            if operation == "create":
                created[(records._name, record.id)] = entry

    @api.model
    def _food_merge_into_creations(self, records, changes):
        """Give the creation entries of ``records`` the new values of
        ``changes``: a value emptied leaves the entry, as on creation."""
        if not records:
            return
        field_ids = self.env["ir.model.fields"]._get_ids(records._name)
        created = self.env.cr.precommit.data[CREATED_KEY]
        for record in records:
            lines = created[(record._name, record.id)][1]
            values = {line[1]: line for line in lines}
            for name, _old, new in changes[record.id]:
                if new:
                    values[name] = (field_ids.get(name), name, None, new)
                else:
                    values.pop(name, None)
            lines[:] = [values[name] for name in sorted(values)]

    @api.model
    def _food_write_pending(self):
        """Write the entries noted: two INSERTs, whatever their number."""
        data = self.env.cr.precommit.data
        # entries noted from now on (by other pre-commit hooks) come again
        data.pop(REGISTERED_KEY, None)
        data.pop(CREATED_KEY, None)
        pending = data.pop(PENDING_KEY, None)
        if not pending:
            return
        cr = self.env.cr
        # what a savepoint rolled back (a batch that fell back to one order
        # at a time, a refused deletion) did not happen: its entries go
        existing = {}
        for model in {entry[3] for entry, _lines in pending} | {"sale.order"}:
            ids = {entry[4] for entry, _lines in pending if entry[3] == model}
            if model == "sale.order":
                ids |= {entry[6] for entry, _lines in pending if entry[6]}
            if not ids:
                continue
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id = ANY(%s)",
                    SQL.identifier(self.env[model]._table),
                    sorted(ids),
                )
            )
            existing[model] = {row[0] for row in cr.fetchall()}
        deleted = {
            (entry[3], entry[4]) for entry, _lines in pending if entry[7] == "unlink"
        }

        def happened(entry):
            key = (entry[3], entry[4])
            if entry[7] == "unlink":
                return entry[4] not in existing[entry[3]]
            # created or changed: it exists, or was deleted since
            return entry[4] in existing[entry[3]] or key in deleted

        pending = [(entry, lines) for entry, lines in pending if happened(entry)]
        if not pending:
            return
        orders = existing.get("sale.order", set())
        cr.execute(
            SQL(
                """INSERT INTO food_audit_log (date, user_id, model_id, res_model,
                       res_id, res_name, order_id, operation, channel, company_id)
                   VALUES %s RETURNING id""",
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        *entry[:6],
                        # an order deleted since keeps its id in res_id
                        entry[6] if entry[6] in orders else None,
                        *entry[7:],
                    )
                    for entry, _lines in pending
                ),
            )
        )
        log_ids = [row[0] for row in cr.fetchall()]
        lines = [
            SQL("(%s, %s, %s, %s, %s)", log_id, *line)
            for log_id, (_entry, entry_lines) in zip(log_ids, pending, strict=True)
            for line in entry_lines
        ]
        if lines:
            cr.execute(
                SQL(
                    """INSERT INTO food_audit_log_line (log_id, field_id,
                           field_name, old_value, new_value)
                       VALUES %s""",
                    SQL(", ").join(lines),
                )
            )
        # what the cache may know of the trail is stale
        self.invalidate_model()
        self.env["food.audit.log.line"].invalidate_model()

    @api.model
    def _search(self, domain, *args, **kwargs):
        # the entries noted are written before the trail is searched (lists,
        # counts, groups, the entries of an order)
        self.sudo()._food_write_pending()
        return super()._search(domain, *args, **kwargs)

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    @api.model
    def _food_retention_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM) or ""
        try:
            days = int(value)
        except ValueError:
            days = DEFAULT_RETENTION_DAYS
        return days if days > 0 else DEFAULT_RETENTION_DAYS

    @api.model
    def _cron_food_audit_retention(self):
        """Delete the entries older than the retention period (their lines
        go with them): the only way entries leave the trail."""
        self._food_write_pending()
        limit = fields.Datetime.now() - timedelta(days=self._food_retention_days())
        self.env.cr.execute(SQL("DELETE FROM food_audit_log WHERE date < %s", limit))
        self.invalidate_model()
        self.env["food.audit.log.line"].invalidate_model()
        return self.env.cr.rowcount


class FoodAuditLogLine(models.Model):
    _name = "food.audit.log.line"
    _inherit = "food.append.only.mixin"
    _description = "Order Center Audit Trail: a changed field"
    _order = "log_id desc, id"
    _log_access = False
    _rec_name = "field_name"

    log_id = fields.Many2one(
        "food.audit.log",
        string="Entry",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    field_id = fields.Many2one("ir.model.fields", readonly=True, ondelete="set null")
    field_name = fields.Char(string="Technical Name", required=True, readonly=True)
    old_value = fields.Text(string="Before", readonly=True)
    new_value = fields.Text(string="After", readonly=True)

    @api.model
    def _search(self, domain, *args, **kwargs):
        self.env["food.audit.log"].sudo()._food_write_pending()
        return super()._search(domain, *args, **kwargs)

    # what the lists of changes show of their entry
    date = fields.Datetime(related="log_id.date")
    user_id = fields.Many2one(related="log_id.user_id")
    res_name = fields.Char(related="log_id.res_name")

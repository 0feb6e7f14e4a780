# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Audit trail (R21): who changed what, when, from where, from what to
what; nobody edits it; the retention job alone removes entries."""

from datetime import timedelta
from xmlrpc.client import Fault

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from ..models.food_audit_log import DEFAULT_RETENTION_DAYS, RETENTION_PARAM
from .common import OrderCenterCommon, create_role_users, execute_kw


def entries(env, record, operation=None):
    domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
    if operation:
        domain.append(("operation", "=", operation))
    return env["food.audit.log"].sudo().search(domain)


def entries_of_field(env, record, field_name):
    """The entries of ``record`` that change ``field_name``."""
    return entries(env, record, "write").filtered(
        lambda e: field_name in e.line_ids.mapped("field_name")
    )


def end_request(env):
    """What the end of a request does before its commit: the pending
    entries are written (a record created and changed within one request
    has one entry, see test_changes_before_the_commit_join_the_creation)."""
    env.cr.flush()


def changes(entry):
    return {
        line.field_name: (line.old_value or "", line.new_value or "")
        for line in entry.line_ids
    }


@tagged("post_install", "-at_install")
class TestAuditTrail(OrderCenterCommon):
    def test_order_change_kept_with_before_and_after(self):
        order = self._create_order(intake_channel="phone", urgency="normal")
        created = entries(self.env, order, "create")
        self.assertEqual(len(created), 1)
        self.assertEqual(created.order_id, order)
        self.assertEqual(created.user_id, self.env.user)
        self.assertEqual(created.channel, "system")
        self.assertEqual(created.company_id, order.company_id)
        self.assertEqual(changes(created)["partner_id"], ("", "上海测试餐厅"))
        line_entries = self.env["food.audit.log"].search(
            [
                ("res_model", "=", "sale.order.line"),
                ("order_id", "=", order.id),
                ("operation", "=", "create"),
            ]
        )
        self.assertEqual(len(line_entries), 2, "each line created has its entry")

        written_before = entries(self.env, order, "write")
        order.with_user(self.manager).write({"urgency": "urgent", "note": "快"})
        changed = entries(self.env, order, "write") - written_before
        self.assertEqual(len(changed), 1)
        self.assertEqual(changed.user_id, self.manager)
        self.assertEqual(
            changes(changed)["urgency"],
            (
                dict(order._fields["urgency"]._description_selection(self.env))[
                    "normal"
                ],
                dict(order._fields["urgency"]._description_selection(self.env))[
                    "urgent"
                ],
            ),
        )
        self.assertIn("note", changes(changed))

        # writing the same value again changes nothing: no entry
        order.with_user(self.manager).write({"urgency": "urgent"})
        self.assertEqual(entries(self.env, order, "write") - written_before, changed)

    def test_changes_before_the_commit_join_the_creation(self):
        """A record created and changed in one transaction (an order and
        the values its checks set) has one entry: the values it was
        committed with. Changed after, or by another user, an entry each."""
        order = self._create_order(intake_channel="phone", urgency="normal")
        line = order.order_line[0]
        line.product_uom_qty = 7
        order.urgency = "urgent"
        order.with_user(self.manager).client_order_ref = "PO-7"
        created = entries(self.env, order, "create")
        self.assertEqual(len(created), 1)
        urgent = dict(order._fields["urgency"]._description_selection(self.env))
        self.assertEqual(changes(created)["urgency"], ("", urgent["urgent"]))
        # what the stock check set (it ran with the creation, and again
        # when the line changed)
        stock = dict(order._fields["stock_status"]._description_selection(self.env))
        self.assertTrue(order.stock_status)
        self.assertEqual(
            changes(created)["stock_status"], ("", stock[order.stock_status])
        )
        self.assertNotIn("client_order_ref", changes(created))
        written = entries(self.env, order, "write")
        self.assertEqual(written.user_id, self.manager)
        self.assertEqual(changes(written), {"client_order_ref": ("", "PO-7")})
        line_entries = entries(self.env, line)
        self.assertEqual(line_entries.mapped("operation"), ["create"])
        self.assertEqual(changes(line_entries)["product_uom_qty"], ("", "7.0"))
        # the trail was read: what comes next is a change of its own
        order.urgency = "normal"
        self.assertEqual(
            changes(entries(self.env, order, "write") - written)["urgency"],
            (urgent["urgent"], urgent["normal"]),
        )

    def test_line_quantity_and_deletion(self):
        order = self._create_order(intake_channel="phone")
        end_request(self.env)
        line = order.order_line[0]
        line.product_uom_qty = 7
        entry = entries_of_field(self.env, line, "product_uom_qty")
        self.assertEqual(changes(entry)["product_uom_qty"], ("2.0", "7.0"))
        self.assertEqual(entry.order_id, order)
        line_id = line.id
        line.unlink()
        deleted = self.env["food.audit.log"].search(
            [
                ("res_model", "=", "sale.order.line"),
                ("res_id", "=", line_id),
                ("operation", "=", "unlink"),
            ]
        )
        self.assertEqual(len(deleted), 1)
        self.assertEqual(changes(deleted)["product_uom_qty"], ("7.0", ""))
        self.assertEqual(deleted.order_id, order, "the order keeps its history")

    def test_shipping_data_exceptions_and_rules(self):
        order = self._create_order(intake_channel="other")
        order.action_confirm()
        end_request(self.env)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "SF1234567890"
        entry = entries_of_field(self.env, picking, "carrier_tracking_ref")
        self.assertEqual(changes(entry)["carrier_tracking_ref"], ("", "SF1234567890"))
        self.assertEqual(entry.order_id, order)
        # the transfer's warehouse bookkeeping is not shipping data
        picking.origin = "elsewhere"
        self.assertFalse(entries_of_field(self.env, picking, "origin"))

        exception = self.env["food.order.exception"].create(
            {"order_id": order.id, "exception_type": "quality", "reason": "x"}
        )
        self.assertEqual(entries(self.env, exception, "create").order_id, order)

        rule = self.env["food.assignment.rule"].create({"name": "Urgent first"})
        end_request(self.env)
        rule.sequence = 99
        self.assertTrue(entries(self.env, rule, "write"))

    def test_settings_changes(self):
        settings = self.env["res.config.settings"].create(
            {"food_price_tolerance": 7.5, "food_audit_retention_days": 400}
        )
        settings.execute()
        company_entry = entries(self.env, self.env.company, "write")
        self.assertIn("food_price_tolerance", changes(company_entry[:1]))
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .search([("key", "=", RETENTION_PARAM)])
        )
        self.assertEqual(changes(entries(self.env, param)[:1])["value"][1], "400")
        # other modules' parameters are not the order center's business
        self.env["ir.config_parameter"].sudo().set_param("foc.elsewhere", "1")
        other = (
            self.env["ir.config_parameter"]
            .sudo()
            .search([("key", "=", "foc.elsewhere")])
        )
        self.assertFalse(entries(self.env, other))

        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"food_audit_retention_days": 0})

    def test_import_is_told_apart(self):
        order = self._create_order(intake_channel="phone")
        result = (
            self.env["sale.order"]
            .with_context(import_file=True)
            .load([".id", "client_order_ref"], [[str(order.id), "PO-IMPORTED"]])
        )
        self.assertFalse(result["messages"], result["messages"])
        changed = entries(self.env, order, "write").filtered(
            lambda e: "client_order_ref" in changes(e)
        )
        self.assertEqual(changed.channel, "import")
        self.assertEqual(changes(changed)["client_order_ref"], ("", "PO-IMPORTED"))

    def test_what_a_savepoint_rolled_back_is_not_kept(self):
        order = self._create_order(intake_channel="phone")
        line = order.order_line[0]
        with self.assertRaises(ZeroDivisionError):
            with self.env.cr.savepoint():
                ghost = self._create_order(intake_channel="phone")
                line.product_uom_qty = 9
                order.order_line[1].unlink()
                raise ZeroDivisionError
        self.assertFalse(entries(self.env, ghost), "an order never created")
        self.assertFalse(entries_of_field(self.env, line, "product_uom_qty"))
        self.assertFalse(entries(self.env, order.order_line[1], "unlink"))
        # what happened after is kept
        line.product_uom_qty = 5
        self.assertEqual(
            changes(entries_of_field(self.env, line, "product_uom_qty")),
            {"product_uom_qty": ("2.0", "5.0")},
        )

    def test_nobody_edits_the_trail(self):
        order = self._create_order(intake_channel="phone")
        entry = entries(self.env, order, "create")
        for env in (self.env, self.env(user=self.manager), self.env(su=True)):
            trail = env["food.audit.log"]
            with self.assertRaises(AccessError):
                trail.browse(entry.id).write({"res_name": "forged"})
            with self.assertRaises(AccessError):
                trail.browse(entry.id).unlink()
            with self.assertRaises(AccessError):
                trail.create({"res_model": "sale.order", "res_id": 1})
            with self.assertRaises(AccessError):
                entry.line_ids[:1].with_env(env).unlink()
        self.assertTrue(entry.exists())
        # the managers read it; the other roles do not
        self.assertEqual(
            self.env["food.audit.log"]
            .with_user(self.manager)
            .search_count([("order_id", "=", order.id)]),
            len(self.env["food.audit.log"].search([("order_id", "=", order.id)])),
        )
        for role in ("receiver", "processor", "inventory", "logistics", "aftersales"):
            with self.assertRaises(AccessError, msg=role):
                self.env["food.audit.log"].with_user(self.users[role]).search([])

    def test_retention_job_removes_old_entries_only(self):
        order = self._create_order(intake_channel="phone")
        end_request(self.env)
        order.urgency = "urgent"
        old, recent = entries(self.env, order)[:2]
        self.env.cr.execute(
            "UPDATE food_audit_log SET date = %s WHERE id = %s",
            [
                fields.Datetime.now() - timedelta(days=DEFAULT_RETENTION_DAYS + 1),
                old.id,
            ],
        )
        old_lines = old.line_ids.ids
        removed = self.env["food.audit.log"]._cron_food_audit_retention()
        self.assertGreaterEqual(removed, 1)
        self.assertFalse(old.exists())
        self.assertFalse(self.env["food.audit.log.line"].browse(old_lines).exists())
        self.assertTrue(recent.exists())

        # a shorter period set by the administrator applies
        self.env["ir.config_parameter"].sudo().set_param(RETENTION_PARAM, "1")
        self.env.cr.execute(
            "UPDATE food_audit_log SET date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=2), recent.id],
        )
        self.env["food.audit.log"]._cron_food_audit_retention()
        self.assertFalse(recent.exists())

    def test_entries_cost_three_queries_whatever_the_calls(self):
        orders = self.env["sale.order"]
        for _index in range(30):
            orders |= self._create_order(intake_channel="phone")
        self.env.flush_all()

        def count(records):
            before = self.env.cr.sql_log_count
            records._food_write_audit(
                "write", {record.id: [("urgency", "a", "b")] for record in records}
            )
            self.env["food.audit.log"].search([], limit=1)
            return self.env.cr.sql_log_count - before

        count(orders[:1])  # ir.model and ir.model.fields ids get cached
        self.assertEqual(count(orders[:3]), count(orders))
        # the orders that still exist, the entries, their lines; the search
        self.assertLessEqual(count(orders), 4)

        # entries noted one call at a time are written together, when the
        # trail is read (or the transaction commits)
        def stored():
            self.env.cr.execute("SELECT count(*) FROM food_audit_log")
            return self.env.cr.fetchone()[0]

        trail = self.env["food.audit.log"]
        found_before = trail.search_count([("order_id", "in", orders.ids)])
        stored_before = stored()
        for order in orders:
            order._food_write_audit("write", {order.id: [("urgency", "a", "b")]})
        self.assertEqual(stored(), stored_before)
        self.assertEqual(
            trail.search_count([("order_id", "in", orders.ids)]),
            found_before + len(orders),
        )
        self.assertEqual(stored(), stored_before + len(orders))

    def test_order_button_shows_its_history(self):
        order = self._create_order(intake_channel="phone")
        action = order.with_user(self.manager).action_view_food_audit_log()
        self.assertEqual(action["domain"], [("order_id", "=", order.id)])
        found = (
            self.env["food.audit.log"].with_user(self.manager).search(action["domain"])
        )
        self.assertEqual(
            set(found.mapped("res_model")), {"sale.order", "sale.order.line"}
        )
        with Form(found[0].with_user(self.manager)) as form:
            self.assertTrue(form.res_name)


@tagged("post_install", "-at_install")
class TestAuditTrailRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env, "foc_audit", password=True)
        cls.customer = cls.env["res.partner"].create({"name": "苏州测试餐厅"})

    def _call(self, role, model, method, *args, **kwargs):
        return execute_kw(
            self, self.users[role], f"foc_audit_{role}", model, method, *args, **kwargs
        )

    def test_an_order_received_over_rpc_has_one_entry(self):
        """The checks of an order received (verification, stock check) set
        its values within the call: one creation entry per record, with
        those values, told apart as the external API's."""
        self.env["food.sales.platform"].create({"name": "审计平台", "code": "AUDIT"})
        self.env["product.product"].create(
            [
                {
                    "name": name,
                    "default_code": code,
                    "type": "consu",
                    "is_storable": True,
                    "sale_ok": True,
                }
                for name, code in (("水饺", "FOC-AUD-1"), ("汤圆", "FOC-AUD-2"))
            ]
        )
        [result] = self._call(
            "receiver",
            "sale.order",
            "intake_orders",
            [
                {
                    "channel": "online_platform",
                    "platform": "AUDIT",
                    "external_ref": "AUD-1",
                    "customer": {"name": "王芳", "phone": "+86 139 0000 2222"},
                    "lines": [
                        {"product_code": "FOC-AUD-1", "qty": 2},
                        {"product_code": "FOC-AUD-2", "qty": 1},
                    ],
                }
            ],
        )
        self.assertEqual(result["result"], "created", result)
        logs = self._call(
            "manager",
            "food.audit.log",
            "search_read",
            [("order_id", "=", result["order_id"])],
            fields=["res_model", "operation", "channel", "user_id"],
        )
        self.assertEqual(
            sorted((log["res_model"], log["operation"]) for log in logs),
            [
                ("sale.order", "create"),
                ("sale.order.line", "create"),
                ("sale.order.line", "create"),
            ],
        )
        self.assertEqual({log["channel"] for log in logs}, {"rpc"})
        self.assertEqual(
            {log["user_id"][0] for log in logs}, {self.users["receiver"].id}
        )
        values = self._call(
            "manager",
            "food.audit.log.line",
            "search_read",
            [("log_id", "in", [log["id"] for log in logs])],
            fields=["field_name", "old_value"],
        )
        names = {value["field_name"] for value in values}
        # given by the call, and set by the stock check within it
        self.assertTrue({"partner_id", "external_ref", "stock_status"} <= names)
        self.assertFalse(any(value["old_value"] for value in values))

    def test_rpc_changes_are_told_apart_and_the_trail_is_read_only(self):
        order_id = self._call(
            "receiver",
            "sale.order",
            "create",
            {"partner_id": self.customer.id, "intake_channel": "phone"},
        )
        self._call(
            "receiver", "sale.order", "write", [order_id], {"note": "送货前电话"}
        )
        logs = self._call(
            "manager",
            "food.audit.log",
            "search_read",
            [("res_model", "=", "sale.order"), ("res_id", "=", order_id)],
            fields=["operation", "channel", "user_id", "line_ids"],
            order="id",
        )
        # the order center's checks (verification...) wrote the new order in
        # the same call: their values are in its creation entry
        self.assertEqual([log["operation"] for log in logs], ["create", "write"])
        self.assertEqual(
            {log["channel"] for log in logs},
            {"rpc"},
            self._call(
                "manager",
                "food.audit.log.line",
                "search_read",
                [
                    (
                        "log_id",
                        "in",
                        [log["id"] for log in logs if log["channel"] != "rpc"],
                    )
                ],
                fields=["field_name", "old_value", "new_value"],
            ),
        )
        lines = self._call(
            "manager",
            "food.audit.log.line",
            "search_read",
            [
                ("log_id", "in", [log["id"] for log in logs]),
                ("field_name", "=", "note"),
            ],
            fields=["log_id", "old_value", "new_value"],
        )
        self.assertEqual(len(lines), 1)
        note_log = next(log for log in logs if log["id"] == lines[0]["log_id"][0])
        self.assertEqual(note_log["operation"], "write")
        self.assertEqual(note_log["user_id"][0], self.users["receiver"].id)
        self.assertFalse(lines[0]["old_value"])
        self.assertIn("送货前电话", lines[0]["new_value"])

        # nobody changes or deletes it over the wire either
        for method, args in (
            ("write", ([logs[0]["id"]], {"res_name": "forged"})),
            ("unlink", ([logs[0]["id"]],)),
            ("create", ({"res_model": "sale.order", "res_id": order_id},)),
        ):
            with self.assertRaises(Fault) as caught:
                self._call("manager", "food.audit.log", method, *args)
            self.assertEqual(caught.exception.faultCode, 4, method)
        with self.assertRaises(Fault) as caught:
            self._call("receiver", "food.audit.log", "search_read", [])
        self.assertEqual(caught.exception.faultCode, 4)
        self.assertTrue(
            self.env["food.audit.log"].browse(logs[0]["id"]).exists(),
            "the entry is still there",
        )

    def test_order_history_button_per_role(self):
        """Managers open an order's history; for the other roles the button
        is refused with an access error, not an action they cannot read."""
        order_id = self._call(
            "receiver",
            "sale.order",
            "create",
            {"partner_id": self.customer.id, "intake_channel": "phone"},
        )
        action = self._call(
            "manager", "sale.order", "action_view_food_audit_log", [order_id]
        )
        self.assertEqual(action["res_model"], "food.audit.log")
        self.assertEqual(action["domain"], [["order_id", "=", order_id]])
        self.assertTrue(
            self._call("manager", "food.audit.log", "search", action["domain"])
        )
        for role in ("receiver", "processor", "inventory", "logistics", "aftersales"):
            with self.assertRaises(Fault) as caught:
                self._call(role, "sale.order", "action_view_food_audit_log", [order_id])
            self.assertEqual(caught.exception.faultCode, 4, role)

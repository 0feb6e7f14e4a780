# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestOrderCenterStage(OrderCenterCommon):
    def _validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_stage_follows_order_and_delivery(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(order.order_center_stage, "received")
        order.order_line = [
            (0, 0, {"product_id": self.dumplings.id, "product_uom_qty": 2})
        ]
        self.assertEqual(order.order_center_stage, "to_verify")
        order.action_confirm()
        self.assertEqual(order.order_center_stage, "verified")
        order.processor_id = self.processor
        self.assertEqual(order.order_center_stage, "assigned")
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        self.assertEqual(order.order_center_stage, "picking")
        self._validate(picking)
        self.assertEqual(order.order_center_stage, "shipped")
        order._create_invoices()
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.order_center_stage, "closed")

    def test_stage_packed_when_put_in_pack(self):
        order = self._create_order(lines=[(self.dumplings, 2)])
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.action_put_in_pack()
        self.assertTrue(picking.move_line_ids.result_package_id)
        self.assertEqual(order.order_center_stage, "packed")

    def test_stage_multi_step_delivery(self):
        self.warehouse.delivery_steps = "pick_pack_ship"
        order = self._create_order(lines=[(self.noodles, 4)])
        order.action_confirm()
        self.assertEqual(order.order_center_stage, "verified")
        pick = order.picking_ids
        self.assertEqual(pick.picking_type_id, self.warehouse.pick_type_id)
        self._validate(pick)
        # goods are picked, the packing step is still to do
        pack = order.picking_ids - pick
        self.assertEqual(pack.picking_type_id, self.warehouse.pack_type_id)
        self.assertEqual(order.order_center_stage, "picking")
        self._validate(pack)
        ship = order.picking_ids - pick - pack
        self.assertEqual(ship.picking_type_code, "outgoing")
        self.assertEqual(order.order_center_stage, "packed")
        self._validate(ship)
        self.assertEqual(order.order_center_stage, "shipped")

    def test_stage_cancelled(self):
        order = self._create_order()
        order.action_confirm()
        order._action_cancel()
        self.assertEqual(order.order_center_stage, "cancelled")
        self.assertEqual(order.picking_ids.mapped("state"), ["cancel"])

    def test_stage_is_stored_and_searchable(self):
        orders = self._create_order() | self._create_order()
        orders[0].action_confirm()
        found = self.env["sale.order"].search(
            [("id", "in", orders.ids), ("order_center_stage", "=", "verified")]
        )
        self.assertEqual(found, orders[0])
        field = self.env["sale.order"]._fields["order_center_stage"]
        self.assertTrue(field.store and field.index)


@tagged("post_install", "-at_install")
class TestOrderCenterFields(OrderCenterCommon):
    def test_urgent_order_gives_urgent_deliveries(self):
        urgent = self._create_order(urgency="urgent")
        normal = self._create_order()
        (urgent | normal).action_confirm()
        self.assertEqual(urgent.picking_ids.priority, "1")
        self.assertEqual(normal.picking_ids.priority, "0")

    def test_urgent_multi_step_every_transfer_urgent(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._create_order(urgency="urgent")
        order.action_confirm()
        pick = order.picking_ids
        self.assertEqual(pick.priority, "1")
        for move in pick.move_ids:
            move.quantity = move.product_uom_qty
        pick.move_ids.picked = True
        pick.button_validate()
        ship = order.picking_ids - pick
        self.assertEqual(ship.picking_type_code, "outgoing")
        self.assertEqual(ship.priority, "1")

    def test_urgency_change_updates_open_deliveries(self):
        order = self._create_order()
        order.action_confirm()
        order.urgency = "urgent"
        self.assertEqual(order.picking_ids.priority, "1")
        order.urgency = "normal"
        self.assertEqual(order.picking_ids.priority, "0")

    def test_platform_requires_online_channel(self):
        with self.assertRaisesRegex(ValidationError, "Online Platform"):
            self._create_order(platform_id=self.platform.id, intake_channel="phone")
        with self.assertRaisesRegex(ValidationError, "set its sales platform"):
            self._create_order(intake_channel="online_platform")
        with self.assertRaisesRegex(ValidationError, "no sales platform"):
            self._create_order(external_ref="TM-1", intake_channel="email")

    def test_external_ref_unique_per_platform(self):
        vals = {
            "intake_channel": "online_platform",
            "platform_id": self.platform.id,
            "external_ref": "TM-20261129-0001",
        }
        self._create_order(**vals)
        other_platform = self.env["food.sales.platform"].create(
            {"name": "Other Mall", "code": "other_mall"}
        )
        # the same number on another platform is another order
        self._create_order(**dict(vals, platform_id=other_platform.id))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create_order(**vals)
            self.env.flush_all()

    def test_external_ref_not_copied(self):
        order = self._create_order(
            intake_channel="online_platform",
            platform_id=self.platform.id,
            external_ref="TM-COPY",
        )
        self.assertFalse(order.copy().external_ref)

    def test_platform_code_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["food.sales.platform"].create(
                {"name": "Dup", "code": self.platform.code}
            )
            self.env.flush_all()
        other_company = self.env["res.company"].create({"name": "Other food company"})
        self.env["food.sales.platform"].create(
            {"name": "Dup", "code": self.platform.code, "company_id": other_company.id}
        )

    def test_processor_must_have_processor_role(self):
        order = self._create_order()
        with self.assertRaisesRegex(ValidationError, "Order Processor role"):
            order.processor_id = self.users["receiver"]

    def test_platform_order_count_and_action(self):
        orders = self._create_order(
            intake_channel="online_platform",
            platform_id=self.platform.id,
            external_ref="A",
        ) | self._create_order(
            intake_channel="online_platform",
            platform_id=self.platform.id,
            external_ref="B",
        )
        self.assertEqual(self.platform.order_count, 2)
        action = self.platform.action_view_orders()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), orders)

    def test_changes_tracked_in_chatter(self):
        order = self._create_order().with_context(tracking_disable=False)
        # records created in the transaction are only tracked after commit
        self.env.flush_all()
        self.env.cr.precommit.run()
        order.write(
            {
                "urgency": "urgent",
                "is_custom_order": True,
                "custom_requirements": "少盐, 无味精",
                "intake_channel": "email",
            }
        )
        order.processor_id = self.processor
        order.action_confirm()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = order.message_ids.tracking_value_ids.field_id.mapped("name")
        for field in (
            "urgency",
            "is_custom_order",
            "custom_requirements",
            "intake_channel",
            "processor_id",
            "order_center_stage",
        ):
            self.assertIn(field, tracked)

    def test_form_entry_of_special_order(self):
        with Form(self.env["sale.order"].with_user(self.users["receiver"])) as form:
            form.partner_id = self.customer
            form.intake_channel = "online_platform"
            form.platform_id = self.platform
            form.external_ref = "FORM-1"
            form.urgency = "urgent"
            form.is_custom_order = True
            form.custom_requirements = "生日蛋糕, 写 '生日快乐'"
            with form.order_line.new() as line:
                line.product_id = self.dumplings
                line.product_uom_qty = 1
        order = form.record
        self.assertEqual(order.order_center_stage, "verified")
        self.assertEqual(order.platform_id, self.platform)
        self.assertTrue(order.is_custom_order)


@tagged("post_install", "-at_install")
class TestOrderCenterPerformance(OrderCenterCommon):
    def _kanban_read(self, orders):
        spec = {
            name: {}
            for name in (
                "name",
                "amount_total",
                "currency_id",
                "partner_id",
                "urgency",
                "is_custom_order",
                "intake_channel",
                "platform_id",
                "commitment_date",
                "processor_id",
                "order_center_stage",
            )
        }
        self.env.invalidate_all()
        return orders.with_user(self.manager).web_read(spec)

    def test_kanban_read_cost_independent_of_order_count(self):
        few = self._create_order() | self._create_order()
        many = few
        for _i in range(18):
            many |= self._create_order()
        (few | many).action_confirm()
        self._kanban_read(few)  # warm caches (ACLs, rules)
        # the orders' columns in one query, for 2 orders as for 20
        with self.assertQueryCount(1):
            self._kanban_read(few)
        with self.assertQueryCount(1):
            self._kanban_read(many)

    def test_stage_recompute_batched(self):
        """Computing the stage costs the same for 3 or 15 orders."""
        for count in (3, 15):
            orders = self.env["sale.order"]
            for _i in range(count):
                orders |= self._create_order()
            orders.action_confirm()
            self.env.flush_all()
            self.env.invalidate_all()
            field = orders._fields["order_center_stage"]
            self.env.add_to_compute(field, orders)
            # without the flush before, which would compute the stage itself
            with self.assertQueryCount(7, flush=False):
                orders._recompute_recordset(["order_center_stage"])


@tagged("post_install", "-at_install")
class TestAnalyticDistribution(OrderCenterCommon):
    def _order(self):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": self.dumplings.id, "product_uom_qty": 1}),
                    (0, 0, {"product_id": self.dumplings.id, "product_uom_qty": 2}),
                ],
            }
        )

    def test_no_model_no_search_per_line(self):
        models = self.env["account.analytic.distribution.model"]
        models.search([]).unlink()
        searches = []
        origin = type(models)._get_applicable_models

        def count(model, vals):
            searches.append(vals)
            return origin(model, vals)

        with patch.object(type(models), "_get_applicable_models", count):
            order = self._order()
            order.partner_id = self.env["res.partner"].create({"name": "王芳"})
            self.env.flush_all()
        self.assertEqual(searches, [])
        self.assertFalse(any(order.order_line.mapped("analytic_distribution")))

    def test_models_still_apply(self):
        plan = self.env["account.analytic.plan"].create({"name": "Channels"})
        account = self.env["account.analytic.account"].create(
            {"name": "Frozen food", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {
                "product_id": self.dumplings.id,
                "analytic_distribution": {str(account.id): 100},
            }
        )
        order = self._order()
        self.assertEqual(
            order.order_line.mapped("analytic_distribution"),
            [{str(account.id): 100}] * 2,
        )

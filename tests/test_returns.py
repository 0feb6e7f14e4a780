# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Returns and exchanges (R18): policy, quarantine, inspection, remedy."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrderCenterCommon, deliver_order

# a 1x1 PNG: the photo a customer sends
PHOTO = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
)


class ReturnsCommon(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "chef@shanghai-restaurant.example.com"
        cls.customer.lang = "zh_CN" if cls._zh_cn_installed() else "en_US"
        cls.frozen = cls.env["product.category"].create(
            {
                "name": "Frozen food (returns test)",
                "food_return_days": 3,
                "food_perishable": True,
                "food_return_evidence": True,
            }
        )
        cls.dry = cls.env["product.category"].create(
            {"name": "Dry food (returns test)", "food_return_days": 7}
        )
        cls.dumplings.categ_id = cls.frozen
        cls.noodles.categ_id = cls.dry
        cls.supplier = cls.env["res.partner"].create({"name": "Noodle Mill Ltd"})
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.supplier.id,
                "product_tmpl_id": cls.noodles.product_tmpl_id.id,
            }
        )
        cls.order = cls._create_order(intake_channel="other")
        cls.order.with_user(cls.manager).action_confirm_unverified("Returns test")
        cls.delivery = cls._deliver(cls.order)
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    @classmethod
    def _zh_cn_installed(cls):
        return bool(cls.env["res.lang"]._lang_get("zh_CN").active)

    @classmethod
    def _deliver(cls, order):
        return deliver_order(order, cls.manager, cls.users["logistics"])

    def _delivered_days_ago(self, days):
        self.delivery._write_food_trusted(
            {"food_delivered_date": fields.Datetime.now() - timedelta(days=days)}
        )

    def _case(self, case_type="return", lines=None, **vals):
        lines = lines or [(self.noodles, 1)]
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.users["aftersales"])
            .create(
                {
                    "name": "Return request",
                    "description": "<p>The customer sends goods back</p>",
                    "food_case_type": case_type,
                    "food_case_channel": "hotline",
                    "partner_id": self.customer.id,
                    "food_order_id": self.order.id,
                    "food_line_ids": [
                        (0, 0, {"product_id": product.id, "quantity": qty})
                        for product, qty in lines
                    ],
                    **vals,
                }
            )
        )

    def _request_return(self, case):
        action = case.with_user(self.users["aftersales"]).action_food_create_returns()
        return self.env["rma"].browse(action.get("res_id")) or self.env["rma"].search(
            action["domain"]
        )

    def _receive(self, rma):
        """The inventory manager validates the goods arriving from the
        customer (the RMA receipt)."""
        picking = rma.reception_move_id.picking_id.with_user(self.users["inventory"])
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _inspect(self, rma, result, disposition, **vals):
        inspection = rma.food_inspection_ids.with_user(self.users["inventory"])
        inspection.write({"result": result, "disposition": disposition, **vals})
        inspection.action_done()
        return inspection

    def _customer_messages(self, record):
        return record.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and m.message_type == "comment"
        )


@tagged("post_install", "-at_install")
class TestReturns(ReturnsCommon):
    # ------------------------------------------------------------------
    # Request and policy
    # ------------------------------------------------------------------

    def test_return_from_case_uses_the_delivery(self):
        case = self._case()
        rma = self._request_return(case)
        self.assertEqual(len(rma), 1)
        self.assertEqual(rma.food_case_id, case)
        self.assertEqual(rma.order_id, self.order)
        self.assertEqual(rma.picking_id, self.delivery)
        self.assertEqual(rma.move_id.product_id, self.noodles)
        self.assertEqual(rma.product_uom_qty, 1)
        self.assertTrue(rma.food_is_order_center)
        self.assertEqual(rma.operation_id, self.env.ref("rma.rma_operation_refund"))
        self.assertEqual(case.food_rma_count, 1)

    def test_exchange_case_asks_for_a_replacement(self):
        rma = self._request_return(self._case("exchange"))
        self.assertEqual(rma.operation_id, self.env.ref("rma.rma_operation_replace"))

    def test_return_needs_products_of_the_order(self):
        case = self._case(
            lines=[(self.env["product.product"].create({"name": "X"}), 1)]
        )
        with self.assertRaisesRegex(UserError, "No delivery of order"):
            case.with_user(self.users["aftersales"]).action_food_create_returns()
        self.assertFalse(self.env["rma"].search([("food_case_id", "=", case.id)]))
        feedback = self._case("feedback")
        with self.assertRaises(UserError):
            feedback.with_user(self.users["aftersales"]).action_food_create_returns()

    def test_within_policy_is_accepted_and_customer_told(self):
        rma = self._request_return(self._case())
        rma.food_return_reason = "unwanted"
        self.assertFalse(rma.food_policy_issue)
        rma.with_user(self.users["aftersales"]).action_confirm()
        self.assertEqual(rma.state, "confirmed")
        self.assertTrue(rma.reception_move_id, "the receipt of the goods is planned")
        self.assertEqual(len(self._customer_messages(rma)), 1)

    def test_return_window_over(self):
        rma = self._request_return(self._case())
        rma.food_return_reason = "unwanted"
        self._delivered_days_ago(8)
        self.assertIn("7", rma.food_policy_issue)
        with self.assertRaisesRegex(UserError, "return window"):
            rma.with_user(self.users["aftersales"]).action_confirm()
        self.assertEqual(rma.state, "draft")
        self.assertFalse(rma.reception_move_id)
        # one day less: accepted
        self._delivered_days_ago(6)
        rma.with_user(self.users["aftersales"]).action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_perishable_only_for_quality_and_with_evidence(self):
        case = self._case("return", lines=[(self.dumplings, 1)])
        rma = self._request_return(case)
        rma.food_return_reason = "unwanted"
        with self.assertRaisesRegex(UserError, "perishable"):
            rma.with_user(self.users["aftersales"]).action_confirm()
        rma.food_return_reason = "quality"
        with self.assertRaisesRegex(UserError, "evidence"):
            rma.with_user(self.users["aftersales"]).action_confirm()
        # a photo on the case is evidence enough
        self.env["ir.attachment"].with_user(self.users["aftersales"]).create(
            {
                "name": "torn.png",
                "datas": PHOTO,
                "res_model": "helpdesk.ticket",
                "res_id": case.id,
            }
        )
        rma.invalidate_recordset(["food_policy_issue"])
        self.assertFalse(rma.food_policy_issue)
        rma.with_user(self.users["aftersales"]).action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_return_from_the_order(self):
        """rma_sale's Create RMA on the order asks the reason; the policy
        applies when the wizard accepts the returns."""
        action = self.order.with_user(self.users["aftersales"]).action_create_rma()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertTrue(wizard.food_is_order_center)
        with Form(wizard.with_user(self.users["aftersales"])) as form:
            form.food_return_reason = "unwanted"
            form.operation_id = self.env.ref("rma.rma_operation_refund")
        # the frozen dumplings are perishable: refused with the reason
        with self.assertRaisesRegex(UserError, "perishable"):
            wizard.with_user(self.users["aftersales"]).create_and_open_rma()
        wizard.is_return_all = False
        for line in wizard.line_ids:
            line.quantity = 0 if line.product_id == self.dumplings else 3
        action = wizard.with_user(self.users["aftersales"]).create_and_open_rma()
        rma = self.env["rma"].browse(action["res_id"])
        self.assertEqual(rma.product_id, self.noodles)
        self.assertEqual(rma.food_return_reason, "unwanted")
        self.assertEqual(rma.state, "confirmed")

    def test_quality_case_gives_the_reason(self):
        rma = self._request_return(self._case("quality"))
        self.assertEqual(rma.food_return_reason, "quality")

    def test_refuse_with_the_policy_reason(self):
        rma = self._request_return(self._case("return", lines=[(self.dumplings, 1)]))
        rma.food_return_reason = "unwanted"
        rma.with_user(self.users["aftersales"]).action_food_refuse()
        self.assertEqual(rma.state, "cancelled")
        self.assertIn(self.dumplings.display_name, rma.food_refusal_reason)
        notices = self._customer_messages(rma)
        self.assertEqual(len(notices), 1)
        self.assertIn(self.dumplings.name, notices.body)
        # the case shows what the customer was told
        self.assertIn(self.dumplings.name, rma.food_case_id.message_ids[0].body)

    def test_refuse_within_policy_needs_a_reason(self):
        rma = self._request_return(self._case())
        rma.food_return_reason = "unwanted"
        with self.assertRaisesRegex(UserError, "write the reason"):
            rma.with_user(self.users["aftersales"]).action_food_refuse()
        self.assertEqual(rma.state, "draft")
        rma.food_refusal_reason = "Opened package"
        rma.with_user(self.users["aftersales"]).action_food_refuse()
        self.assertEqual(rma.state, "cancelled")

    def test_other_rmas_keep_rma_behaviour(self):
        """RMAs of orders outside the order center follow rma alone."""
        rma = self.env["rma"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.noodles.id,
                "product_uom_qty": 1,
                "operation_id": self.env.ref("rma.rma_operation_refund").id,
            }
        )
        self.assertFalse(rma.food_is_order_center)
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")

    # ------------------------------------------------------------------
    # Quarantine, inspection, disposition
    # ------------------------------------------------------------------

    def _confirmed_return(self, case_type="return", product=None, qty=1):
        rma = self._request_return(
            self._case(case_type, lines=[(product or self.noodles, qty)])
        )
        rma.food_return_reason = "wrong_item"
        rma.with_user(self.users["aftersales"]).action_confirm()
        return rma

    def _quant(self, product, location):
        return sum(
            self.env["stock.quant"]
            .search(
                [("product_id", "=", product.id), ("location_id", "=", location.id)]
            )
            .mapped("quantity")
        )

    def test_received_goods_wait_in_quarantine_for_inspection(self):
        rma = self._confirmed_return()
        self.assertEqual(rma.food_inspection_state, "none")
        with self.assertRaisesRegex(UserError, "inspected"):
            rma.with_user(self.users["aftersales"]).action_refund()
        self._receive(rma)
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.food_inspection_state, "pending")
        quarantine = rma.location_id
        self.assertNotEqual(quarantine, self.warehouse.lot_stock_id)
        self.assertFalse(
            quarantine._child_of(self.warehouse.lot_stock_id),
            "goods in quarantine are not sellable stock",
        )
        self.assertEqual(self._quant(self.noodles, quarantine), 1)
        inspection = rma.food_inspection_ids
        self.assertEqual(inspection.activity_ids.user_id, self.users["inventory"])
        self.assertFalse(rma.can_be_refunded)
        with self.assertRaisesRegex(UserError, "inspected"):
            rma.with_user(self.users["aftersales"]).action_refund()
        self.assertFalse(rma.refund_id)

    def test_quarantine_is_not_free_stock(self):
        """A warehouse created after rma keeps its RMA location under its
        own view location: the stock check leaves it out all the same."""
        warehouse = self.env["stock.warehouse"].create(
            {"name": "Returns test warehouse", "code": "RTW"}
        )
        self.assertTrue(warehouse.rma_loc_id._child_of(warehouse.view_location_id))
        self.env["stock.quant"]._update_available_quantity(
            self.noodles, warehouse.lot_stock_id, 4
        )
        self.env["stock.quant"]._update_available_quantity(
            self.noodles, warehouse.rma_loc_id, 3
        )
        stock = self.noodles._get_food_stock(warehouse)
        self.assertEqual(
            sum(qty for __, qty in stock[(self.noodles.id, warehouse.id)]), 4
        )

    def test_inspection_back_to_stock_then_refund(self):
        rma = self._confirmed_return()
        self._receive(rma)
        stock_before = self._quant(self.noodles, self.warehouse.lot_stock_id)
        inspection = self._inspect(rma, "resaleable", "stock", notes="Sealed")
        self.assertEqual(inspection.state, "done")
        self.assertEqual(inspection.inspector_id, self.users["inventory"])
        self.assertTrue(inspection.date)
        self.assertFalse(inspection.activity_ids)
        self.assertEqual(
            self._quant(self.noodles, self.warehouse.lot_stock_id), stock_before + 1
        )
        self.assertEqual(self._quant(self.noodles, rma.location_id), 0)
        self.assertEqual(rma.food_inspection_state, "done")
        self.assertTrue(rma.can_be_refunded)
        rma.with_user(self.users["aftersales"]).action_refund()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.refund_id.move_type, "out_refund")
        self.assertEqual(rma.refund_id.partner_id, self.customer)
        self.assertEqual(rma.refund_id.reversed_entry_id, self.invoice)
        self.assertEqual(rma.refund_id.amount_untaxed, 10.0)
        # accepted, received, inspected, refunded
        self.assertEqual(len(self._customer_messages(rma)), 4)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            inspection.write({"result": "damaged"})

    def test_not_invoiced_yet_is_taken_off_the_invoice(self):
        order = self._create_order(lines=[(self.noodles, 2)], intake_channel="other")
        order.with_user(self.manager).action_confirm_unverified("Returns test")
        self._deliver(order)
        case = self._case(food_order_id=order.id)
        rma = self._request_return(case)
        rma.food_return_reason = "wrong_item"
        rma.with_user(self.users["aftersales"]).action_confirm()
        with self.assertRaisesRegex(UserError, "inspected"):
            rma.with_user(self.users["aftersales"]).action_refund_without_invoice()
        self._receive(rma)
        self._inspect(rma, "resaleable", "stock")
        rma.with_user(self.users["aftersales"]).action_refund_without_invoice()
        self.assertEqual(rma.state, "refunded")
        self.assertFalse(rma.refund_id)
        # the goods returned are no longer counted as delivered
        self.assertEqual(order.order_line.qty_delivered, 1)
        self.assertEqual(len(self._customer_messages(rma)), 4)

    def test_only_resaleable_goods_go_back_to_stock(self):
        rma = self._confirmed_return()
        self._receive(rma)
        with self.assertRaisesRegex(UserError, "Only resaleable"):
            self._inspect(rma, "contaminated", "stock")
        self.assertEqual(rma.food_inspection_ids.state, "draft")
        self.assertEqual(self._quant(self.noodles, rma.location_id), 1)
        with self.assertRaisesRegex(UserError, "reason for scrapping"):
            self._inspect(rma, "contaminated", "scrap")
        inspection = self._inspect(rma, "contaminated", "scrap", scrap_reason="Mould")
        self.assertEqual(inspection.scrap_ids.state, "done")
        self.assertEqual(inspection.scrap_ids.scrap_qty, 1)
        self.assertIn("Mould", inspection.scrap_ids.origin)
        self.assertEqual(self._quant(self.noodles, rma.location_id), 0)

    def test_back_to_the_supplier(self):
        rma = self._confirmed_return()
        self._receive(rma)
        inspection = rma.food_inspection_ids.with_user(self.users["inventory"])
        inspection.disposition = "supplier"
        self.assertEqual(inspection.supplier_id, self.supplier)
        self._inspect(rma, "damaged", "supplier")
        self.assertEqual(
            inspection.move_ids.location_dest_id,
            self.env.ref("stock.stock_location_suppliers"),
        )
        self.assertEqual(inspection.move_ids.partner_id, self.supplier)
        self.assertEqual(inspection.move_ids.state, "done")

    def test_inspection_form(self):
        rma = self._confirmed_return()
        self._receive(rma)
        inspection = rma.food_inspection_ids.with_user(self.users["inventory"])
        with Form(inspection) as form:
            form.result = "expired"
            form.disposition = "scrap"
            form.scrap_reason = "Past its date"
        inspection.action_done()
        self.assertEqual(inspection.state, "done")

    def test_exchange_goes_through_the_order_center(self):
        rma = self._confirmed_return("exchange")
        self._receive(rma)
        self._inspect(rma, "damaged", "scrap", scrap_reason="Crushed")
        action = rma.with_user(self.users["aftersales"]).action_replace()
        replacement = rma.food_replacement_order_id
        self.assertEqual(action["res_id"], replacement.id)
        self.assertEqual(rma.state, "waiting_replacement")
        self.assertEqual(replacement.intake_channel, "exchange")
        self.assertEqual(replacement.partner_id, self.customer)
        self.assertEqual(replacement.origin, rma.name)
        self.assertEqual(replacement.order_line.product_id, self.noodles)
        self.assertEqual(replacement.order_line.product_uom_qty, 1)
        self.assertEqual(replacement.amount_total, 0)
        self.assertEqual(replacement.food_exchange_rma_ids, rma)
        # the normal flow: verified (not a duplicate of the order it
        # replaces), confirmed, shipped
        self.assertEqual(replacement.verification_state, "verified")
        replacement.with_user(self.users["receiver"]).action_confirm()
        self._deliver(replacement)
        self.assertEqual(rma.state, "replaced")
        # accepted, received, inspected, replacement
        self.assertEqual(len(self._customer_messages(rma)), 4)

    def test_exchange_channel_is_not_an_intake_channel(self):
        results = (
            self.env["sale.order"]
            .with_user(self.env.ref("base.user_admin"))
            .intake_orders(
                [
                    {
                        "channel": "exchange",
                        "external_ref": "X-1",
                        "customer": {"name": "A", "phone": "+86 138 0013 8001"},
                        "lines": [{"product_code": "FOC-T-002", "qty": 1}],
                    }
                ]
            )
        )
        self.assertEqual(results[0]["result"], "rejected")

    # ------------------------------------------------------------------
    # Roles
    # ------------------------------------------------------------------

    def test_roles(self):
        rma = self._confirmed_return()
        # processors have nothing to do with returns
        with self.assertRaises(AccessError):
            rma.with_user(self.processor).read(["state"])
        with self.assertRaises(AccessError):
            self._request_return_as(self.processor)
        # inventory managers read returns but neither create nor change them
        rma.with_user(self.users["inventory"]).read(["state"])
        with self.assertRaises(AccessError):
            rma.with_user(self.users["inventory"]).write(
                {"food_return_reason": "other"}
            )
        with self.assertRaises(AccessError):
            self._request_return_as(self.users["inventory"])
        self._receive(rma)
        # after-sales staff read the inspection but do not record it
        inspection = rma.food_inspection_ids
        inspection.with_user(self.users["aftersales"]).read(["state"])
        with self.assertRaises(AccessError):
            inspection.with_user(self.users["aftersales"]).write({"result": "damaged"})
        with self.assertRaises(AccessError):
            inspection.with_user(self.processor).read(["state"])
        with self.assertRaises(AccessError):
            inspection.with_user(self.users["inventory"]).unlink()
        self._inspect(rma, "resaleable", "stock")
        rma.with_user(self.manager).action_refund()
        self.assertEqual(rma.state, "refunded")

    def test_inspection_result_fields_are_written_by_its_actions_only(self):
        rma = self._confirmed_return()
        self._receive(rma)
        inspection = rma.food_inspection_ids.with_user(self.users["inventory"])
        for vals in ({"state": "done"}, {"date": fields.Datetime.now()}):
            with self.assertRaises(AccessError):
                inspection.write(vals)
        Inspection = self.env["food.return.inspection"].with_user(
            self.users["inventory"]
        )
        with self.assertRaises(AccessError):
            Inspection.create({"rma_id": rma.id, "state": "done"})
        defaults = Inspection.with_context(default_state="done").default_get(["state"])
        self.assertEqual(defaults.get("state"), "draft")
        self.assertEqual(inspection.state, "draft")

    def _request_return_as(self, user):
        return (
            self.env["rma"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_id": self.order.id,
                    "product_id": self.noodles.id,
                    "product_uom_qty": 1,
                    "operation_id": self.env.ref("rma.rma_operation_refund").id,
                }
            )
        )

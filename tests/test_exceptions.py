# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestExceptions(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test orders look alike: no duplicate warnings
        cls.env.company.food_duplicate_window_hours = 0
        cls.env.company.food_substitute_price_tolerance = 20
        cls.category = cls.env["product.category"].create({"name": "Frozen dumplings"})
        cls.pork = cls._product("Pork dumplings", 10.0, 0)
        cls.leek = cls._product("Leek dumplings", 11.0, 30)
        cls.shrimp = cls._product("Shrimp dumplings", 20.0, 30)  # too expensive
        cls.cabbage = cls._product("Cabbage dumplings", 9.0, 2)  # too little stock
        cls.other = cls.env["product.product"].create(
            {"name": "Dumpling sauce", "is_storable": True, "list_price": 10.0}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.other, cls.warehouse.lot_stock_id, 30
        )
        cls.today = fields.Date.context_today(cls.env["sale.order"])

    @classmethod
    def _product(cls, name, price, qty, **vals):
        product = cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "list_price": price,
                "categ_id": cls.category.id,
                **vals,
            }
        )
        if qty:
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, qty
            )
        return product

    def _order(self, confirm=False):
        order = self._create_order(
            lines=[(self.pork, 5), (self.dumplings, 2)],
            intake_channel="other",
            processor_id=self.processor.id,
        )
        if confirm:
            order.action_confirm()
        return order

    def test_substitutes_same_category_in_stock_similar_price(self):
        order = self._order()
        line = order.order_line[0]
        self.assertEqual(line.stock_status, "shortage")
        proposals = [p["product"] for p in line._get_substitute_products()]
        self.assertEqual(proposals, [self.leek])

    def test_substitute_expiring_before_delivery_not_proposed(self):
        chive = self._product(
            "Chive dumplings", 10.0, 0, tracking="lot", use_expiration_date=True
        )
        lot = self.env["stock.lot"].create({"name": "CHIVE-1", "product_id": chive.id})
        lot.removal_date = datetime.now() + timedelta(days=2)
        self.env["stock.quant"]._update_available_quantity(
            chive, self.warehouse.lot_stock_id, 30, lot_id=lot
        )
        order = self._order()
        line = order.order_line[0]
        self.assertIn(chive, [p["product"] for p in line._get_substitute_products()])
        order.commitment_date = datetime.now() + timedelta(days=5)
        self.assertNotIn(chive, [p["product"] for p in line._get_substitute_products()])

    def test_substitute_on_quotation_replaces_product(self):
        order = self._order()
        line = order.order_line[0]
        wizard = Form(
            self.env["food.stock.out.wizard"]
            .with_user(self.processor)
            .with_context(default_line_id=line.id)
        )
        wizard.option = "substitute"
        self.assertEqual(wizard.substitute_id, self.leek)
        wizard.note = "Customer agrees to leek"
        wizard.save().action_apply()
        self.assertEqual(line.product_id, self.leek)
        self.assertEqual(line.stock_status, "available")
        exception = order.food_exception_ids
        self.assertEqual(exception.exception_type, "stock_out")
        self.assertEqual(exception.customer_option, "substitute")
        self.assertEqual(exception.substitute_product_id, self.leek)
        self.assertEqual(exception.product_id, self.pork)
        self.assertEqual(exception.state, "resolved")
        mail = order.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )
        self.assertTrue(mail, "the customer is told")
        self.assertIn(self.leek.name, mail[0].body)

    def test_customer_told_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["food_order_center"], ["zh_CN"]
        )
        self.customer.lang = "zh_CN"
        order = self._order()
        order.order_line[0].action_resolve_stock_out(
            "substitute", substitute=self.leek.id
        )
        mail = order.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )
        self.assertIn("作为替代商品", mail.body)
        self.assertIn(self.leek.name, mail.body)

    def test_substitute_on_confirmed_order_keeps_history(self):
        order = self._order(confirm=True)
        line = order.order_line[0]
        line.with_user(self.processor).action_resolve_stock_out(
            "substitute", substitute=self.leek.id
        )
        self.assertEqual(line.product_uom_qty, 0)
        new_line = order.order_line.filtered(lambda ln: ln.product_id == self.leek)
        self.assertEqual(new_line.product_uom_qty, 5)
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        self.assertIn(
            self.leek,
            picking.move_ids.filtered(lambda m: m.state != "cancel").product_id,
        )

    def test_substitute_in_another_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        # 120 a dozen is the pork's 10 a unit: a similar price per unit
        boxed = self._product("Boxed leek dumplings", 120.0, 0, uom_id=dozen.id)
        self.env["stock.quant"]._update_available_quantity(
            boxed, self.warehouse.lot_stock_id, 5
        )
        order = self._create_order(lines=[(self.pork, 24)], intake_channel="other")
        line = order.order_line
        self.assertIn(boxed, [p["product"] for p in line._get_substitute_products()])
        line.action_resolve_stock_out("substitute", substitute=boxed.id)
        self.assertEqual(line.product_id, boxed)
        self.assertEqual(line.product_uom, dozen)
        self.assertEqual(line.product_uom_qty, 2)

    def test_substitute_after_partial_delivery(self):
        self.env["stock.quant"]._update_available_quantity(
            self.pork, self.warehouse.lot_stock_id, 2
        )
        order = self._order(confirm=True)
        line = order.order_line[0]
        picking = order.picking_ids
        picking.move_ids.filtered(lambda m: m.product_id == self.pork).quantity = 2
        picking.move_ids.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        self.assertEqual(line.qty_delivered, 2)
        line.action_resolve_stock_out("substitute", substitute=self.leek.id)
        self.assertEqual(line.product_uom_qty, 2, "keeps what was delivered")
        new_line = order.order_line.filtered(lambda ln: ln.product_id == self.leek)
        self.assertEqual(new_line.product_uom_qty, 3, "the rest goes to the substitute")

    def test_substitute_must_be_a_proposal(self):
        order = self._order()
        line = order.order_line[0]
        for product in (self.shrimp, self.cabbage, self.other):
            with self.subTest(product=product.name), self.assertRaises(UserError):
                line.action_resolve_stock_out("substitute", substitute=product.id)
        self.assertFalse(order.food_exception_ids, "nothing half-written")

    def test_deliver_later_and_split(self):
        order = self._order(confirm=True)
        line = order.order_line[0]
        arrival = self.today + timedelta(days=6)
        line.action_resolve_stock_out("deliver_later", expected_date=arrival)
        self.assertEqual(order.picking_policy, "one")
        self.assertEqual(order.picking_ids.move_type, "one")
        self.assertEqual(order.commitment_date.date(), arrival)
        line.action_resolve_stock_out("split", expected_date=arrival)
        self.assertEqual(order.picking_ids.move_type, "direct")
        self.assertEqual(
            order.food_exception_ids.mapped("customer_option"),
            ["split", "deliver_later"],
        )

    def test_deliver_later_needs_a_date(self):
        line = self._order().order_line[0]
        with self.assertRaises(UserError):
            line.action_resolve_stock_out("deliver_later")

    def test_only_owner_processor_handles_stock_out(self):
        line = self._order().order_line[0]
        with self.assertRaises(AccessError):
            line.with_user(self.processor_2).action_resolve_stock_out(
                "substitute", substitute=self.leek.id
            )
        with self.assertRaises(AccessError):
            line.with_user(self.users["aftersales"]).action_resolve_stock_out(
                "substitute", substitute=self.leek.id
            )

    def test_exceptions_not_created_directly(self):
        order = self._order()
        with self.assertRaises(AccessError):
            self.env["food.order.exception"].with_user(self.manager).create(
                {"order_id": order.id, "exception_type": "quality"}
            )

    def test_quality_hold_blocks_shipping_until_released(self):
        order = self._create_order(
            lines=[(self.dumplings, 2)],
            intake_channel="other",
            processor_id=self.processor.id,
        )
        order.action_confirm()
        wizard = Form(
            self.env["food.quality.hold.wizard"]
            .with_user(self.processor)
            .with_context(default_order_id=order.id)
        )
        wizard.reason = "Packaging torn"
        wizard.save().action_hold()
        self.assertTrue(order.quality_hold)
        self.assertEqual(order.order_center_stage, "exception")
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        with self.assertRaises(UserError):
            picking.button_validate()
        hold = order.food_exception_ids
        with self.assertRaises(AccessError):
            hold.with_user(self.processor).action_release("released")
        wizard = (
            self.env["food.quality.release.wizard"]
            .with_user(self.users["inventory"])
            .with_context(active_ids=hold.ids)
            .create({"resolution": "released", "note": "Inner bags intact"})
        )
        wizard.action_release()
        self.assertEqual(hold.state, "resolved")
        self.assertEqual(hold.resolved_by_id, self.users["inventory"])
        self.assertFalse(order.quality_hold)
        picking.with_user(self.processor).action_food_preship_check()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        customer_mails = order.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )
        self.assertEqual(len(customer_mails), 2, "told of the hold and of its end")

    def test_quality_hold_wizard_from_the_order_button(self):
        order = self._order()
        action = self.env.ref("food_order_center.food_quality_hold_wizard_action")
        self.assertEqual(action.res_model, "food.quality.hold.wizard")
        # the header button opens the action with the order as active record
        wizard = Form(
            self.env["food.quality.hold.wizard"]
            .with_user(self.processor)
            .with_context(active_model="sale.order", active_id=order.id)
        )
        self.assertEqual(wizard.order_id, order)
        wizard.reason = "Label unreadable"
        wizard.save().action_hold()
        self.assertTrue(order.quality_hold)

    def test_quality_hold_needs_reason_and_owner(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.with_user(self.processor).action_quality_hold("  ")
        with self.assertRaises(AccessError):
            order.with_user(self.processor_2).action_quality_hold("Smells off")
        with self.assertRaises(AccessError):
            order.with_user(self.users["receiver"]).action_quality_hold("Smells off")
        self.assertFalse(order.food_exception_ids)

    def test_held_lot_not_reserved_and_replaced(self):
        fish = self._product("Frozen fish", 10.0, 0, tracking="lot")
        bad, good = (
            self.env["stock.lot"].create({"name": name, "product_id": fish.id})
            for name in ("FISH-BAD", "FISH-GOOD")
        )
        quants = self.env["stock.quant"]
        quants._update_available_quantity(
            fish, self.warehouse.lot_stock_id, 5, lot_id=bad
        )
        order = self._create_order(
            lines=[(fish, 5)], intake_channel="other", processor_id=self.processor.id
        )
        order.action_confirm()
        move = order.order_line.move_ids
        self.assertEqual(move.move_line_ids.lot_id, bad)
        quants._update_available_quantity(
            fish, self.warehouse.lot_stock_id, 5, lot_id=good
        )
        order.with_user(self.processor).action_quality_hold(
            "Thawed in transit", order.order_line.id, bad.id
        )
        self.assertTrue(bad.food_quality_hold)
        with self.assertRaises(AccessError):
            bad.with_user(self.processor).write({"food_quality_hold": False})
        order.food_exception_ids.with_user(self.users["inventory"]).action_release(
            "replaced", "Lot sent back to the supplier"
        )
        self.assertEqual(move.move_line_ids.lot_id, good)
        self.assertTrue(bad.food_quality_hold, "the bad lot stays blocked")
        # the held lot's own quant was unreserved, not a new negative one
        bad_quants = self.env["stock.quant"].search([("lot_id", "=", bad.id)])
        self.assertEqual(len(bad_quants), 1)
        self.assertEqual(bad_quants.quantity, 5)
        self.assertEqual(bad_quants.reserved_quantity, 0)

    def test_held_lot_blocks_other_deliveries(self):
        fish = self._product("Frozen eel", 10.0, 0, tracking="lot")
        lot = self.env["stock.lot"].create({"name": "EEL-1", "product_id": fish.id})
        self.env["stock.quant"]._update_available_quantity(
            fish, self.warehouse.lot_stock_id, 10, lot_id=lot
        )
        first, second = (
            self._create_order(
                lines=[(fish, 2)],
                intake_channel="other",
                processor_id=self.processor.id,
            )
            for _i in range(2)
        )
        (first | second).action_confirm()
        with self.assertRaises(UserError):
            first.action_quality_hold("Bad smell", lot_id=self.dumplings.id)
        first.with_user(self.processor).action_quality_hold("Bad smell", lot_id=lot.id)
        self.assertFalse(second.quality_hold)
        picking = second.picking_ids
        picking.move_ids.picked = True
        with self.assertRaises(UserError):
            picking.button_validate()

    def test_fefo_for_perishable_food(self):
        yogurt = self._product(
            "Yogurt", 5.0, 0, tracking="lot", use_expiration_date=True
        )
        # explicit dates: a lot expiring "now" would not be reserved at all
        later, sooner = (
            self.env["stock.lot"].create(
                {
                    "name": name,
                    "product_id": yogurt.id,
                    "expiration_date": datetime.now() + timedelta(days=days),
                }
            )
            for name, days in (("YOG-LATER", 25), ("YOG-SOONER", 12))
        )
        later.removal_date = datetime.now() + timedelta(days=20)
        sooner.removal_date = datetime.now() + timedelta(days=8)
        quants = self.env["stock.quant"]
        # the later lot came in first: FIFO would pick it
        quants._update_available_quantity(
            yogurt,
            self.warehouse.lot_stock_id,
            5,
            lot_id=later,
            in_date=datetime.now() - timedelta(days=3),
        )
        quants._update_available_quantity(
            yogurt, self.warehouse.lot_stock_id, 5, lot_id=sooner
        )
        order = self._create_order(lines=[(yogurt, 3)], intake_channel="other")
        order.action_confirm()
        self.assertEqual(order.order_line.move_ids.move_line_ids.lot_id, sooner)

    def test_exception_list_access(self):
        order = self._order()
        order.order_line[0].action_resolve_stock_out(
            "substitute", substitute=self.leek.id
        )
        for role in (
            "receiver",
            "processor",
            "inventory",
            "logistics",
            "aftersales",
            "manager",
        ):
            with self.subTest(role=role):
                found = (
                    self.env["food.order.exception"]
                    .with_user(self.users[role])
                    .search([("order_id", "=", order.id)])
                )
                self.assertEqual(len(found), 1)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestPreshipment(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test orders look alike: no duplicate warnings
        cls.env.company.food_duplicate_window_hours = 0
        package_types = cls.env["stock.package.type"]
        cls.insulated = package_types.create({"name": "Insulated box + ice packs"})
        cls.carton = package_types.create({"name": "Carton"})
        cls.frozen = cls.env["product.category"].create(
            {
                "name": "Frozen (test)",
                "food_storage_condition": "frozen",
                "food_min_shelf_life_days": 30,
                "food_package_type_ids": [Command.set(cls.insulated.ids)],
            }
        )
        cls.fish = cls.env["product.product"].create(
            {
                "name": "Frozen fish",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "categ_id": cls.frozen.id,
            }
        )
        cls.delivery_date = datetime.now().replace(microsecond=0) + timedelta(days=3)
        cls.lot = cls.env["stock.lot"].create(
            {
                "name": "FISH-001",
                "product_id": cls.fish.id,
                "expiration_date": cls.delivery_date + timedelta(days=90),
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.fish, cls.warehouse.lot_stock_id, 20, lot_id=cls.lot
        )
        cls.eggs = cls._create_stocked_product("Fresh eggs", "FOC-T-EGG", 30)
        cls.eggs.is_fragile = True

    def _order(self, processor=None, lines=None):
        order = self._create_order(
            lines=lines or [(self.fish, 4), (self.eggs, 6)],
            intake_channel="other",
            commitment_date=self.delivery_date,
        )
        order.action_confirm()
        order.processor_id = processor or self.processor
        return order

    def _package(self, package_type, protected=False):
        return self.env["stock.quant.package"].create(
            {"package_type_id": package_type.id, "food_fragile_protected": protected}
        )

    def _ready(self, order):
        """Pick everything and pack it the right way."""
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        self._pack(picking, self.fish, self._package(self.insulated))
        self._pack(picking, self.eggs, self._package(self.carton, protected=True))
        return picking

    def _pack(self, picking, product, package):
        picking.move_line_ids.filtered(
            lambda ml: ml.product_id == product
        ).result_package_id = package

    def _check(self, picking, user=None):
        picking.with_user(user or self.processor).action_food_preship_check()
        return picking

    def _assert_fails(self, picking, text):
        self._check(picking)
        self.assertEqual(picking.food_preship_state, "failed")
        self.assertIn(text, picking.food_preship_result)

    def _assert_passes(self, picking):
        self._check(picking)
        self.assertEqual(
            picking.food_preship_state, "passed", picking.food_preship_result
        )
        self.assertFalse(picking.food_preship_result)

    # ---- the gate -------------------------------------------------------------

    def test_validation_waits_for_a_passed_check(self):
        order = self._order()
        picking = self._ready(order)
        self.assertTrue(picking.food_preship_required)
        self.assertEqual(picking.food_preship_state, "to_check")
        with self.assertRaisesRegex(UserError, "pre-shipment check"):
            picking.with_user(self.processor).button_validate()
        self._assert_passes(picking)
        self.assertEqual(picking.food_preship_checked_by_id, self.processor)
        self.assertTrue(picking.food_preship_checked_date)
        self.assertIn(
            "Pre-shipment check passed", picking.message_ids[0].body, "in the chatter"
        )
        picking.with_user(self.processor).button_validate()
        self.assertEqual(picking.state, "done")

    def test_goods_changed_after_the_check_need_a_new_one(self):
        picking = self._ready(self._order())
        self._assert_passes(picking)
        self._pack(picking, self.eggs, self._package(self.carton, protected=True))
        with self.assertRaisesRegex(UserError, "as they are now"):
            picking.with_user(self.processor).button_validate()
        self._assert_passes(picking)
        picking.with_user(self.processor).button_validate()
        self.assertEqual(picking.state, "done")

    def test_failed_check_blocks_validation(self):
        picking = self._ready(self._order())
        self._pack(picking, self.fish, self._package(self.carton))
        self._assert_fails(picking, "ships only in")
        with self.assertRaises(UserError):
            picking.with_user(self.processor).button_validate()

    def test_orders_of_other_flows_need_no_check(self):
        order = self._create_order(lines=[(self.noodles, 2)])
        order.action_confirm()
        picking = order.picking_ids
        self.assertFalse(picking.food_preship_required)
        picking.move_ids.write({"quantity": 2, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        with self.assertRaises(UserError):
            self._order().picking_ids.copy().action_food_preship_check()

    def test_pack_step_and_shipping_step_checked(self):
        self.warehouse.delivery_steps = "pick_pack_ship"
        order = self._order(lines=[(self.noodles, 4)])
        pick = order.picking_ids
        self.assertFalse(pick.food_preship_required, "picking is not packing")
        pick.move_ids.write({"quantity": 4, "picked": True})
        pick.button_validate()
        pack = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pack_type_id
        )
        self.assertTrue(pack.food_preship_required)
        pack.move_ids.write({"quantity": 4, "picked": True})
        with self.assertRaises(UserError):
            pack.button_validate()
        self._assert_passes(pack)
        pack.button_validate()
        ship = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertTrue(ship.food_preship_required)
        self.assertEqual(ship.food_preship_state, "to_check")

    # ---- the rules ------------------------------------------------------------

    def test_quantity_short_needs_the_customers_backorder(self):
        order = self._order()
        picking = self._ready(order)
        picking.move_ids.filtered(lambda m: m.product_id == self.eggs).quantity = 4
        self._assert_fails(picking, "agreed to no backorder")
        self.assertIn("Fresh eggs", picking.food_preship_result)
        # the customer agrees to receive the rest later
        line = order.order_line.filtered(lambda ln: ln.product_id == self.eggs)
        line.with_user(self.processor).action_resolve_stock_out(
            "split", expected_date=datetime.now().date() + timedelta(days=5)
        )
        self._assert_passes(picking)

    def test_agreed_backorder_ships_and_the_rest_waits_for_its_check(self):
        order = self._order()
        picking = order.picking_ids
        picking.move_ids.filtered(lambda m: m.product_id == self.eggs).quantity = 4
        self._pack(picking, self.fish, self._package(self.insulated))
        self._pack(picking, self.eggs, self._package(self.carton, protected=True))
        line = order.order_line.filtered(lambda ln: ln.product_id == self.eggs)
        line.action_resolve_stock_out(
            "split", expected_date=datetime.now().date() + timedelta(days=5)
        )
        self._assert_passes(picking)
        # nothing marked picked: validation picks it all, then asks for the
        # backorder, and the check still holds
        action = picking.with_user(self.processor).button_validate()
        Form.from_action(self.env(user=self.processor), action).save().process()
        self.assertEqual(picking.state, "done")
        backorder = order.picking_ids - picking
        self.assertEqual(backorder.move_ids.product_uom_qty, 2)
        self.assertTrue(backorder.food_preship_required)
        self.assertEqual(backorder.food_preship_state, "to_check")

    def test_quantity_over_the_order_fails(self):
        picking = self._ready(self._order())
        picking.move_ids.filtered(lambda m: m.product_id == self.eggs).quantity = 8
        self._assert_fails(picking, "more than the 6")

    def test_lot_on_hold_fails(self):
        picking = self._ready(self._order())
        self.lot.food_quality_hold = True
        self._assert_fails(picking, "on quality hold")
        self.lot.food_quality_hold = False
        self._assert_passes(picking)

    def test_lot_expiring_too_soon_fails(self):
        picking = self._ready(self._order())
        self.lot.expiration_date = self.delivery_date + timedelta(days=10)
        self._assert_fails(picking, "30 days of shelf life")
        self.lot.expiration_date = self.delivery_date + timedelta(days=31)
        self._assert_passes(picking)

    def test_frozen_food_in_wrong_package_fails(self):
        picking = self._ready(self._order())
        self._pack(picking, self.fish, self._package(self.carton))
        self._assert_fails(picking, "Insulated box + ice packs")
        self._pack(picking, self.fish, self.env["stock.quant.package"])
        self._assert_fails(picking, "no package")
        self._pack(picking, self.fish, self._package(self.insulated))
        self._assert_passes(picking)

    def test_fragile_food_in_unprotected_package_fails(self):
        picking = self._ready(self._order())
        package = self._package(self.carton)
        self._pack(picking, self.eggs, package)
        self._assert_fails(picking, "fragile food")
        package.with_user(self.processor).food_fragile_protected = True
        self.assertEqual(package.food_fragile_protected_by_id, self.processor)
        self.assertTrue(package.food_fragile_protected_date)
        self._assert_passes(picking)

    # ---- the exception -------------------------------------------------------

    def test_failed_check_opens_an_exception_resolved_by_a_passed_one(self):
        order = self._order()
        picking = self._ready(order)
        self.lot.food_quality_hold = True
        self._assert_fails(picking, "on quality hold")
        exception = order.food_exception_ids
        self.assertEqual(exception.exception_type, "preship")
        self.assertEqual(exception.state, "open")
        self.assertIn(picking.name, exception.reason)
        self.assertFalse(order.quality_hold, "recorded, not a quality hold")
        # a second failure updates the same exception
        self._assert_fails(picking, "on quality hold")
        self.assertEqual(order.food_exception_ids, exception)
        self.lot.food_quality_hold = False
        self._check(picking, self.manager)
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(exception.resolved_by_id, self.manager)
        self.assertTrue(exception.resolved_date)

    # ---- roles ----------------------------------------------------------------

    def test_who_runs_the_check(self):
        expected = {
            "processor": (True, False),
            "manager": (True, True),
            "inventory": (False, False),
            "logistics": (False, False),
            "receiver": (False, False),
            "aftersales": (False, False),
        }
        for role, (on_own, on_foreign) in expected.items():
            own, foreign = self._order(), self._order(self.processor_2)
            for order, allowed in ((own, on_own), (foreign, on_foreign)):
                picking = self._ready(order)
                user = self.users[role]
                with self.subTest(role=role, order=order.name):
                    self.assertEqual(picking.with_user(user).food_can_preship, allowed)
                    if allowed:
                        self._check(picking, user)
                        self.assertEqual(picking.food_preship_state, "passed")
                        self.assertEqual(picking.food_preship_checked_by_id, user)
                    else:
                        with self.assertRaises(AccessError):
                            self._check(picking, user)
                        self.assertEqual(picking.food_preship_state, "to_check")
                        self.assertFalse(order.food_exception_ids)

    def test_check_fields_not_writable(self):
        picking = self._ready(self._order())
        for user in (self.processor, self.manager):
            for vals in (
                {"food_preship_state": "passed"},
                {"food_preship_checked_by_id": user.id},
                {"food_preship_signature": "x"},
                {"food_preship_required": False},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        picking.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            picking.write({"food_preship_state": "passed"})
        self.assertEqual(picking.food_preship_state, "to_check")
        with self.assertRaises(AccessError):
            self._package(self.carton).with_user(self.processor).write(
                {"food_fragile_protected_by_id": self.manager.id}
            )

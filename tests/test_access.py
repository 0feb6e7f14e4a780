# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestOrderCenterAccess(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(intake_channel="other")
        cls.order.action_confirm()
        cls.order.processor_id = cls.processor
        cls.other_order = cls._create_order()
        cls.other_order.processor_id = cls.processor_2

    def _as(self, role, records):
        return records.with_user(self.users[role])

    # ---- roles and implied groups -------------------------------------------------

    def test_roles_imply_the_groups_their_work_needs(self):
        expected = {
            "receiver": [
                "sales_team.group_sale_salesman_all_leads",
                "base.group_partner_manager",
                "food_order_center.group_order_intake",
            ],
            "processor": ["sales_team.group_sale_salesman", "stock.group_stock_user"],
            "inventory": ["stock.group_stock_manager"],
            "logistics": ["stock.group_stock_user"],
            "aftersales": ["helpdesk_mgmt.group_helpdesk_user"],
            "manager": [
                "sales_team.group_sale_manager",
                "stock.group_stock_manager",
                "helpdesk_mgmt.group_helpdesk_manager",
                "food_order_center.group_order_receiver",
                "food_order_center.group_order_processor",
                "food_order_center.group_inventory_manager",
                "food_order_center.group_logistics_coordinator",
                "food_order_center.group_aftersales",
            ],
        }
        for role, groups in expected.items():
            for group in groups:
                self.assertTrue(
                    self.users[role].has_group(group), f"{role} lacks {group}"
                )
        not_expected = {
            "receiver": ["sales_team.group_sale_manager", "stock.group_stock_user"],
            "processor": [
                "sales_team.group_sale_salesman_all_leads",
                "stock.group_stock_manager",
            ],
            "inventory": [
                "sales_team.group_sale_salesman",
                "helpdesk_mgmt.group_helpdesk_user",
            ],
            "logistics": [
                "sales_team.group_sale_salesman",
                "stock.group_stock_manager",
            ],
            "aftersales": ["sales_team.group_sale_salesman", "stock.group_stock_user"],
        }
        for role, groups in not_expected.items():
            for group in groups:
                self.assertFalse(
                    self.users[role].has_group(group), f"{role} has {group}"
                )

    # ---- order receiver -------------------------------------------------------------

    def test_receiver_enters_and_edits_orders(self):
        order = self._as("receiver", self.env["sale.order"]).create(
            {
                "partner_id": self.customer.id,
                "intake_channel": "phone",
                "order_line": [(0, 0, {"product_id": self.dumplings.id})],
            }
        )
        order.urgency = "urgent"
        self._as("receiver", self.other_order).note = "客户要求上午送达"
        self.assertEqual(order.urgency, "urgent")

    def test_receiver_cannot_change_assignment(self):
        with self.assertRaisesRegex(AccessError, "order center manager"):
            self._as("receiver", self.order).processor_id = self.processor_2
        with self.assertRaises(AccessError):
            self._as("receiver", self.env["sale.order"]).create(
                {"partner_id": self.customer.id, "processor_id": self.processor.id}
            )
        self.assertEqual(self.order.processor_id, self.processor)

    # ---- order processor ------------------------------------------------------------

    def test_processor_edits_own_orders_only(self):
        own = self._as("processor", self.order)
        own.note = "已复核库存"
        own.order_line[0].product_uom_qty = 3
        self.assertEqual(self.order.order_line[0].product_uom_qty, 3)
        # reads every order, edits none of the others
        other = self._as("processor", self.other_order)
        self.assertTrue(other.name)
        with self.assertRaisesRegex(AccessError, "assigned to them"):
            other.note = "not mine"
        with self.assertRaises(AccessError):
            other.order_line[0].product_uom_qty = 9
        with self.assertRaises(AccessError):
            other.order_line[0].unlink()
        with self.assertRaises(AccessError):
            self.env["sale.order.line"].with_user(self.processor).create(
                {"order_id": self.other_order.id, "product_id": self.noodles.id}
            )

    def test_processor_reads_orders_of_other_salespeople(self):
        self.other_order.user_id = self.users["receiver"]
        orders = self._as("processor", self.env["sale.order"]).search(
            [("id", "in", (self.order | self.other_order).ids)]
        )
        self.assertEqual(len(orders), 2)

    def test_processor_cannot_reassign(self):
        with self.assertRaises(AccessError):
            self._as("processor", self.order).processor_id = self.processor_2

    def test_processor_validates_delivery(self):
        picking = self._as("processor", self.order.picking_ids)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.action_food_preship_check()
        picking.button_validate()
        self.assertEqual(self.order.picking_ids.state, "done")

    # ---- inventory manager, logistics coordinator, after-sales staff ---------------

    def test_other_roles_do_not_enter_orders(self):
        for role in ("inventory", "logistics", "aftersales"):
            order = self._as(role, self.order)
            self.assertEqual(order.order_center_stage, "assigned")
            with self.assertRaises(AccessError, msg=role):
                self._as(role, self.env["sale.order"]).create(
                    {"partner_id": self.customer.id}
                )
            with self.assertRaises(AccessError, msg=role):
                order.processor_id = self.processor_2
        # warehouse roles keep the write access sale_stock gives stock users
        # (transfers write back to their orders); after-sales staff only read
        with self.assertRaises(AccessError):
            self._as("aftersales", self.order).note = "x"
        with self.assertRaises(AccessError):
            self._as("aftersales", self.order.order_line[0]).product_uom_qty = 1

    def test_read_only_roles_open_the_order_form(self):
        # the processor of the order edits it, the other roles only read it
        for role, read_only in (
            ("inventory", True),
            ("logistics", True),
            ("aftersales", True),
            ("processor", False),
        ):
            form = Form(self._as(role, self.order))
            self.assertEqual(form.processor_id, self.processor)
            self.assertEqual(form.intake_channel, "other")
            for name in ("order_line", "urgency", "note"):
                self.assertEqual(
                    bool(form._get_modifier(name, "readonly")),
                    read_only,
                    f"{role}: {name}",
                )

    def test_inventory_manager_manages_stock(self):
        quants = self.env["stock.quant"].with_user(self.users["inventory"])
        quant = quants.with_context(inventory_mode=True).create(
            {
                "product_id": self.noodles.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "inventory_quantity": 120,
            }
        )
        quant.action_apply_inventory()
        self.assertEqual(self.noodles.qty_available, 120)

    def test_aftersales_records_cases(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.users["aftersales"])
            .create(
                {
                    "name": "冷冻水饺到货时已解冻",
                    "description": "<p>客户投诉</p>",
                    "partner_id": self.customer.id,
                }
            )
        )
        self.assertTrue(ticket.number)
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.users["receiver"]).create(
                {"name": "x", "description": "x"}
            )

    # ---- manager --------------------------------------------------------------------

    def test_manager_assigns_and_edits_everything(self):
        order = self._as("manager", self.other_order)
        order.processor_id = self.processor
        order.note = "manager note"
        self.assertEqual(self.other_order.processor_id, self.processor)

    # ---- sales platforms ------------------------------------------------------------

    def test_platform_configuration_is_manager_only(self):
        for role in ("receiver", "processor", "inventory", "logistics", "aftersales"):
            platforms = self._as(role, self.env["food.sales.platform"])
            self.assertIn(self.platform, platforms.search([]))
            with self.assertRaises(AccessError, msg=role):
                platforms.create({"name": "x", "code": f"x_{role}"})
            with self.assertRaises(AccessError, msg=role):
                self._as(role, self.platform).name = "renamed"
        platform = self._as("manager", self.env["food.sales.platform"]).create(
            {"name": "美团优选", "code": "meituan_test"}
        )
        platform.active = False
        platform.unlink()

    def test_platform_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other food company"})
        foreign = self.env["food.sales.platform"].create(
            {"name": "Foreign", "code": "foreign", "company_id": other_company.id}
        )
        visible = self._as("manager", self.env["food.sales.platform"]).search([])
        self.assertNotIn(foreign, visible)

    def test_sales_user_outside_the_order_center_opens_orders(self):
        salesman = new_test_user(
            self.env,
            login="foc_plain_salesman",
            groups="sales_team.group_sale_salesman",
        )
        order = self._create_order(intake_channel="other")
        self.assertEqual(order.with_user(salesman).food_exception_count, 0)

    def test_warehouse_user_validates_delivery_of_order_they_cannot_read(self):
        warehouse_user = new_test_user(
            self.env,
            login="foc_plain_warehouse",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman",
        )
        self.env.company.food_duplicate_window_hours = 0
        order = self._create_order(intake_channel="other")
        order.action_confirm()
        # the customer takes what is there now, the rest later
        for line in order.order_line:
            line.action_resolve_stock_out("split", expected_date="2030-01-01")
        picking = order.picking_ids.with_user(warehouse_user)
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking.action_food_preship_check()
        action = picking.button_validate()
        Form.from_action(self.env(user=warehouse_user), action).save().process()
        self.assertEqual(
            order.picking_ids.filtered(lambda p: p.state == "done"), picking
        )

    # ---- menus ----------------------------------------------------------------------

    def test_menus_per_role(self):
        menus = {
            "root": "food_order_center.menu_order_center_root",
            "all_orders": "food_order_center.sale_order_menu_order_center",
            "my_orders": "food_order_center.sale_order_menu_my_orders",
            "deliveries": "food_order_center.stock_picking_menu_deliveries",
            "products": "food_order_center.product_template_menu_stock",
            "cases": "food_order_center.helpdesk_ticket_menu_cases",
            "analysis": "food_order_center.sale_order_menu_analysis",
            "platforms": "food_order_center.food_sales_platform_menu",
            "carriers": "food_order_center.delivery_carrier_menu",
            "stock_checks": "food_order_center.sale_order_menu_stock_checks",
            "exceptions": "food_order_center.food_order_exception_menu",
            "rules": "food_order_center.food_assignment_rule_menu",
            "processors": "food_order_center.food_processor_menu",
            "training": "food_order_center.food_staff_qualification_menu",
            "turnover": "food_order_center.food_turnover_wizard_menu",
            "case_analysis": "food_order_center.food_case_analysis_menu",
        }
        expected = {
            "receiver": {"root", "all_orders"},
            "processor": {
                "root",
                "all_orders",
                "my_orders",
                "deliveries",
                "exceptions",
            },
            "inventory": {
                "root",
                "all_orders",
                "deliveries",
                "products",
                "stock_checks",
                "exceptions",
                "turnover",
            },
            "logistics": {"root", "all_orders", "deliveries", "carriers", "exceptions"},
            "aftersales": {"root", "all_orders", "cases", "case_analysis"},
            "manager": set(menus),
        }
        menu_ids = {key: self.env.ref(xmlid).id for key, xmlid in menus.items()}
        outsider = self.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "foc_outsider",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        for role, keys in list(expected.items()) + [("outsider", set())]:
            user = outsider if role == "outsider" else self.users[role]
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            # a menu shows when it and all its parents are visible
            shown = {
                key
                for key, menu_id in menu_ids.items()
                if {
                    int(menu)
                    for menu in self.env["ir.ui.menu"]
                    .browse(menu_id)
                    .parent_path.split("/")
                    if menu
                }
                <= visible
            }
            self.assertEqual(shown, keys, role)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user

ROLE_GROUPS = {
    "receiver": "food_order_center.group_order_receiver",
    "processor": "food_order_center.group_order_processor",
    "inventory": "food_order_center.group_inventory_manager",
    "logistics": "food_order_center.group_logistics_coordinator",
    "aftersales": "food_order_center.group_aftersales",
    "manager": "food_order_center.group_order_center_manager",
}


def create_role_users(env, prefix, password=False):
    """One user per order-center role; each logs in with its login (and,
    with ``password``, its login as password, for RPC)."""
    return {
        role: new_test_user(
            env,
            login=f"{prefix}_{role}",
            groups=f"base.group_user,{group}",
            name=f"FOC {role}",
            **({"password": f"{prefix}_{role}"} if password else {}),
        )
        for role, group in ROLE_GROUPS.items()
    }


def execute_kw(case, user, password, model, method, *args, **kwargs):
    """``model.method(*args, **kwargs)`` as ``user``, over the test server's
    real XML-RPC (what an integration or a script sends)."""
    return case.xmlrpc_object.execute_kw(
        case.env.cr.dbname, user.id, password, model, method, list(args), kwargs
    )


def create_open_cases(env, count, prefix, order, platform):
    """``count`` open feedback cases of ``order`` sent by ``platform``, in
    one create call (the load the case intake must not feel)."""
    env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_create_nolog=True
    ).create(
        [
            {
                "name": f"{prefix} {index}",
                "description": "<p>open</p>",
                "food_case_type": "feedback",
                "food_case_channel": "platform",
                "food_platform_id": platform.id,
                "food_external_ref": f"{prefix}-{index}",
                "food_order_id": order.id,
                "partner_id": order.partner_id.id,
            }
            for index in range(count)
        ]
    )
    env.flush_all()


def deliver_order(order, manager, logistics):
    """Pick, check and hand over the delivery of a confirmed order-center
    order (own van: no tracking number); returns the delivery."""
    picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
    picking.action_assign()
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    picking.with_user(manager).action_food_preship_check()
    assert picking.food_preship_state == "passed", picking.food_preship_result
    picking.with_user(logistics).action_food_handover(tracking_refs=[])
    assert picking.state == "done", picking.state
    return picking


class OrderCenterCommon(TransactionCase):
    """Fixtures shared by the order-center tests: one user per role, a
    platform, a customer and two stocked products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a Chinese food company; the assignment tests turn automatic
        # assignment on with their own rules (demo rules would interfere)
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.env.company.food_auto_assign = False
        cls.users = create_role_users(cls.env, "foc")
        cls.processor = cls.users["processor"]
        cls.processor_2 = new_test_user(
            cls.env,
            login="foc_processor_2",
            groups=f"base.group_user,{ROLE_GROUPS['processor']}",
        )
        cls.manager = cls.users["manager"]
        cls.platform = cls.env["food.sales.platform"].create(
            {"name": "Test Fresh Mall", "code": "test_fresh_mall"}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "上海测试餐厅",
                "phone": "+86 138 0013 8000",
                "street": "南京西路 100 号",
                "city": "上海",
                "zip": "200041",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.dumplings = cls._create_stocked_product("Frozen dumplings", "FOC-T-001", 50)
        cls.noodles = cls._create_stocked_product("Dried noodles", "FOC-T-002", 80)

    @classmethod
    def _create_stocked_product(cls, name, code, qty):
        product = cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
                "list_price": 10.0,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            product, cls.warehouse.lot_stock_id, qty
        )
        return product

    @classmethod
    def _create_order(cls, lines=None, **vals):
        if lines is None:
            lines = [(cls.dumplings, 2), (cls.noodles, 3)]
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **vals,
            }
        )


class OrderCenterTourCommon(HttpCase):
    """Fixtures shared by the browser tours: users who log in with their
    login as password, in English, and customers in China."""

    @classmethod
    def _create_tour_user(cls, login, *roles, email=None):
        return cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": login,
                # the chatter needs an author address for what the user posts
                "email": email or f"{login}@example.com",
                "lang": "en_US",
                "groups_id": [
                    Command.set(
                        [cls.env.ref("base.group_user").id]
                        + [cls.env.ref(ROLE_GROUPS[role]).id for role in roles]
                    )
                ],
            }
        )

    @classmethod
    def _create_tour_customer(cls, name, **vals):
        return cls.env["res.partner"].create(
            {"name": name, "country_id": cls.env.ref("base.cn").id, **vals}
        )

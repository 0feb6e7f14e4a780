# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Carrier scorecard (food.carrier.scorecard, regulation 9.2): each measure
against numbers worked out by hand on a crafted set of deliveries, in
process and over XML-RPC, and who may read it."""

import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import Transport
from odoo.tools import SQL, mute_logger

from .common import create_role_users
from .test_intake import find_none


@tagged("post_install", "-at_install")
class TestCarrierScorecard(HttpCase):
    """Two carriers, five deliveries handed over to them (SF: on time, late;
    ZTO: failed past its promised date, on its way before its promised date,
    delivered without a promised date) and two left out (own van, not handed
    over). T0 is 30 days ago, so that the dates are past whatever the day.

    ===  =====  ========  ============  ===========  ======  =====  ======
    #    carr.  region    promised      delivered    status  price  on time
    ===  =====  ========  ============  ===========  ======  =====  ======
    1    SF     Shanghai  T0 + 26 h     T0 + 24 h    deliv.  20     100
    2    SF     Zhejiang  T0 + 26 h     T0 + 50 h    deliv.  30     0
    3    ZTO    Shanghai  T0 + 26 h     -            failed  25     0
    4    ZTO    Zhejiang  now + 5 days  -            transit 15     -
    5    ZTO    Shanghai  -             T0 + 30 h    deliv.  10     -
    ===  =====  ========  ============  ===========  ======  =====  ======
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write({"food_auto_assign": False, "food_duplicate_window_hours": 0})
        cls.users = create_role_users(cls.env, "foc_csc", password=True)
        cls.logistics = cls.users["logistics"]
        cls.t0 = fields.Datetime.now().replace(microsecond=0) - timedelta(days=30)
        cn = cls.env.ref("base.cn")
        cls.shanghai = cls.env.ref("base.state_cn_SH")
        cls.zhejiang = cls.env.ref("base.state_cn_ZJ")
        cls.customer_sh = cls.env["res.partner"].create(
            {
                "name": "Scorecard Canteen Shanghai",
                "city": "上海",
                "state_id": cls.shanghai.id,
                "country_id": cn.id,
            }
        )
        cls.customer_zj = cls.env["res.partner"].create(
            {
                "name": "Scorecard Canteen Hangzhou",
                "city": "杭州",
                "state_id": cls.zhejiang.id,
                "country_id": cn.id,
            }
        )
        shipping = cls.env["product.product"].create(
            {"name": "Scorecard shipping", "type": "service"}
        )
        cls.sf, cls.zto = cls.env["delivery.carrier"].create(
            [
                {
                    "name": "Scorecard SF",
                    "delivery_type": "fixed",
                    "product_id": shipping.id,
                },
                {
                    "name": "Scorecard ZTO",
                    "delivery_type": "fixed",
                    "product_id": shipping.id,
                },
            ]
        )
        cls.rice = cls.env["product.product"].create(
            {"name": "Scorecard Rice", "is_storable": True}
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.rice, warehouse.lot_stock_id, 100
        )

        def hours(n):
            return cls.t0 + timedelta(hours=n)

        cls.d1 = cls._deliver(cls.sf, cls.customer_sh, "SF9001", 20.0)
        cls.d2 = cls._deliver(cls.sf, cls.customer_zj, "SF9002", 30.0)
        cls.d3 = cls._deliver(cls.zto, cls.customer_sh, "ZT9003", 25.0)
        cls.d4 = cls._deliver(cls.zto, cls.customer_zj, "ZT9004", 15.0)
        cls.d5 = cls._deliver(cls.zto, cls.customer_sh, "ZT9005", 10.0)
        # left out: the own van (no carrier), and a delivery not handed over
        cls.own_van = cls._deliver(False, cls.customer_sh, None, 5.0)
        waiting = cls._order(cls.customer_sh)
        waiting.picking_ids.write({"carrier_id": cls.sf.id, "carrier_price": 7.0})
        cls.waiting = waiting.picking_ids
        # the carrier reports #3 failed (a real event, through the API)
        result = (
            cls.env["stock.picking"]
            .with_user(cls.logistics)
            .record_tracking_events(
                [
                    {
                        "tracking_ref": "ZT9003",
                        "status": "failed",
                        "time": fields.Datetime.to_string(
                            fields.Datetime.now() - timedelta(hours=1)
                        ),
                    }
                ]
            )
        )
        assert result[0]["result"] == "applied", result
        # the facts, at known times
        for picking, handover, delivered in (
            (cls.d1, hours(2), hours(24)),
            (cls.d2, hours(2), hours(50)),
            (cls.d3, hours(3), False),
            (cls.d4, hours(4), False),
            (cls.d5, hours(5), hours(30)),
        ):
            picking._write_food_trusted(
                {"food_handover_date": handover, "food_delivered_date": delivered}
            )
        cls.env.flush_all()
        promised = {
            cls.d1: hours(26),
            cls.d2: hours(26),
            cls.d3: hours(26),
            cls.d4: fields.Datetime.now() + timedelta(days=5),
            cls.d5: None,
        }
        for picking, date in promised.items():
            cls.env.cr.execute(
                "UPDATE sale_order SET commitment_date = %s WHERE id = %s",
                (date, picking.sale_id.id),
            )
        cls.env.invalidate_all()
        cls.deliveries = cls.d1 | cls.d2 | cls.d3 | cls.d4 | cls.d5
        cls.domain = [
            ("picking_id", "in", (cls.deliveries | cls.own_van | cls.waiting).ids)
        ]

    @classmethod
    def _order(cls, customer):
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": cls.rice.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _deliver(cls, carrier, customer, tracking_ref, price):
        picking = cls._order(customer).picking_ids
        picking.carrier_price = price
        picking.with_user(cls.logistics).action_food_handover(
            carrier_id=carrier.id if carrier else None,
            tracking_refs=[tracking_ref] if tracking_ref else [],
        )
        assert picking.state == "done", picking.state
        return picking

    def _read(self, user, groupby):
        return (
            self.env["food.carrier.scorecard"]
            .with_user(user)
            ._read_group(
                self.domain,
                groupby,
                [
                    "delivery_count:sum",
                    "on_time:avg",
                    "failed:sum",
                    "failure_rate:avg",
                    "cost:sum",
                    "cost_per_delivery:avg",
                ],
            )
        )

    def test_rows(self):
        Scorecard = self.env["food.carrier.scorecard"].with_user(self.users["manager"])
        rows = {row.picking_id: row for row in Scorecard.search(self.domain)}
        # only the deliveries handed over to a carrier
        self.assertEqual(set(rows), set(self.deliveries))
        d1, d3, d4 = rows[self.d1], rows[self.d3], rows[self.d4]
        self.assertEqual(d1.carrier_id, self.sf)
        self.assertEqual(d1.order_id, self.d1.sale_id)
        self.assertEqual(d1.date, self.t0 + timedelta(hours=2))
        self.assertEqual((d1.state_id, d1.city), (self.shanghai, "上海"))
        self.assertEqual(rows[self.d2].state_id, self.zhejiang)
        self.assertEqual((d1.on_time, rows[self.d2].on_time), (100.0, 0.0))
        # failed past its promised date: late, and failed
        self.assertEqual((d3.on_time, d3.failed, d3.failure_rate), (0.0, 1, 100.0))
        self.assertEqual(d3.transport_status, "failed")
        self.assertEqual((d1.failed, d4.failed), (0, 0))
        self.assertEqual((d1.cost, d1.cost_per_delivery), (20.0, 20.0))
        # not yet due, and no promised date: left out of the rate
        self.env.cr.execute(
            SQL(
                "SELECT picking_id, on_time FROM %s s WHERE picking_id IN %s",
                Scorecard._table_sql,
                tuple((self.d4 | self.d5).ids),
            )
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()), {self.d4.id: None, self.d5.id: None}
        )

    def test_figures_per_carrier(self):
        groups = {
            carrier: figures
            for carrier, *figures in self._read(self.users["manager"], ["carrier_id"])
        }
        self.assertEqual(set(groups), {self.sf, self.zto})
        # SF: 2 deliveries, 1 of 2 on time, none failed, 20 + 30
        count, on_time, failed, rate, cost, per_delivery = groups[self.sf]
        self.assertEqual((count, failed, cost), (2, 0, 50.0))
        self.assertAlmostEqual(on_time, 50.0)
        self.assertAlmostEqual(rate, 0.0)
        self.assertAlmostEqual(per_delivery, 25.0)
        # ZTO: 3 deliveries, on time counted on #3 only (0), #3 failed,
        # 25 + 15 + 10
        count, on_time, failed, rate, cost, per_delivery = groups[self.zto]
        self.assertEqual((count, failed, cost), (3, 1, 50.0))
        self.assertAlmostEqual(on_time, 0.0)
        self.assertAlmostEqual(rate, 100.0 / 3)
        self.assertAlmostEqual(per_delivery, 50.0 / 3)

    def test_figures_per_region_and_total(self):
        regions = {
            state: figures
            for state, *figures in self._read(self.users["logistics"], ["state_id"])
        }
        # Shanghai: #1 (100), #3 (0), #5 (no promise); Zhejiang: #2 (0), #4
        count, on_time, failed, _rate, cost, _per = regions[self.shanghai]
        self.assertEqual((count, failed, cost), (3, 1, 55.0))
        self.assertAlmostEqual(on_time, 50.0)
        count, on_time, failed, _rate, cost, _per = regions[self.zhejiang]
        self.assertEqual((count, failed, cost), (2, 0, 45.0))
        self.assertAlmostEqual(on_time, 0.0)
        [(count, on_time, failed, rate, cost, per_delivery)] = self._read(
            self.users["manager"], []
        )
        self.assertEqual((count, failed, cost), (5, 1, 100.0))
        self.assertAlmostEqual(on_time, 100.0 / 3)
        self.assertAlmostEqual(rate, 20.0)
        self.assertAlmostEqual(per_delivery, 20.0)

    def test_roles(self):
        for role in ("manager", "logistics"):
            self.env["food.carrier.scorecard"].with_user(self.users[role]).search(
                self.domain
            )
        for role in ("receiver", "processor", "inventory", "aftersales"):
            with self.assertRaises(AccessError):
                self.env["food.carrier.scorecard"].with_user(self.users[role]).search(
                    self.domain
                )

    def test_menu_per_role(self):
        menu = self.env.ref("food_order_center.food_carrier_scorecard_menu")
        parents = {int(menu_id) for menu_id in menu.parent_path.split("/") if menu_id}
        for role, shown in (
            ("manager", True),
            ("logistics", True),
            ("processor", False),
            ("aftersales", False),
        ):
            visible = (
                self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
            )
            self.assertEqual(parents <= visible, shown, role)
        # the other reports of the menu stay the managers'
        logistics_menus = (
            self.env["ir.ui.menu"].with_user(self.logistics)._visible_menu_ids()
        )
        reporting = self.env.ref("food_order_center.menu_order_center_reporting")
        self.assertEqual(
            self.env["ir.ui.menu"]
            .browse(logistics_menus)
            .filtered(lambda m: m.parent_id == reporting),
            menu,
        )

    def test_read_group_over_xmlrpc(self):
        """What a BI tool reads: the figures per carrier, no None."""
        rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )
        user = self.logistics
        groups = rpc.execute_kw(
            get_db_name(),
            user.id,
            user.login,
            "food.carrier.scorecard",
            "read_group",
            [
                self.domain,
                [
                    "delivery_count:sum",
                    "on_time:avg",
                    "failed:sum",
                    "cost:sum",
                    "cost_per_delivery:avg",
                ],
                ["carrier_id"],
            ],
            {"lazy": False},
        )
        self.assertFalse(find_none(groups), groups)
        by_carrier = {group["carrier_id"][0]: group for group in groups}
        self.assertEqual(set(by_carrier), {self.sf.id, self.zto.id})
        sf, zto = by_carrier[self.sf.id], by_carrier[self.zto.id]
        self.assertEqual((sf["delivery_count"], sf["failed"]), (2, 0))
        self.assertAlmostEqual(sf["on_time"], 50.0)
        self.assertAlmostEqual(sf["cost"], 50.0)
        self.assertAlmostEqual(sf["cost_per_delivery"], 25.0)
        self.assertEqual((zto["delivery_count"], zto["failed"]), (3, 1))
        self.assertAlmostEqual(zto["on_time"], 0.0)
        self.assertAlmostEqual(zto["cost_per_delivery"], 50.0 / 3)
        # a processor is refused
        processor = self.users["processor"]
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as error:
            rpc.execute_kw(
                get_db_name(),
                processor.id,
                processor.login,
                "food.carrier.scorecard",
                "read_group",
                [self.domain, ["delivery_count:sum"], ["carrier_id"]],
            )
        # RPC_FAULT_CODE_ACCESS_ERROR
        self.assertEqual(error.exception.faultCode, 4, error.exception.faultString)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer follows an order-center order on the portal (R12): its
stage, the tracking links of its deliveries and the transport timeline."""

import base64
from datetime import date, timedelta

from lxml import html

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import OrderCenterCommon

# a 1x1 PNG: the photo proof of a delivery by the company's own van
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
)
TRACKING_URL = "https://sf.example.com/track/%s"


# days of the events: recent (the API refuses events older than 90 days),
# times of day fixed (the page shows them in Shanghai time)
DAY_1, DAY_2, DAY_3 = (
    (date.today() - timedelta(days=days)).isoformat() for days in (6, 5, 4)
)


@tagged("post_install", "-at_install")
class TestPortal(OrderCenterCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a database may be installed in Chinese only
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["food_order_center"], ["zh_CN"])
        product = cls.env["product.product"].create(
            {"name": "Test SF shipping", "type": "service"}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Test SF Express",
                "delivery_type": "fixed",
                "product_id": product.id,
                "tracking_url": TRACKING_URL % "<shipmenttrackingnumber>",
            }
        )
        cls.customer.write(
            {
                "email": "shanghai.restaurant@example.com",
                "lang": "en_US",
                "tz": "Asia/Shanghai",
            }
        )
        cls.zh_customer = cls.env["res.partner"].create(
            {
                "name": "杭州测试餐厅",
                "email": "hangzhou.restaurant@example.com",
                "city": "杭州",
                "country_id": cls.env.ref("base.cn").id,
                "lang": "zh_CN",
                "tz": "Asia/Shanghai",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other restaurant", "email": "other@example.com"}
        )
        cls._create_portal_user("foc_portal", cls.customer)
        cls._create_portal_user("foc_portal_zh", cls.zh_customer)
        cls._create_portal_user("foc_portal_other", cls.other_customer)

        # two packages, one tracking number each, and three carrier events
        cls.order = cls._ship(cls.customer, ["SF9101", "SF9102"])
        cls._events(
            [
                ("SF9101", "in_transit", f"{DAY_1} 02:30:00", "上海转运中心", ""),
                ("SF9102", "in_transit", f"{DAY_1} 03:00:00", "上海转运中心", ""),
                ("SF9101", "out_for_delivery", f"{DAY_1} 06:00:00", "杭州", "王师傅"),
            ]
        )

    @classmethod
    def _create_portal_user(cls, login, partner):
        return cls.env["res.users"].create(
            {
                "login": login,
                "password": login,
                "partner_id": partner.id,
                # res.users would give the partner the default language
                "lang": partner.lang,
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )

    @classmethod
    def _ship(cls, partner, refs, carrier=True):
        """An order-center order of ``partner`` handed over to the carrier,
        one package per product when several tracking numbers are given."""
        order = cls._create_order(
            partner_id=partner.id,
            intake_channel="online_platform",
            platform_id=cls.platform.id,
            external_ref=f"TFM-PORTAL-{partner.id}-{'-'.join(refs)}",
        )
        order.with_user(cls.manager).action_confirm_unverified("Portal test")
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
            if len(refs) > 1:
                picking.action_put_in_pack()
        picking.with_user(cls.manager).action_food_preship_check()
        assert picking.food_preship_state == "passed", picking.food_preship_result
        picking.with_user(cls.users["logistics"]).action_food_handover(
            carrier_id=cls.carrier.id if carrier else None, tracking_refs=refs
        )
        return order

    @classmethod
    def _events(cls, events):
        result = (
            cls.env["stock.picking"]
            .with_user(cls.users["logistics"])
            .record_tracking_events(
                [
                    {
                        "tracking_ref": ref,
                        "status": status,
                        "time": time,
                        "location": location,
                        "note": note,
                    }
                    for ref, status, time, location, note in events
                ]
            )
        )
        assert all(r["result"] == "applied" for r in result), result

    def _page(self, order, login=None, access_token=None):
        """The order's portal page as ``login`` (anonymous when None)."""
        self.authenticate(login, login)
        return self._get(order, access_token)

    def _get(self, order, access_token=None):
        # a visitor whose language is not the database's is sent to
        # /<lang>/my/orders/...
        url = f"/my/orders/{order.id}"
        if access_token:
            url += f"?access_token={access_token}"
        response = self.url_open(url)
        doc = html.fromstring(response.content or b"<html/>")
        return response, doc

    def _texts(self, nodes):
        return [" ".join(node.text_content().split()) for node in nodes]

    def _check_progress(self, doc, stage, deliveries, statuses):
        self.assertEqual(
            self._texts(doc.xpath("//tr[@id='food_order_center_stage']/td")), [stage]
        )
        rows = doc.xpath(
            "//section[@id='food_order_tracking']//tr[@name='food_delivery']"
        )
        self.assertEqual(
            [
                {
                    a.text_content(): a.get("href")
                    for a in row.xpath(".//td[@name='tracking_refs']//a")
                }
                for row in rows
            ],
            deliveries,
        )
        self.assertEqual(
            self._texts(
                doc.xpath("//li[@name='food_tracking_event']//*[@name='status']")
            ),
            statuses,
        )

    def test_customer_follows_the_order(self):
        response, doc = self._page(self.order, "foc_portal")
        self.assertEqual(response.status_code, 200)
        self._check_progress(
            doc,
            "Shipped",
            [
                {
                    "SF9101": TRACKING_URL % "SF9101",
                    "SF9102": TRACKING_URL % "SF9102",
                }
            ],
            ["Out for Delivery", "In Transit", "In Transit"],
        )
        self.assertEqual(
            self._texts(doc.xpath("//td[@name='transport_status']")),
            ["Out for Delivery"],
        )
        self.assertEqual(
            self._texts(
                doc.xpath("//li[@name='food_tracking_event']//*[@name='location']")
            ),
            ["杭州", "上海转运中心", "上海转运中心"],
        )
        self.assertEqual(
            self._texts(
                doc.xpath("//li[@name='food_tracking_event']//*[@name='note']")
            ),
            ["王师傅"],
        )
        # in the customer's time zone (Shanghai, UTC+8)
        times = self._texts(doc.xpath("//*[@name='event_time']"))
        self.assertEqual(len(times), 3)
        self.assertIn("14:00", times[0])
        self.assertIn("10:30", times[2])

    def test_customer_follows_the_order_with_the_link(self):
        """The link of the order's e-mails opens the page without login, in
        the customer's time zone whatever the visitor's."""
        token = self.order._portal_ensure_token()
        self.authenticate(None, None)
        # the visitor's language (the database's by default)
        self.opener.cookies["frontend_lang"] = "en_US"
        response, doc = self._get(self.order, access_token=token)
        self.assertEqual(response.status_code, 200)
        self._check_progress(
            doc,
            "Shipped",
            [
                {
                    "SF9101": TRACKING_URL % "SF9101",
                    "SF9102": TRACKING_URL % "SF9102",
                }
            ],
            ["Out for Delivery", "In Transit", "In Transit"],
        )
        times = self._texts(doc.xpath("//*[@name='event_time']"))
        self.assertIn("10:30", times[2])

    def test_chinese_customer_reads_chinese(self):
        order = self._ship(self.zh_customer, ["SF9201"])
        self._events(
            [
                ("SF9201", "in_transit", f"{DAY_2} 01:00:00", "上海", ""),
                ("SF9201", "delivered", f"{DAY_2} 05:00:00", "杭州", ""),
            ]
        )
        response, doc = self._page(order, "foc_portal_zh")
        self.assertEqual(response.status_code, 200)
        self._check_progress(
            doc,
            "已送达",
            [{"SF9201": TRACKING_URL % "SF9201"}],
            ["已送达", "运输中"],
        )

    def test_own_van_delivery(self):
        order = self._ship(self.customer, [], carrier=False)
        picking = order.picking_ids
        self.env["ir.attachment"].create(
            {
                "name": "receipt.png",
                "datas": PNG,
                "res_model": "stock.picking",
                "res_id": picking.id,
            }
        )
        picking.with_user(self.users["logistics"]).action_food_mark_delivered()
        response, doc = self._page(order, "foc_portal")
        self.assertEqual(response.status_code, 200)
        self._check_progress(doc, "Delivered", [{}], ["Delivered"])
        self.assertEqual(
            self._texts(doc.xpath("//td[@name='carrier']")), ["Our own van"]
        )
        # the note names the coordinator who recorded it: for the staff
        self.assertFalse(
            doc.xpath("//li[@name='food_tracking_event']//*[@name='note']")
        )

    def test_other_customers_see_nothing(self):
        self.order._portal_ensure_token()
        for login, token in (("foc_portal_other", None), (None, "wrong-token")):
            with self.subTest(login=login, token=token):
                response, doc = self._page(self.order, login, access_token=token)
                # sent to the portal's home (or the login page)
                self.assertTrue(response.history)
                self.assertNotIn(f"/my/orders/{self.order.id}", response.url)
                self.assertFalse(doc.xpath("//*[@id='food_order_tracking']"))
                self.assertNotIn(self.order.name, response.text)
                self.assertNotIn("SF9101", response.text)

    def test_nothing_shown_for_other_orders(self):
        """Orders of other flows (Sales app, e-commerce) keep Odoo's page."""
        order = self._create_order()
        order.action_confirm()
        order.picking_ids.with_user(self.users["logistics"]).action_food_handover(
            carrier_id=self.carrier.id, tracking_refs=["SF9301"]
        )
        response, doc = self._page(order, "foc_portal")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(doc.xpath("//*[@id='sale_info_table']"))
        self.assertFalse(doc.xpath("//*[@id='food_order_center_stage']"))
        self.assertFalse(doc.xpath("//*[@id='food_order_tracking']"))
        # an order-center order not shipped yet: its stage, no tracking
        order = self._create_order(
            intake_channel="online_platform",
            platform_id=self.platform.id,
            external_ref="TFM-PORTAL-NOT-SHIPPED",
        )
        order.with_user(self.manager).action_confirm_unverified("Portal test")
        response, doc = self._page(order, "foc_portal")
        labels = dict(self.env["sale.order"]._fields["order_center_stage"].selection)
        self.assertEqual(
            self._texts(doc.xpath("//tr[@id='food_order_center_stage']/td")),
            [labels[order.order_center_stage]],
        )
        self.assertFalse(doc.xpath("//*[@id='food_order_tracking']"))

    def test_events_read_once(self):
        """The page reads the events at once, whatever their number."""
        busy = self._ship(self.customer, ["SF9401"])
        self._events(
            [
                ("SF9401", "in_transit", f"{DAY_3} {hour:02d}:00:00", "上海", "")
                for hour in range(12)
            ]
        )
        quiet = self._ship(self.customer, ["SF9402"])
        self._events([("SF9402", "in_transit", f"{DAY_3} 00:00:00", "上海", "")])

        self.authenticate("foc_portal", "foc_portal")

        def queries(order):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            response, doc = self._get(order)
            self.assertEqual(response.status_code, 200)
            return self.cr.sql_log_count - before, doc

        queries(quiet)  # warm-up: the caches of the first request
        quiet_count, doc = queries(quiet)
        self.assertEqual(len(doc.xpath("//li[@name='food_tracking_event']")), 1)
        busy_count, doc = queries(busy)
        self.assertEqual(len(doc.xpath("//li[@name='food_tracking_event']")), 12)
        self.assertEqual(busy_count, quiet_count)

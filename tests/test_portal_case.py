# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer reports a problem from the order's portal page (R17): an
after-sales case with the channel portal, over real HTTP."""

from urllib.parse import parse_qs, urlparse

from lxml import html

from odoo import Command, http
from odoo.tests import HttpCase, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestPortalCase(OrderCenterCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.customer.write({"email": "canteen@example.com", "lang": "en_US"})
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other canteen", "email": "other@example.com", "lang": "en_US"}
        )
        for login, partner in (
            ("foc_case_portal", cls.customer),
            ("foc_case_portal_other", cls.other_customer),
        ):
            cls.env["res.users"].create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "lang": "en_US",
                    "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
                }
            )
        cls.order = cls._create_order(intake_channel="other")
        cls.order.with_user(cls.users["manager"]).action_confirm_unverified(
            "Portal case test"
        )
        assert cls.order.state == "sale"
        cls.Case = cls.env["helpdesk.ticket"]

    def _report(self, order=None, token=None, **data):
        order = order or self.order
        payload = {"csrf_token": http.Request.csrf_token(self), **data}
        if token:
            payload["access_token"] = token
        return self.url_open(
            f"/my/orders/{order.id}/report_problem", data=payload, allow_redirects=False
        )

    def _cases(self, order=None):
        return self.Case.search(
            [
                ("food_order_id", "=", (order or self.order).id),
                ("food_case_channel", "=", "portal"),
            ]
        )

    def test_customer_reports_a_problem(self):
        self.authenticate("foc_case_portal", "foc_case_portal")
        page = html.fromstring(self.url_open(self.order.get_portal_url()).content)
        options = page.xpath("//form[@name='food_report_problem']//option/@value")
        self.assertIn("complaint", options)
        response = self._report(
            case_type="quality", description="The eggs were broken."
        )
        self.assertEqual(response.status_code, 303)
        case = self._cases()
        self.assertEqual(len(case), 1)
        self.assertEqual(case.food_case_type, "quality")
        self.assertEqual(case.partner_id, self.customer)
        self.assertIn("The eggs were broken.", case.description)
        self.assertTrue(case.food_response_deadline)
        # back on the order page, which shows the case number
        location = response.headers["Location"]
        self.assertEqual(parse_qs(urlparse(location).query)["food_case"], [case.number])
        page = html.fromstring(self.url_open(location).content)
        self.assertIn(
            case.number, page.xpath("string(//section[@id='food_report_problem'])")
        )

    def test_anonymous_with_the_orders_link(self):
        self.authenticate(None, None)
        token = self.order._portal_ensure_token()
        self._report(token=token, case_type="inquiry", description="When?")
        self.assertEqual(self._cases().partner_id, self.customer)

    def test_bad_reports_create_nothing(self):
        self.authenticate("foc_case_portal", "foc_case_portal")
        bad = [
            ({"case_type": "hack", "description": "x"}, "case_type"),
            ({"case_type": "complaint", "description": "   "}, "description"),
            ({"case_type": "complaint", "description": "x" * 5001}, "description"),
            ({"case_type": "complaint"}, "description"),
        ]
        for data, error in bad:
            with self.subTest(data=str(data)[:60]):
                response = self._report(**data)
                query = parse_qs(urlparse(response.headers["Location"]).query)
                self.assertEqual(query["food_case_error"], [error])
        self.assertFalse(self._cases())
        # a quotation is not reported on
        quotation = self._create_order(intake_channel="other")
        self._report(order=quotation, case_type="complaint", description="x")
        self.assertFalse(self._cases(quotation))

    def test_other_customers_cannot_report_on_the_order(self):
        self.authenticate("foc_case_portal_other", "foc_case_portal_other")
        response = self._report(case_type="complaint", description="Not mine")
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my")
        self.authenticate(None, None)
        response = self._report(token="wrong", case_type="complaint", description="x")
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my")
        self.assertFalse(self._cases())

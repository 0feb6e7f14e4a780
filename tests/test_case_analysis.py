# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""After-sales figures (food.case.analysis): each measure against numbers
worked out by hand on a crafted set of cases, in process and over
XML-RPC."""

import xmlrpc.client
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import Transport

from .common import create_role_users
from .test_intake import find_none

T0 = datetime(2026, 11, 2, 9, 0, 0)


def hours(n):
    return T0 + timedelta(hours=n)


@tagged("post_install", "-at_install")
class TestCaseAnalysis(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env, "foc_kpi", password=True)
        customer = cls.env["res.partner"].create({"name": "KPI Canteen"})
        product = cls.env["product.product"].create({"name": "KPI Rice"})
        Case = cls.env["helpdesk.ticket"]

        def case(case_type, **vals):
            return Case.create(
                {
                    "name": f"KPI {case_type}",
                    "description": "<p>KPI</p>",
                    "food_case_type": case_type,
                    "food_case_channel": "hotline",
                    "partner_id": customer.id,
                    **vals,
                }
            )

        # A: answered in 2 h (on time), solved in 30 h (late), rated 5,
        # compensated 80 (and 50 refused)
        cls.case_a = case("complaint", food_company_at_fault=True)
        # B: answered in 6 h (late), still open within its solution
        # deadline, rated 3, two returns of which one refused
        cls.case_b = case("return")
        # C: never answered, both deadlines passed, not rated
        cls.case_c = case("inquiry")
        # not an after-sales case: left out
        cls.ticket = Case.create({"name": "Printer", "description": "<p>x</p>"})
        cases = cls.case_a | cls.case_b | cls.case_c
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = ANY(%s)",
            (T0, cases.ids),
        )
        cases.invalidate_recordset(["create_date"])
        far = fields.Datetime.now() + timedelta(days=10)
        for record, vals in (
            (
                cls.case_a,
                {
                    "food_response_deadline": hours(4),
                    "food_first_response_date": hours(2),
                    "food_resolution_deadline": hours(24),
                    "food_resolved_date": hours(30),
                },
            ),
            (
                cls.case_b,
                {
                    "food_response_deadline": hours(4),
                    "food_first_response_date": hours(6),
                    "food_resolution_deadline": far,
                    "food_resolved_date": False,
                },
            ),
            (
                cls.case_c,
                {
                    "food_response_deadline": hours(1),
                    "food_first_response_date": False,
                    "food_resolution_deadline": hours(8),
                    "food_resolved_date": False,
                },
            ),
        ):
            record._write_food_trusted(vals)
        # the customers' ratings, as the survey link records them
        for record, score in ((cls.case_a, 5), (cls.case_b, 3)):
            record.rating_apply(score, token=record._rating_get_access_token())
        Compensation = cls.env["food.case.compensation"]
        approved = Compensation.create(
            {"case_id": cls.case_a.id, "kind": "voucher", "amount": 80.0}
        )
        approved._write_food_trusted({"state": "approved"})
        refused = Compensation.create(
            {"case_id": cls.case_a.id, "kind": "gift", "amount": 50.0}
        )
        refused._write_food_trusted({"state": "refused"})
        operation = cls.env.ref("rma.rma_operation_refund")
        rmas = cls.env["rma"].create(
            [
                {
                    "partner_id": customer.id,
                    "product_id": product.id,
                    "product_uom_qty": 1,
                    "operation_id": operation.id,
                    "food_case_id": cls.case_b.id,
                }
                for _index in range(2)
            ]
        )
        rmas[0].write({"state": "cancelled", "food_refusal_reason": "Too late"})
        cls.env.flush_all()
        cls.domain = [("case_id", "in", cases.ids)]

    def test_measures_by_hand(self):
        Analysis = self.env["food.case.analysis"].with_user(self.users["manager"])
        rows = {row.case_id: row for row in Analysis.search(self.domain)}
        self.assertEqual(set(rows), {self.case_a, self.case_b, self.case_c})
        self.assertFalse(Analysis.search([("case_id", "=", self.ticket.id)]))
        a, b, c = rows[self.case_a], rows[self.case_b], rows[self.case_c]
        self.assertAlmostEqual(a.response_hours, 2.0)
        self.assertAlmostEqual(a.resolution_hours, 30.0)
        self.assertEqual((a.response_on_time, a.resolution_on_time), (100.0, 0.0))
        self.assertAlmostEqual(b.response_hours, 6.0)
        self.assertEqual(b.response_on_time, 0.0)
        self.assertEqual(c.response_on_time, 0.0)
        self.assertEqual(c.resolution_on_time, 0.0)
        self.assertEqual((a.satisfaction, b.satisfaction, c.satisfaction), (5, 3, 0))
        self.assertEqual((a.rated, b.rated, c.rated), (1, 1, 0))
        self.assertEqual(a.compensation_amount, 80.0)
        self.assertEqual((b.return_count, b.refused_return_count), (2, 1))
        self.assertTrue(a.company_at_fault)

        [total] = Analysis._read_group(
            self.domain,
            [],
            [
                "__count",
                "response_hours:avg",
                "resolution_hours:avg",
                "response_on_time:avg",
                "resolution_on_time:avg",
                "satisfaction:avg",
                "rated:sum",
                "compensation_amount:sum",
                "return_count:sum",
                "refused_return_count:sum",
            ],
        )
        self.assertEqual(total[0], 3)
        # answered: A 2 h and B 6 h; C never answered
        self.assertAlmostEqual(total[1], 4.0)
        # solved: A only
        self.assertAlmostEqual(total[2], 30.0)
        # on time: A answered in time, B late, C past its deadline unanswered
        self.assertAlmostEqual(total[3], 100.0 / 3)
        # solved on time: A late, C past its deadline; B still has time
        self.assertAlmostEqual(total[4], 0.0)
        # rated: A 5 and B 3
        self.assertAlmostEqual(total[5], 4.0)
        self.assertEqual(total[6:], (2, 80.0, 2, 1))

    def test_roles(self):
        for role in ("manager", "aftersales"):
            self.env["food.case.analysis"].with_user(self.users[role]).search(
                self.domain
            )
        for role in ("receiver", "processor", "inventory", "logistics"):
            with self.assertRaises(AccessError):
                self.env["food.case.analysis"].with_user(self.users[role]).search(
                    self.domain
                )

    def test_read_group_over_xmlrpc(self):
        """What a BI tool reads: the figures per case type, no None."""
        rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )
        user = self.users["manager"]
        groups = rpc.execute_kw(
            get_db_name(),
            user.id,
            user.login,
            "food.case.analysis",
            "read_group",
            [
                self.domain,
                [
                    "response_hours:avg",
                    "response_on_time:avg",
                    "satisfaction:avg",
                    "compensation_amount:sum",
                ],
                ["case_type"],
            ],
            {"lazy": False},
        )
        self.assertFalse(find_none(groups), groups)
        by_type = {group["case_type"]: group for group in groups}
        self.assertEqual(set(by_type), {"complaint", "return", "inquiry"})
        self.assertAlmostEqual(by_type["complaint"]["response_hours"], 2.0)
        self.assertAlmostEqual(by_type["return"]["satisfaction"], 3.0)
        self.assertEqual(by_type["complaint"]["compensation_amount"], 80.0)
        self.assertEqual(by_type["inquiry"]["response_on_time"], 0.0)
        self.assertEqual(by_type["inquiry"]["__count"], 1)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cost of the case intake API (``helpdesk.ticket.intake_cases``): a
constant number of queries per case, whatever the number of open cases."""

import logging

from odoo.tests import new_test_user, tagged

from .common import OrderCenterCommon, create_open_cases

_logger = logging.getLogger(__name__)

BATCH = 100
# Queries per new case (two product lines, a contact found by phone): 13.41
# measured (1,341 for 100 cases), nearly all of them the cost of creating one
# ticket (number, stage, creation message, followers, rating) and finding its
# contact by phone; the platform, order, products, lots and duplicates are
# looked up, and the deadlines planned, once per call.
QUERIES_PER_CASE = 14
# Queries of the 100 cases sent again: 11 measured (the references and the
# cases already received, each looked up once for the whole batch)
QUERIES_PER_RESENT_BATCH = 13


@tagged("post_install", "-at_install")
class TestCaseIntakePerf(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = new_test_user(
            cls.env,
            login="foc_perf_cases",
            groups="food_order_center.group_order_intake",
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "李娜",
                "parent_id": cls.customer.id,
                "phone": "+86 139 0000 6666",
            }
        )
        cls.sauce = cls.env["product.product"].create(
            {
                "name": "Perf chili sauce",
                "default_code": "FOC-PERF-C1",
                "barcode": "6900000000987",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.env["stock.lot"].create({"name": "PERF-LOT-1", "product_id": cls.sauce.id})
        # the order of every case, new and open: what grows with its cases
        cls.order = cls._create_order(
            intake_channel="online_platform",
            platform_id=cls.platform.id,
            external_ref="PERF-ORDER-1",
        )
        cls.order.action_confirm()
        cls.Case = cls.env["helpdesk.ticket"]
        cls.open_domain = [("food_case_type", "!=", False), ("closed", "=", False)]

    def _payload(self, ref):
        return {
            "channel": "platform",
            "platform": self.platform.code,
            "external_ref": ref,
            "order_ref": "PERF-ORDER-1",
            "customer": {"name": "李娜", "phone": "+86 139 0000 6666"},
            "case_type": "complaint",
            "description": f"Cold chain broken ({ref})",
            "lines": [
                {"product_code": "FOC-PERF-C1", "lot": "PERF-LOT-1", "qty": 2},
                {"barcode": "6900000000987", "qty": 1},
            ],
        }

    def _open_cases(self, total, prefix):
        """Bring the open cases up to ``total``, in one create call."""
        count = total - self.Case.search_count(self.open_domain)
        create_open_cases(self.env, count, prefix, self.order, self.platform)
        self.assertEqual(self.Case.search_count(self.open_domain), total)

    def _intake(self, prefix, count=BATCH, expected="created"):
        """Queries of one intake_cases call of ``count`` cases, and its
        results, all ``expected``."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        results = self.Case.with_user(self.api_user).intake_cases(
            [self._payload(f"{prefix}-{index}") for index in range(count)]
        )
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(
            [r["result"] for r in results], [expected] * count, results[:3]
        )
        return queries, results

    def test_queries_do_not_grow_with_open_cases(self):
        # warm-up: the caches of the first call (xml ids, sequences, models);
        # its case is removed so that the first count runs with 10 open cases
        self._intake("WARM", count=1)
        _queries, warm = self._intake("WARM", count=1, expected="duplicate")
        self.Case.browse(warm[0]["case_id"]).unlink()
        self._open_cases(10, "OPEN-A")
        few, results = self._intake("FEW")
        created = self.Case.browse([r["case_id"] for r in results])
        self.assertEqual(created.food_order_id, self.order)
        self.assertEqual(created.partner_id, self.contact)
        self.assertEqual(len(created.food_line_ids), 2 * BATCH)
        # the same batch sent again: its cases are found in one query
        few_again, _results = self._intake("FEW", expected="duplicate")

        self._open_cases(1000, "OPEN-B")
        many, _results = self._intake("MANY")
        many_again, results = self._intake("MANY", expected="duplicate")
        self.assertTrue(all(r["case_number"] for r in results))

        _logger.info(
            "intake_cases, %s new cases: %s queries with 10 open cases, %s with "
            "1,000; sent again: %s and %s",
            BATCH,
            few,
            many,
            few_again,
            many_again,
        )
        self.assertEqual(many, few)
        self.assertEqual(many_again, few_again)
        self.assertLessEqual(few, BATCH * QUERIES_PER_CASE)
        self.assertLessEqual(few_again, QUERIES_PER_RESENT_BATCH)

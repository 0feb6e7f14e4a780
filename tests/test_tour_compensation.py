# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestCompensationTour(OrderCenterTourCommon):
    """The order center manager approves a compensation above the threshold
    (static/tests/tours/compensation_approval.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_compensation_approval_amount = 500.0
        cls.manager = cls._create_tour_user("tour_cpl_manager", "manager")
        cls.aftersales = cls._create_tour_user("tour_cpl_aftersales", "aftersales")
        cls.customer = cls._create_tour_customer(
            "Tour Compensation Canteen 赔偿测试餐厅", email="canteen@tour.example.com"
        )
        case = (
            cls.env["helpdesk.ticket"]
            .with_user(cls.aftersales)
            .create(
                {
                    "name": "Tour complaint",
                    "description": "<p>冷链中断，饺子解冻。</p>",
                    "food_case_type": "complaint",
                    "partner_id": cls.customer.id,
                    "food_root_cause": "logistics",
                    "food_findings": "冷藏箱未关闭。",
                    "food_company_at_fault": True,
                }
            )
        )
        # one the manager approves, and one under the threshold, not listed
        cls.compensation = (
            cls.env["food.case.compensation"]
            .with_user(cls.aftersales)
            .create({"case_id": case.id, "kind": "refund", "amount": 800.0})
        )
        cls.compensation.action_request()
        small = (
            cls.env["food.case.compensation"]
            .with_user(cls.aftersales)
            .create({"case_id": case.id, "kind": "voucher", "amount": 20.0})
        )
        small.action_request()

    def test_manager_approves_a_compensation(self):
        self.assertEqual(self.compensation.state, "to_approve")
        self.start_tour(
            "/odoo",
            "food_order_center_compensation_approval",
            login="tour_cpl_manager",
        )
        self.assertEqual(self.compensation.state, "approved")
        self.assertEqual(self.compensation.approved_by_id, self.manager)

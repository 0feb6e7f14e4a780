# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Approval of a compensation above the threshold over real XML-RPC."""

from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import create_role_users, execute_kw
from .test_intake import find_none


@tagged("post_install", "-at_install")
class TestComplaintsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_compensation_approval_amount = 500.0
        cls.users = create_role_users(cls.env, "foc_cpl_rpc")
        cls.customer = cls.env["res.partner"].create(
            {"name": "成都测试火锅店", "email": "hotpot@cd.example.com"}
        )
        cls.case = (
            cls.env["helpdesk.ticket"]
            .with_user(cls.users["aftersales"])
            .create(
                {
                    "name": "Frozen dumplings thawed",
                    "description": "<p>Thawed on arrival.</p>",
                    "food_case_type": "complaint",
                    "partner_id": cls.customer.id,
                    "food_root_cause": "logistics",
                    "food_findings": "The cold box was left open.",
                    "food_company_at_fault": True,
                }
            )
        )

    def _call(self, role, method, *args, **kwargs):
        return execute_kw(
            self,
            self.users[role],
            f"foc_cpl_rpc_{role}",
            "food.case.compensation",
            method,
            *args,
            **kwargs,
        )

    def _request(self, amount):
        compensation_id = self._call(
            "aftersales",
            "create",
            {"case_id": self.case.id, "kind": "refund", "amount": amount},
        )
        self.assertIs(
            self._call("aftersales", "action_request", [compensation_id]), True
        )
        return compensation_id

    def _read(self, compensation_id):
        [values] = self._call(
            "manager",
            "read",
            [compensation_id],
            ["state", "approved_by_id", "approval_date", "move_id", "amount"],
        )
        self.assertFalse(find_none(values), values)
        return values

    def test_approval_above_the_threshold(self):
        compensation_id = self._request(800.0)
        self.assertEqual(self._read(compensation_id)["state"], "to_approve")
        with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
            self._call("aftersales", "action_approve", [compensation_id])
        self.assertEqual(caught.exception.faultCode, 4)  # AccessError
        with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
            self._call("aftersales", "write", [compensation_id], {"state": "approved"})
        self.assertEqual(caught.exception.faultCode, 4)  # AccessError
        with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
            self._call("processor", "action_approve", [compensation_id])
        self.assertEqual(caught.exception.faultCode, 4)  # no access at all
        self.assertEqual(self._read(compensation_id)["state"], "to_approve")
        self.assertIs(self._call("manager", "action_approve", [compensation_id]), True)
        values = self._read(compensation_id)
        self.assertEqual(values["state"], "approved")
        self.assertEqual(values["approved_by_id"][0], self.users["manager"].id)
        self.assertTrue(values["approval_date"])
        # given: a draft credit note for the accountants
        self.assertIs(self._call("aftersales", "action_done", [compensation_id]), True)
        values = self._read(compensation_id)
        self.assertEqual(values["state"], "done")
        self.assertTrue(values["move_id"])

    def test_not_at_fault_and_twice(self):
        self.case.food_company_at_fault = False
        compensation_id = self._call(
            "aftersales",
            "create",
            {"case_id": self.case.id, "kind": "voucher", "amount": 50.0},
        )
        with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
            self._call("aftersales", "action_request", [compensation_id])
        self.assertEqual(caught.exception.faultCode, 2)  # UserError
        self.assertIn("at fault", caught.exception.faultString)
        self.assertEqual(self._read(compensation_id)["state"], "draft")
        self.case.food_company_at_fault = True
        self.assertIs(
            self._call("aftersales", "action_request", [compensation_id]), True
        )
        self.assertEqual(self._read(compensation_id)["state"], "approved")
        with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
            self._call("manager", "action_approve", [compensation_id])
        self.assertEqual(caught.exception.faultCode, 2)  # not to approve

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Queued intake (R21, several nodes): large batches become one job per
order (OCA queue_job); the caller polls intake_status."""

from xmlrpc.client import Fault

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import OrderCenterCommon, create_role_users, execute_kw
from .test_intake import find_none


def run_jobs(env, uuids):
    """What a node's job runner does with each job."""
    for uuid in uuids:
        job = Job.load(env, uuid)
        job.set_started()
        job.store()
        job.set_done(result=job.perform())
        job.store()


class IntakeQueueMixin:
    def _payload(self, ref, product_code="FOC-T-001", **values):
        payload = {
            "channel": "online_platform",
            "platform": "queue_mall",
            "external_ref": ref,
            "customer": {
                "name": f"排队顾客 {ref}",
                "phone": "+86 139 0000 3333",
                "street": "人民路 8 号",
                "city": "杭州",
                "zip": "310000",
                "country_code": "CN",
            },
            "lines": [{"product_code": product_code, "qty": 1}],
        }
        payload.update(values)
        return payload


@tagged("post_install", "-at_install")
class TestIntakeQueue(IntakeQueueMixin, OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_duplicate_window_hours = 0
        cls.env.company.food_intake_queue_size = 3
        cls.env["food.sales.platform"].create(
            {"name": "Queue Mall", "code": "queue_mall"}
        )
        cls.api_user = new_test_user(
            cls.env,
            login="foc_queue_api",
            groups="food_order_center.group_order_intake",
        )

    def _intake(self, orders):
        return self.env["sale.order"].with_user(self.api_user).intake_orders(orders)

    def _status(self, refs):
        return (
            self.env["sale.order"]
            .with_user(self.api_user)
            .intake_status(
                [{"platform": "queue_mall", "external_ref": r} for r in refs]
            )
        )

    def _orders(self, refs):
        return self.env["sale.order"].search([("external_ref", "in", refs)])

    def test_large_batch_is_queued_then_polled(self):
        refs = [f"Q-{index}" for index in range(4)]
        batch = [self._payload(ref) for ref in refs] + [
            self._payload("Q-BAD", lines=[])
        ]
        results = self._intake(batch)
        self.assertEqual(
            [r["result"] for r in results], ["queued"] * 4 + ["rejected"], results
        )
        self.assertFalse(self._orders(refs), "nothing is created in the call")
        uuids = [r["job_uuid"] for r in results[:4]]
        jobs = self.env["queue.job"].search([("uuid", "in", uuids)])
        self.assertEqual(len(jobs), 4)
        self.assertEqual(jobs.user_id, self.api_user, "the jobs run as the caller")
        self.assertEqual(
            [r["result"] for r in self._status(refs + ["NEVER-SENT"])],
            ["queued"] * 4 + ["unknown"],
        )

        # sent again before the jobs ran: the same jobs, none more
        again = self._intake(batch)
        self.assertEqual([r.get("job_uuid") for r in again[:4]], uuids)
        self.assertEqual(
            self.env["queue.job"].search_count(
                [("identity_key", "like", "food_order_center.intake:%Q-%")]
            ),
            4,
        )

        run_jobs(self.env, uuids)
        orders = self._orders(refs)
        self.assertEqual(len(orders), 4, "each order once")
        statuses = self._status(refs)
        self.assertEqual({s["result"] for s in statuses}, {"created"})
        self.assertEqual(sorted(s["order_id"] for s in statuses), sorted(orders.ids))
        self.assertEqual(find_none(statuses), [])
        # sent once more: known, answered at once
        self.assertEqual(
            [r["result"] for r in self._intake(batch)[:4]], ["duplicate"] * 4
        )

    def test_rejected_when_processed_and_small_batches_in_the_call(self):
        refs = ["R-1", "R-2", "R-3", "R-4"]
        results = self._intake(
            [self._payload(ref) for ref in refs[:3]]
            + [self._payload("R-4", product_code="FOC-T-002")]
        )
        self.assertEqual({r["result"] for r in results}, {"queued"})
        # the product is gone by the time the job runs
        self.noodles.active = False
        run_jobs(self.env, [r["job_uuid"] for r in results])
        status = self._status(["R-4"])[0]
        self.assertEqual(status["result"], "rejected", status)
        self.assertTrue(status["errors"])
        self.assertEqual(len(self._orders(refs)), 3)

        small = self._intake([self._payload("S-1"), self._payload("S-2")])
        self.assertEqual({r["result"] for r in small}, {"created"})

    def test_context_cannot_skip_the_queue_and_others_cannot_poll(self):
        results = (
            self.env["sale.order"]
            .with_user(self.api_user)
            .with_context(queue_job__no_delay=True)
            .intake_orders([self._payload(f"C-{i}") for i in range(4)])
        )
        self.assertEqual({r["result"] for r in results}, {"queued"})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.users["processor"]).intake_status(
                [{"platform": "queue_mall", "external_ref": "C-1"}]
            )


@tagged("post_install", "-at_install")
class TestIntakeQueueRpc(IntakeQueueMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.env.company.food_auto_assign = False
        cls.env.company.food_duplicate_window_hours = 0
        cls.env.company.food_intake_queue_size = 1
        cls.env["food.sales.platform"].create(
            {"name": "Queue Mall", "code": "queue_mall"}
        )
        cls.env["product.product"].create(
            {"name": "排队饺子", "default_code": "FOC-T-001", "list_price": 10.0}
        )
        cls.api_user = new_test_user(
            cls.env,
            login="foc_queue_rpc",
            password="foc_queue_rpc",
            groups="food_order_center.group_order_intake",
        )
        cls.users = create_role_users(cls.env, "foc_queue", password=True)

    def _call(self, method, *args):
        return execute_kw(
            self, self.api_user, "foc_queue_rpc", "sale.order", method, *args
        )

    def test_queued_over_rpc(self):
        results = self._call(
            "intake_orders", [self._payload("RPC-Q1"), self._payload("RPC-Q2")]
        )
        self.assertEqual({r["result"] for r in results}, {"queued"}, results)
        self.assertEqual(find_none(results), [])
        refs = [
            {"platform": "queue_mall", "external_ref": r} for r in ("RPC-Q1", "RPC-Q2")
        ]
        self.assertEqual(
            {r["result"] for r in self._call("intake_status", refs)}, {"queued"}
        )
        run_jobs(self.env, [r["job_uuid"] for r in results])
        statuses = self._call("intake_status", refs + ["not a dict"])
        self.assertEqual(
            [s["result"] for s in statuses], ["created", "created", "unknown"]
        )
        self.assertEqual(find_none(statuses), [])

    def test_queue_size_is_the_administrators_setting(self):
        """No order-center role, the manager included, nor the intake
        integration changes when batches are queued; the administrator
        does, through the company as through Settings."""
        users = dict(self.users, api=self.api_user)
        passwords = dict(
            {role: f"foc_queue_{role}" for role in self.users}, api="foc_queue_rpc"
        )
        company = self.env.company
        for role, user in users.items():
            with self.assertRaises(Fault) as caught:
                execute_kw(
                    self,
                    user,
                    passwords[role],
                    "res.company",
                    "write",
                    [company.id],
                    {"food_intake_queue_size": 0},
                )
            self.assertEqual(caught.exception.faultCode, 4, role)
        company.invalidate_recordset()
        self.assertEqual(company.food_intake_queue_size, 1)
        self.assertTrue(
            execute_kw(
                self,
                self.env.ref("base.user_admin"),
                "admin",
                "res.company",
                "write",
                [company.id],
                {"food_intake_queue_size": 50},
            )
        )
        company.invalidate_recordset()
        self.assertEqual(company.food_intake_queue_size, 50)

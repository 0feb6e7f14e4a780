# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Queued intake (R21, several nodes): the orders of a large batch become
OCA queue_job jobs, one per order, that any Odoo node's job runner
processes; the caller polls their results with ``intake_status``."""

import json

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .sale_order_intake_parse import MAX_ORDERS_PER_CALL

# a job that has not run yet, or runs
WAITING_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def _intake_identity_key(self, company, platform_code, external_ref):
        """The job of a platform order: one at a time, whoever sends it."""
        return f"food_order_center.intake:{company.id}:{platform_code}:{external_ref}"

    @api.model
    def _intake_enqueue(self, parsed, payload):
        """Queue the intake of one order (sent as ``payload``, read as
        ``parsed``) as the caller; a job of the same order still waiting is
        reused. The result values: queued, with the job's reference."""
        company = self.env.company
        key = self._intake_identity_key(
            company, parsed["platform"].code, parsed["external_ref"]
        )
        job = (
            # queued whatever the caller's context says (queue_job__no_delay)
            self.with_company(company)
            .with_context(queue_job__no_delay=False)
            .with_delay(
                identity_key=key,
                description=self.env._(
                    "Order intake: %(platform)s %(ref)s",
                    platform=parsed["platform"].name,
                    ref=parsed["external_ref"],
                ),
            )
            ._intake_queued_order(payload)
        )
        return {"result": "queued", "job_uuid": job.uuid}

    @api.model
    def _intake_queued_order(self, payload):
        """The job: the intake of one order, as the caller who sent it. Its
        result (JSON) is what intake_status answers once no order exists
        (a rejection)."""
        return json.dumps(self.intake_orders([payload])[0], ensure_ascii=False)

    @api.model
    def intake_status(self, refs):
        """Where the orders sent stand: one result per ``{"platform": code,
        "external_ref": ref}``, as ``intake_orders`` gives it, ``queued``
        while its job waits or runs, ``unknown`` when nothing was received.
        Contract: README, "Integration API"."""
        if not self.env.user.has_group("food_order_center.group_order_intake"):
            raise AccessError(
                self.env._(
                    "Only order receivers and order intake integrations can "
                    "follow the orders they send."
                )
            )
        if not isinstance(refs, list | tuple) or len(refs) > MAX_ORDERS_PER_CALL:
            raise UserError(
                self.env._(
                    "intake_status expects a list of at most %(max)s "
                    '{"platform": ..., "external_ref": ...}.',
                    max=MAX_ORDERS_PER_CALL,
                )
            )
        company = self.env.company
        intake = self.sudo().with_company(company)
        keys = []
        for ref in refs:
            if not isinstance(ref, dict):
                keys.append(None)
                continue
            keys.append((str(ref.get("platform") or ""), intake._intake_echo_ref(ref)))
        platforms = intake._intake_find_platforms(key[0] for key in keys if key)
        orders = {
            (order.platform_id.code, order.external_ref): order
            for order in intake.search(
                [
                    ("platform_id", "in", [p.id for p in platforms.values()]),
                    ("external_ref", "in", sorted({key[1] for key in keys if key})),
                    ("company_id", "=", company.id),
                ]
            )
        }
        jobs = {}
        identity_keys = {
            self._intake_identity_key(company, code, ref): (code, ref)
            for code, ref in (key for key in keys if key)
        }
        # the latest job of each order
        for job in (
            self.env["queue.job"]
            .sudo()
            .search(
                [("identity_key", "in", list(identity_keys))],
                order="date_created, id",
            )
        ):
            jobs[identity_keys[job.identity_key]] = job
        results = []
        for key in keys:
            result = self._intake_empty_result(key[1] if key else "", "unknown")
            order = orders.get(key) if key else None
            job = jobs.get(key) if key else None
            if order:
                result.update(result="created", **order._intake_result_values())
            elif job and job.state in WAITING_JOB_STATES:
                result.update(result="queued", job_uuid=job.uuid)
            elif job and job.state == "done" and job.result:
                result.update(json.loads(job.result))
            elif job:
                result.update(
                    result="rejected",
                    job_uuid=job.uuid,
                    errors=[
                        self.env._(
                            "The order could not be processed: %(error)s",
                            error=job.exc_message or job.state,
                        )
                    ],
                )
            results.append(result)
        return results

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Deadlines of the after-sales cases (R17): a first response and a
solution within the working hours the policy gives, followed by a job that
warns before and at a breach; a case closes only with its solution and the
customer's confirmation or a recorded follow-up attempt."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

DEADLINE_STATES = [
    ("on_time", "On Time"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
]
# a deadline is at risk when less than this share of its window is left
AT_RISK_SHARE = 0.25


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "food.guarded.mixin"]

    food_response_deadline = fields.Datetime(
        string="First Response Due",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    food_resolution_deadline = fields.Datetime(
        string="Solution Due",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    food_first_response_date = fields.Datetime(
        string="First Response On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When the first message was sent to the customer.",
    )
    food_resolved_date = fields.Datetime(
        string="Solved On",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    food_deadline_state = fields.Selection(
        DEADLINE_STATES,
        string="Deadlines",
        copy=False,
        readonly=True,
        index=True,
        help="On time, at risk (less than a quarter of the time left) or "
        "breached; kept up to date by the deadline job.",
    )
    food_solution = fields.Text(
        string="Solution",
        help="What was done for the customer; required to close the case.",
    )
    food_customer_confirmed = fields.Boolean(
        string="Customer Confirmed the Solution",
        copy=False,
    )
    food_followup_date = fields.Datetime(
        string="Follow-up Attempt On",
        copy=False,
        help="When the customer was contacted to confirm the solution "
        "(needed to close a case the customer did not confirm).",
    )
    food_risk_warned = fields.Boolean(
        string="Assignee Warned of the Risk", copy=False, readonly=True
    )
    food_breach_warned = fields.Boolean(
        string="Managers Warned of the Breach", copy=False, readonly=True
    )

    @api.model
    def _get_food_protected_fields(self):
        # set by the policy, the messages and the job only
        return super()._get_food_protected_fields() | {
            "food_response_deadline",
            "food_resolution_deadline",
            "food_first_response_date",
            "food_resolved_date",
            "food_deadline_state",
            "food_risk_warned",
            "food_breach_warned",
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._check_food_protected_fields(vals_list)
        tickets = super().create(vals_list)
        tickets.filtered("food_case_type")._food_set_deadlines()
        return tickets

    def write(self, vals):
        self._check_food_protected_fields([vals])
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                self.filtered(
                    lambda t: t.food_case_type and not t.closed
                )._check_food_can_close(vals)
        result = super().write(vals)
        if vals.get("stage_id"):
            self._food_update_resolution()
        return result

    # ------------------------------------------------------------------
    # Deadlines from the policy
    # ------------------------------------------------------------------

    def _food_set_deadlines(self):
        """Deadlines of new cases: the policy of their type and priority (or
        of their type for any priority), in working hours of the company's
        calendar from the case's creation."""
        if not self:
            return
        policies = self.env["food.case.deadline.policy"].sudo()._get_policies(self)
        # the cases of a batch share their creation time: each deadline is
        # planned on the calendar once, and written once for all its cases
        plans = {}
        by_vals = defaultdict(lambda: self.browse())
        now = fields.Datetime.now()
        for case in self:
            key = (case.company_id.id, case.food_case_type)
            policy = policies.get((*key, case.priority)) or policies.get((*key, False))
            if not policy:
                continue
            start = case.create_date or now
            calendar = case.company_id.resource_calendar_id
            vals = {}
            for field, hours in (
                ("food_response_deadline", policy.response_hours),
                ("food_resolution_deadline", policy.resolution_hours),
            ):
                plan_key = (calendar.id, start, hours)
                if plan_key not in plans:
                    plans[plan_key] = self._food_plan(calendar, start, hours)
                vals[field] = plans[plan_key]
            vals["food_deadline_state"] = case._food_deadline_state(now, vals)
            by_vals[tuple(sorted(vals.items()))] |= case
        for vals, cases in by_vals.items():
            cases._write_food_trusted(dict(vals))

    @api.model
    def _food_plan(self, calendar, start, hours):
        if not calendar:
            return start + timedelta(hours=hours)
        # compute_leaves: the company's public holidays are not working time
        deadline = calendar.plan_hours(hours, start, compute_leaves=True)
        return (deadline or start + timedelta(hours=hours)).replace(tzinfo=None)

    def _food_deadline_state(self, now, values=None):
        """On time, at risk or breached at ``now``: a deadline met late or
        passed is a breach; less than a quarter of a pending deadline's
        window left is a risk."""
        self.ensure_one()
        values = values or {}

        def get(name):
            return values.get(name, self[name])

        start = self.create_date or now
        checks = [
            (get("food_response_deadline"), get("food_first_response_date")),
            (get("food_resolution_deadline"), get("food_resolved_date")),
        ]
        state = "on_time"
        for deadline, done in checks:
            if not deadline:
                continue
            if (done or now) > deadline:
                return "breached"
            if not done:
                window = (deadline - start).total_seconds()
                left = (deadline - now).total_seconds()
                if window > 0 and left < window * AT_RISK_SHARE:
                    state = "at_risk"
        return state

    # ------------------------------------------------------------------
    # First response, solution, closing
    # ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        # the first message sent to the customer by the staff answers
        if (
            self.food_case_type
            and not self.food_first_response_date
            and message.message_type == "comment"
            and not message.is_internal
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id != self.partner_id
            and message.author_id.user_ids
            and not message.author_id.partner_share
        ):
            now = message.date or fields.Datetime.now()
            self._write_food_trusted(
                {
                    "food_first_response_date": now,
                    "food_deadline_state": self._food_deadline_state(
                        now, {"food_first_response_date": now}
                    ),
                }
            )
        return super()._message_post_after_hook(message, msg_vals)

    def _check_food_can_close(self, vals):
        missing = self.filtered(
            lambda t: (
                not (vals.get("food_solution") or t.food_solution)
                or not (
                    vals.get("food_customer_confirmed")
                    or t.food_customer_confirmed
                    or vals.get("food_followup_date")
                    or t.food_followup_date
                )
            )
        )
        if missing:
            raise UserError(
                self.env._(
                    "A case is closed with its solution and the customer's "
                    "confirmation or a recorded follow-up attempt: %(cases)s",
                    cases=", ".join(missing.mapped("display_name")),
                )
            )

    def _food_update_resolution(self):
        now = fields.Datetime.now()
        solved = self.filtered(
            lambda t: t.food_case_type and t.closed and not t.food_resolved_date
        )
        reopened = self.filtered(
            lambda t: t.food_case_type and not t.closed and t.food_resolved_date
        )
        for case in solved:
            case._write_food_trusted(
                {
                    "food_resolved_date": now,
                    "food_deadline_state": case._food_deadline_state(
                        now, {"food_resolved_date": now}
                    ),
                }
            )
        for case in reopened:
            case._write_food_trusted(
                {
                    "food_resolved_date": False,
                    "food_deadline_state": case._food_deadline_state(
                        now, {"food_resolved_date": False}
                    ),
                }
            )

    def action_food_record_followup(self):
        """After-sales staff: the customer was contacted to confirm the
        solution (needed to close a case the customer did not confirm)."""
        self.write({"food_followup_date": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------
    # The deadline job
    # ------------------------------------------------------------------

    @api.model
    def _cron_food_case_deadlines(self):
        """Scheduled job: bring the deadline state of the open cases up to
        date; warn the assignee when a deadline is at risk and the managers
        at a breach, once each."""
        # the job follows the cases of every company, whoever runs it
        cases = self.sudo().search(
            [
                ("food_case_type", "!=", False),
                ("closed", "=", False),
                "|",
                ("food_response_deadline", "!=", False),
                ("food_resolution_deadline", "!=", False),
            ]
        )
        now = fields.Datetime.now()
        by_state = {}
        for case in cases:
            state = case._food_deadline_state(now)
            if state != case.food_deadline_state:
                by_state.setdefault(state, case.browse())
                by_state[state] |= case
        for state, changed in by_state.items():
            changed._write_food_trusted({"food_deadline_state": state})
        cases._food_warn_deadlines()
        return True

    def _food_warn_deadlines(self):
        at_risk = self.filtered(
            lambda c: c.food_deadline_state == "at_risk" and not c.food_risk_warned
        )
        breached = self.filtered(
            lambda c: c.food_deadline_state == "breached" and not c.food_breach_warned
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        managers = self.env.ref(
            "food_order_center.group_order_center_manager"
        ).users.filtered(lambda u: not u.share and u.active)
        activities = []
        for case in at_risk:
            user = case.user_id or case.team_id.user_id
            if user:
                activities.append(
                    case._food_deadline_activity(
                        todo,
                        user,
                        self.env._("Case deadline close: answer or solve it"),
                    )
                )
        for case in breached:
            for manager in managers.filtered(
                lambda u, case=case: case.company_id in u.company_ids
            ):
                activities.append(
                    case._food_deadline_activity(
                        todo,
                        manager,
                        self.env._("Case deadline breached"),
                    )
                )
        self.env["mail.activity"].sudo().create(activities)
        if at_risk:
            at_risk._write_food_trusted({"food_risk_warned": True})
        if breached:
            breached._write_food_trusted({"food_breach_warned": True})

    def _food_deadline_activity(self, activity_type, user, summary):
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "summary": summary,
            "date_deadline": fields.Date.context_today(self),
        }

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints (R19): the investigation of complaint and quality cases, the
solution sent to the customer, the satisfaction follow-up once the case is
closed, the compensations where the company is at fault and the recall of
the lots the customer reports."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# the case types investigated as complaints
COMPLAINT_CASE_TYPES = ("complaint", "quality")
RESPONSIBLE_DEPARTMENTS = [
    ("order_center", "Order Center"),
    ("warehouse", "Warehouse"),
    ("logistics", "Logistics"),
    ("customer_service", "Customer Service"),
    ("production", "Production / Quality"),
    ("supplier", "Supplier"),
]
ROOT_CAUSES = [
    ("product_quality", "Product Quality"),
    ("logistics", "Logistics"),
    ("service", "Service"),
    ("wrong_item", "Wrong Item"),
]
# compensations that rest on the company being at fault
ACTIVE_COMPENSATION_STATES = ("to_approve", "approved", "done")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    food_responsible_department = fields.Selection(
        RESPONSIBLE_DEPARTMENTS,
        string="Responsible Department",
        index=True,
        tracking=True,
        help="The department whose work caused the complaint.",
    )
    food_root_cause = fields.Selection(
        ROOT_CAUSES,
        string="Root Cause",
        index=True,
        tracking=True,
        help="What caused the problem; required to close a complaint.",
    )
    food_findings = fields.Text(
        string="Findings",
        help="What the investigation found; required to close a complaint.",
    )
    food_corrective_action = fields.Text(
        string="Corrective Action",
        help="What is changed so that the problem does not happen again.",
    )
    food_company_at_fault = fields.Boolean(
        string="Company at Fault",
        index=True,
        tracking=True,
        copy=False,
        help="The investigation found the company responsible: the customer "
        "may be compensated.",
    )
    food_solution_sent_date = fields.Datetime(
        string="Solution Sent On", copy=False, readonly=True
    )
    food_satisfaction_request_date = fields.Datetime(
        string="Satisfaction Survey Sent On",
        copy=False,
        readonly=True,
        help="When the customer was asked to rate the handling of the case.",
    )
    food_compensation_ids = fields.One2many(
        "food.case.compensation",
        "case_id",
        string="Compensations",
        groups="food_order_center.group_aftersales",
    )
    food_compensation_count = fields.Integer(
        compute="_compute_food_compensation_count",
        groups="food_order_center.group_aftersales",
    )
    food_is_complaint = fields.Boolean(
        string="Is a Complaint",
        compute="_compute_food_is_complaint",
        help="Complaint and quality cases are investigated.",
    )
    food_can_send_solution = fields.Boolean(compute="_compute_food_can_flags")
    food_can_compensate = fields.Boolean(compute="_compute_food_can_flags")
    food_can_recall = fields.Boolean(compute="_compute_food_can_flags")
    food_can_record_satisfaction = fields.Boolean(compute="_compute_food_can_flags")

    @api.depends("food_compensation_ids")
    def _compute_food_compensation_count(self):
        counts = dict(
            self.env["food.case.compensation"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.food_compensation_count = counts.get(case, 0)

    @api.depends("food_case_type")
    def _compute_food_is_complaint(self):
        for case in self:
            case.food_is_complaint = case.food_case_type in COMPLAINT_CASE_TYPES

    @api.depends(
        "food_case_type",
        "food_solution",
        "partner_id",
        "stage_id.closed",
        "food_company_at_fault",
        "food_line_ids.lot_id",
    )
    def _compute_food_can_flags(self):
        for case in self:
            complaint = case.food_case_type in COMPLAINT_CASE_TYPES
            case.food_can_send_solution = bool(
                complaint and case.food_solution and case.partner_id and not case.closed
            )
            case.food_can_compensate = complaint and case.food_company_at_fault
            case.food_can_recall = complaint and bool(case.food_line_ids.lot_id)
            case.food_can_record_satisfaction = bool(
                complaint and case.closed and case.partner_id
            )

    @api.constrains("food_company_at_fault")
    def _check_food_company_at_fault(self):
        cleared = self.filtered(lambda c: not c.food_company_at_fault)
        if not cleared:
            return
        # helpdesk users outside after-sales may edit cases; the rule holds
        # for them too
        compensated = (
            self.env["food.case.compensation"]
            .sudo()
            ._read_group(
                [
                    ("case_id", "in", cleared.ids),
                    ("state", "in", ACTIVE_COMPENSATION_STATES),
                ],
                ["case_id"],
            )
        )
        if compensated:
            raise ValidationError(
                self.env._(
                    "Cases with compensations requested, approved or given "
                    "stay marked as the company's fault: %(cases)s",
                    cases=", ".join(
                        case.sudo().display_name for (case,) in compensated
                    ),
                )
            )

    @api.model
    def _get_food_protected_fields(self):
        # set by the solution and the satisfaction actions only
        return super()._get_food_protected_fields() | {
            "food_solution_sent_date",
            "food_satisfaction_request_date",
        }

    def write(self, vals):
        closing = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                closing = self.filtered(
                    lambda c: c.food_case_type in COMPLAINT_CASE_TYPES and not c.closed
                )
        result = super().write(vals)
        closing.filtered("closed")._food_request_satisfaction()
        return result

    # ------------------------------------------------------------------
    # Closing: a complaint closes with its investigation
    # ------------------------------------------------------------------

    def _check_food_can_close(self, vals):
        result = super()._check_food_can_close(vals)
        missing = self.filtered(
            lambda c: (
                vals.get("food_case_type", c.food_case_type) == "complaint"
                and not (
                    (vals.get("food_root_cause") or c.food_root_cause)
                    and (vals.get("food_findings") or c.food_findings)
                )
            )
        )
        if missing:
            raise UserError(
                self.env._(
                    "A complaint is closed once its investigation has a root "
                    "cause and findings: %(cases)s",
                    cases=", ".join(missing.mapped("display_name")),
                )
            )
        return result

    # ------------------------------------------------------------------
    # Solution sent to the customer
    # ------------------------------------------------------------------

    def action_food_send_solution(self):
        """After-sales staff: send the solution of the case to the customer,
        in the customer's language."""
        cannot = self.filtered(lambda c: not c.food_can_send_solution)
        if cannot:
            raise UserError(
                self.env._(
                    "Only the solution of an open complaint or quality case "
                    "with a customer can be sent: %(cases)s",
                    cases=", ".join(cannot.mapped("display_name")),
                )
            )
        template = self.env.ref("food_order_center.mail_template_case_solution")
        for case in self:
            case._food_post_customer_template(template)
        self._write_food_trusted({"food_solution_sent_date": fields.Datetime.now()})
        return True

    def _food_post_customer_template(self, template, source=None):
        """Post ``template``, rendered on ``source`` (the case by default) in
        its language, on the case for its customer."""
        self.ensure_one()
        source = source or self
        subject = template._render_field("subject", source.ids, compute_lang=True)[
            source.id
        ]
        body = template._render_field(
            "body_html",
            source.ids,
            compute_lang=True,
            options={"post_process": True},
        )[source.id]
        return self.message_post(
            body=body,
            subject=subject,
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    # ------------------------------------------------------------------
    # Satisfaction follow-up
    # ------------------------------------------------------------------

    def _send_ticket_rating_mail(self, force_send=False):
        # complaint and quality cases get the order center's own survey when
        # they close (_food_request_satisfaction), never a second one
        others = self.filtered(lambda c: c.food_case_type not in COMPLAINT_CASE_TYPES)
        return super(HelpdeskTicket, others)._send_ticket_rating_mail(
            force_send=force_send
        )

    def _food_request_satisfaction(self):
        """Ask the customers of the closed cases to rate how their case was
        handled (a score on /rate/...), in their language, by the mail
        queue."""
        cases = self.filtered(
            lambda c: (
                c.partner_id
                and c.rating_status != "no_rate"
                and not c.food_satisfaction_request_date
            )
        )
        if not cases:
            return
        template = self.env.ref("food_order_center.mail_template_case_satisfaction")
        for case in cases:
            case.rating_send_request(
                template, lang=case.partner_id.lang, force_send=False
            )
        cases._write_food_trusted(
            {"food_satisfaction_request_date": fields.Datetime.now()}
        )

    def _food_apply_satisfaction(self, score, feedback=None):
        """Record the score (1, 3 or 5) the customer gave, e.g. by phone,
        as the customer's rating of the case."""
        self.ensure_one()
        if not self.food_can_record_satisfaction:
            raise UserError(
                self.env._(
                    "The satisfaction of a closed complaint or quality case "
                    "with a customer can be recorded: %(case)s",
                    case=self.display_name,
                )
            )
        if score not in (1, 3, 5):
            raise UserError(
                self.env._("The satisfaction score is 1, 3 or 5 (received %s).", score)
            )
        # the customer's pending survey, or a new rating of the customer
        token = self._rating_get_access_token()
        rating = self.rating_apply(score, token=token, feedback=feedback or None)
        self.message_post(
            body=self.env._(
                "Satisfaction recorded by %(user)s as told by the customer.",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return rating

    # ------------------------------------------------------------------
    # Compensations, recall
    # ------------------------------------------------------------------

    def action_food_view_compensations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_case_compensation_action"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"default_case_id": self.id}
        return action

    def action_food_record_satisfaction(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_case_rating_wizard_action"
        )
        action["context"] = {"default_case_id": self.id}
        return action

    def action_food_lot_recall(self):
        """Quality hold and recall of the lots the complaint is about: the
        lots go on quality hold (inventory managers; for other staff the
        inventory managers are asked to) and the recall list opens."""
        self.ensure_one()
        if not self.env.user.has_group("food_order_center.group_aftersales"):
            raise AccessError(
                self.env._("Only after-sales staff can recall the lots of a case.")
            )
        if not self.food_can_recall:
            raise UserError(
                self.env._(
                    "Only the lots of a complaint or quality case can be "
                    "recalled: enter the lot of the products concerned "
                    "(%(case)s).",
                    case=self.display_name,
                )
            )
        lots = self.food_line_ids.lot_id
        reason = self.env._(
            "Complaint %(case)s: %(name)s", case=self.number, name=self.name
        )
        if self.env.user.has_group("food_order_center.group_inventory_manager"):
            lots.action_food_quality_hold(reason)
        else:
            lots._food_request_quality_hold(reason)
        return self.env["food.lot.recall.wizard"]._food_open(lots, case=self)

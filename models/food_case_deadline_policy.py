# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket import CASE_TYPES

PRIORITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Very High"),
]


class FoodCaseDeadlinePolicy(models.Model):
    """How long the after-sales service has to answer and to solve a case
    (R17), per case type and priority, in working hours of the company's
    calendar."""

    _name = "food.case.deadline.policy"
    _description = "After-sales Deadline Policy"
    _order = "company_id, case_type, priority"

    _sql_constraints = [
        (
            "policy_uniq",
            "unique (company_id, case_type, priority)",
            "There is already a deadline policy for this case type and priority.",
        ),
    ]

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    case_type = fields.Selection(CASE_TYPES, required=True)
    priority = fields.Selection(
        PRIORITIES,
        help="Empty: every priority without a policy of its own.",
    )
    response_hours = fields.Float(
        string="First Response (working hours)",
        required=True,
        help="Working hours from the case's creation to the first message "
        "sent to the customer.",
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)",
        required=True,
        help="Working hours from the case's creation to its solution.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("response_hours", "resolution_hours")
    def _check_hours(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolution_hours <= 0:
                raise ValidationError(
                    self.env._("Deadlines are positive numbers of working hours.")
                )
            if policy.resolution_hours < policy.response_hours:
                raise ValidationError(
                    self.env._(
                        "The resolution deadline cannot come before the first "
                        "response deadline."
                    )
                )

    @api.model
    def _get_policies(self, cases):
        """{(company id, case type, priority): policy} of the cases, read in
        one query; the policy without priority answers for the others."""
        policies = self.search(
            [
                ("company_id", "in", cases.company_id.ids),
                ("case_type", "in", list(set(cases.mapped("food_case_type")))),
            ]
        )
        found = {}
        for policy in policies:
            found[policy.company_id.id, policy.case_type, policy.priority] = policy
        return found

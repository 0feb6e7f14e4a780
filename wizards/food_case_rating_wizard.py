# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

SCORES = [
    ("5", "Satisfied"),
    ("3", "Okay"),
    ("1", "Dissatisfied"),
]


class FoodCaseRatingWizard(models.TransientModel):
    """After-sales staff record the satisfaction the customer gave on the
    phone after the case was closed."""

    _name = "food.case.rating.wizard"
    _description = "Record Customer Satisfaction"

    case_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        readonly=True,
    )
    partner_id = fields.Many2one(related="case_id.partner_id", string="Customer")
    score = fields.Selection(SCORES, string="Satisfaction", required=True)
    feedback = fields.Text(string="What the Customer Said")

    def action_apply(self):
        self.ensure_one()
        self.case_id._food_apply_satisfaction(int(self.score), self.feedback)
        return {"type": "ir.actions.act_window_close"}

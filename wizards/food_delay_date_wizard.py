# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class FoodDelayDateWizard(models.TransientModel):
    """The processor or the manager confirms or changes the expected date of
    a delay or a failed delivery."""

    _name = "food.delay.date.wizard"
    _description = "Confirm Expected Date"

    exception_id = fields.Many2one(
        "food.order.exception", required=True, ondelete="cascade"
    )
    expected_date = fields.Date(
        compute="_compute_expected_date",
        store=True,
        readonly=False,
        required=True,
        help="Told to the customer if it differs from the date they know.",
    )
    informed_expected_date = fields.Date(related="exception_id.informed_expected_date")

    @api.depends("exception_id")
    def _compute_expected_date(self):
        for wizard in self:
            wizard.expected_date = wizard.exception_id.expected_date

    def action_confirm(self):
        self.ensure_one()
        self.exception_id.action_confirm_expected_date(self.expected_date)
        return {"type": "ir.actions.act_window_close"}

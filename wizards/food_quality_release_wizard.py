# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.food_order_exception import QUALITY_RESOLUTIONS


class FoodQualityReleaseWizard(models.TransientModel):
    """The inventory manager ends a quality hold."""

    _name = "food.quality.release.wizard"
    _description = "End Quality Hold"

    exception_ids = fields.Many2many(
        "food.order.exception",
        string="Quality Holds",
        required=True,
        default=lambda self: self.env.context.get("active_ids"),
    )
    resolution = fields.Selection(
        QUALITY_RESOLUTIONS, required=True, default="released"
    )
    note = fields.Text()

    def action_release(self):
        self.ensure_one()
        self.exception_ids.action_release(self.resolution, self.note)
        return {"type": "ir.actions.act_window_close"}

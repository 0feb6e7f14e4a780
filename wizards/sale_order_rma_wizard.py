# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.rma import RETURN_REASONS


class SaleOrderRmaWizard(models.TransientModel):
    """rma_sale's *Create RMA* on an order-center order asks why the goods
    come back: the return policy needs the reason (R18)."""

    _inherit = "sale.order.rma.wizard"

    food_is_order_center = fields.Boolean(
        compute="_compute_food_is_order_center",
    )
    food_return_reason = fields.Selection(RETURN_REASONS, string="Return Reason")

    def _compute_food_is_order_center(self):
        for wizard in self:
            wizard.food_is_order_center = bool(wizard.order_id.intake_channel)


class SaleOrderLineRmaWizard(models.TransientModel):
    _inherit = "sale.order.line.rma.wizard"

    def _prepare_rma_values(self):
        values = super()._prepare_rma_values()
        if self.wizard_id.food_return_reason:
            values["food_return_reason"] = self.wizard_id.food_return_reason
        return values

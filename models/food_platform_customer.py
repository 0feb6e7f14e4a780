# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FoodPlatformCustomer(models.Model):
    """The customer id a sales platform gives one of our customers, so that
    its next orders find the same partner (R1)."""

    _name = "food.platform.customer"
    _description = "Sales Platform Customer"

    _sql_constraints = [
        (
            "platform_external_uniq",
            "unique (platform_id, external_id)",
            "A platform customer id is linked to one customer only.",
        ),
    ]

    platform_id = fields.Many2one(
        "food.sales.platform", required=True, index=True, ondelete="cascade"
    )
    external_id = fields.Char(string="Platform Customer ID", required=True)
    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )

    def _link(self, platform, external_id, partner):
        link = self.search(
            [("platform_id", "=", platform.id), ("external_id", "=", external_id)],
            limit=1,
        )
        if not link:
            self.create(
                {
                    "platform_id": platform.id,
                    "external_id": external_id,
                    "partner_id": partner.id,
                }
            )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class FoodSalesPlatform(models.Model):
    """An online sales platform that sends orders to the order center (R1)."""

    _name = "food.sales.platform"
    _description = "Food Sales Platform"
    _order = "sequence, name, id"

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "The code of a sales platform must be unique per company.",
        ),
    ]

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="Identifier the platform uses in the integration API "
        "(the 'platform' key of intake_orders).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    order_ids = fields.One2many("sale.order", "platform_id", string="Orders")
    order_count = fields.Integer(compute="_compute_order_count")

    @api.depends("order_ids")
    def _compute_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("platform_id", "in", self.ids)],
                ["platform_id"],
                ["__count"],
            )
        )
        for platform in self:
            platform.order_count = counts.get(platform, 0)

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.sale_order_action_order_center"
        )
        action["domain"] = [("platform_id", "=", self.id)]
        action["context"] = {
            "default_platform_id": self.id,
            "default_intake_channel": "online_platform",
        }
        return action

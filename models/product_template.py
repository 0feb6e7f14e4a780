# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_fragile = fields.Boolean(
        string="Fragile Food",
        tracking=True,
        help="Fragile food (eggs, cakes, glass bottles...) needs extra "
        "protection when packed for shipping.",
    )

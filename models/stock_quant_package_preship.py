# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class StockQuantPackage(models.Model):
    """Fragile food protection recorded per package (R15)."""

    _name = "stock.quant.package"
    _inherit = ["stock.quant.package", "food.guarded.mixin"]

    food_fragile_protected = fields.Boolean(
        string="Fragile Food Protected",
        copy=False,
        help="The packer protected the fragile food in this package (padding, "
        "egg trays, rigid box). Fragile food ships only in protected packages.",
    )
    food_fragile_protected_by_id = fields.Many2one(
        "res.users", string="Protected By", readonly=True, copy=False
    )
    food_fragile_protected_date = fields.Datetime(
        string="Protected On", readonly=True, copy=False
    )

    @api.model
    def _get_food_protected_fields(self):
        # who protected the package is recorded from the flag, never typed in
        return super()._get_food_protected_fields() | {
            "food_fragile_protected_by_id",
            "food_fragile_protected_date",
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._check_food_protected_fields(vals_list)
        packages = super().create(vals_list)
        packages.filtered("food_fragile_protected")._record_fragile_protection()
        return packages

    def write(self, vals):
        self._check_food_protected_fields([vals])
        res = super().write(vals)
        if "food_fragile_protected" in vals and not self._is_food_trusted():
            self._record_fragile_protection()
        return res

    def _record_fragile_protection(self):
        protected = self.filtered("food_fragile_protected")
        protected._write_food_trusted(
            {
                "food_fragile_protected_by_id": self.env.user.id,
                "food_fragile_protected_date": fields.Datetime.now(),
            }
        )
        (self - protected)._write_food_trusted(
            {
                "food_fragile_protected_by_id": False,
                "food_fragile_protected_date": False,
            }
        )

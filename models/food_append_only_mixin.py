# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError


class FoodAppendOnlyMixin(models.AbstractModel):
    """Records the addon appends in SQL and nobody creates, changes or
    deletes through the ORM, whoever the user (the superuser included): the
    audit trail and the seals of the confirmed orders."""

    _name = "food.append.only.mixin"
    _description = "Order Center: records kept as they were written"

    def _raise_food_append_only(self):
        raise AccessError(
            self.env._(
                "%(records)s: kept by the order center as written; nobody "
                "creates, changes or deletes them by hand.",
                records=self.env["ir.model"]._get(self._name).name,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._raise_food_append_only()
        return super().create(vals_list)

    def write(self, vals):
        self._raise_food_append_only()
        return super().write(vals)

    def unlink(self):
        self._raise_food_append_only()
        return super().unlink()

    def copy(self, default=None):
        self._raise_food_append_only()
        return super().copy(default)

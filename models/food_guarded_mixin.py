# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError

# Context values that only this addon's code can set: Python objects, which no
# RPC call, import, URL or action context can carry (the way OCA queue_job
# guards the fields of its jobs).
GUARD_KEY = "food_order_center_guard"
# the addon's own actions and checks are writing
TRUSTED_WRITE = object()
# lines written through their order: the order runs its checks once, after
DEFER_CHECKS = object()


class FoodGuardedMixin(models.AbstractModel):
    """Fields that only the addon's own actions write.

    A model lists them in ``_get_food_protected_fields``. Writing them through
    ``write``/``create`` (web client, RPC, import, context defaults) raises,
    whoever the user, unless the write comes from ``_write_food_trusted``,
    which goes through the normal ``write`` (and so through every other
    addon's override of it).
    """

    _name = "food.guarded.mixin"
    _description = "Order Center: fields written by the addon's actions only"

    @api.model
    def _get_food_protected_fields(self):
        return set()

    @api.model
    def default_get(self, fields_list):
        # context defaults (default_<field>) never reach protected fields; the
        # fields' own defaults (set in code) do
        blocked = {f"default_{name}" for name in self._get_food_protected_fields()}
        if blocked & set(self.env.context):
            context = {
                key: value
                for key, value in self.env.context.items()
                if key not in blocked
            }
            # removing keys needs a new context, not an update of it
            clean = self.with_context(context)  # pylint: disable=context-overridden
            return super(FoodGuardedMixin, clean).default_get(fields_list)
        return super().default_get(fields_list)

    def _is_food_trusted(self):
        return self.env.context.get(GUARD_KEY) is TRUSTED_WRITE

    def _are_food_checks_deferred(self):
        return self.env.context.get(GUARD_KEY) in (TRUSTED_WRITE, DEFER_CHECKS)

    def _food_trusted(self):
        return self.with_context(**{GUARD_KEY: TRUSTED_WRITE})

    def _food_deferred(self):
        return self.with_context(**{GUARD_KEY: DEFER_CHECKS})

    def _write_food_trusted(self, vals):
        """Write as the addon's own action: protected fields and role guards
        allowed, the order checks not run again."""
        return self._food_trusted().write(vals)

    def _check_food_protected_fields(self, vals_list):
        if self._is_food_trusted():
            return
        protected = self._get_food_protected_fields() & {
            name for vals in vals_list for name in vals
        }
        if protected:
            labels = [
                self._fields[name]._description_string(self.env)
                for name in sorted(protected)
            ]
            raise AccessError(
                self.env._(
                    "These fields are set by the order center itself (its checks "
                    "and actions) and cannot be written directly: %(fields)s",
                    fields=", ".join(labels),
                )
            )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

# corrections of a customer that can clear the verification of their orders
CONTACT_FIELDS = {
    "name",
    "phone",
    "mobile",
    "email",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # the intake finds each order's customer by them (``_find_by_phone``,
    # ``_intake_known_customers``), as Odoo's mail gateway does the senders
    # of e-mails: a scan of the contacts for every order otherwise
    phone_sanitized = fields.Char(index="btree_not_null")
    email_normalized = fields.Char(index="btree_not_null")

    def write(self, vals):
        res = super().write(vals)
        if CONTACT_FIELDS & set(vals):
            # re-verify the open order-center quotations of the customer; the
            # user correcting a customer may not see every order of it
            orders = (
                self.env["sale.order"]
                .sudo()
                .search(
                    [
                        "|",
                        ("partner_id", "in", self.ids),
                        ("partner_shipping_id", "in", self.ids),
                        ("state", "in", ("draft", "sent")),
                        ("intake_channel", "!=", False),
                    ]
                )
            )
            orders._run_order_center_checks()
        return res

    def _get_missing_address_fields(self):
        """Names of the fields of the delivery address that are missing."""
        self.ensure_one()
        missing = [name for name in ("street", "city", "country_id") if not self[name]]
        if self.country_id.state_required and not self.state_id:
            missing.append("state_id")
        if self.country_id.zip_required and not self.zip:
            missing.append("zip")
        return missing

    @api.model
    def _find_by_phone(self, number, country):
        """The partner whose phone or mobile is ``number`` (read as a number
        of ``country`` unless international), whatever its formatting.

        The sanitized number, stored and indexed, finds most partners; the
        other number of a partner that has both is searched next, by a
        pattern over the table, only when the first finds nobody."""
        sanitized = self._phone_format_number(number, country)
        if not sanitized:
            return self.browse()
        return self.search(
            [("phone_sanitized", "=", sanitized)], limit=1
        ) or self.search([("phone_mobile_search", "=", sanitized)], limit=1)


class ResCountry(models.Model):
    _inherit = "res.country"

    @api.model
    @tools.ormcache()
    def _food_country_ids_by_code(self):
        """{code: id} of every country, read once per server: the intake
        reads the customer's country of each order from it."""
        return tools.frozendict(
            (country.code, country.id) for country in self.sudo().search([])
        )

    @api.model_create_multi
    def create(self, vals_list):
        countries = super().create(vals_list)
        # core clears its caches when a code is written, not on creation
        self.env.registry.clear_cache()
        return countries

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

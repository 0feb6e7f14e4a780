# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sale_order import URGENCY_LEVELS


class FoodPhoneOrderWizard(models.TransientModel):
    """Quick entry of an order taken on the phone, with the read-back (R3)."""

    _name = "food.phone.order.wizard"
    _description = "Phone Order"

    step = fields.Selection(
        [("entry", "Order"), ("readback", "Read Back")], default="entry", required=True
    )
    phone = fields.Char(help="Type the caller's number to find the customer.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
    )
    customer_name = fields.Char(
        compute="_compute_customer_data", store=True, readonly=False
    )
    street = fields.Char(compute="_compute_customer_data", store=True, readonly=False)
    city = fields.Char(compute="_compute_customer_data", store=True, readonly=False)
    zip = fields.Char(compute="_compute_customer_data", store=True, readonly=False)
    state_id = fields.Many2one(
        "res.country.state",
        compute="_compute_customer_data",
        store=True,
        readonly=False,
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_customer_data",
        store=True,
        readonly=False,
    )
    line_ids = fields.One2many(
        "food.phone.order.wizard.line", "wizard_id", string="Products"
    )
    special_requests = fields.Text()
    requested_date = fields.Datetime(string="Requested Delivery Date")
    urgency = fields.Selection(URGENCY_LEVELS, default="normal", required=True)
    is_custom_order = fields.Boolean(string="Custom Order")
    custom_requirements = fields.Text()
    readback_text = fields.Text(string="Read This to the Customer", readonly=True)

    @api.depends("phone")
    def _compute_partner_id(self):
        partners = self.env["res.partner"]
        for wizard in self:
            if wizard.phone and not wizard.partner_id:
                wizard.partner_id = partners._find_by_phone(
                    wizard.phone, self.env.company.country_id
                )

    @api.depends("partner_id")
    def _compute_customer_data(self):
        for wizard in self:
            partner = wizard.partner_id
            wizard.customer_name = partner.name or wizard.customer_name
            wizard.street = partner.street or wizard.street
            wizard.city = partner.city or wizard.city
            wizard.zip = partner.zip or wizard.zip
            wizard.state_id = partner.state_id or wizard.state_id
            wizard.country_id = (
                partner.country_id or wizard.country_id or self.env.company.country_id
            )

    def _get_readback_text(self):
        self.ensure_one()
        _ = self.env._
        lines = [
            _("Customer: %(name)s, phone %(phone)s")
            % {"name": self.customer_name or "-", "phone": self.phone or "-"},
            _("Deliver to: %(address)s")
            % {
                "address": ", ".join(
                    part
                    for part in (
                        self.street,
                        self.zip,
                        self.city,
                        self.state_id.name,
                        self.country_id.name,
                    )
                    if part
                )
                or "-"
            },
        ]
        for line in self.line_ids:
            lines.append(
                _("- %(qty)s %(uom)s %(product)s%(spec)s")
                % {
                    "qty": f"{line.quantity:g}",
                    "uom": line.product_id.uom_id.name,
                    "product": line.product_id.display_name,
                    "spec": f" ({line.spec})" if line.spec else "",
                }
            )
        if self.requested_date:
            lines.append(
                _("Delivery requested on %(date)s")
                % {"date": fields.Datetime.context_timestamp(self, self.requested_date)}
            )
        if self.urgency == "urgent":
            lines.append(_("Urgent order"))
        if self.is_custom_order:
            lines.append(
                _("Custom order: %(requirements)s")
                % {"requirements": self.custom_requirements or "-"}
            )
        if self.special_requests:
            lines.append(
                _("Special requests: %(requests)s")
                % {"requests": self.special_requests}
            )
        return "\n".join(lines)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Phone Order"),
        }

    def action_readback(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the products the customer orders."))
        self.write({"step": "readback", "readback_text": self._get_readback_text()})
        return self._reopen()

    def action_back(self):
        self.step = "entry"
        return self._reopen()

    def action_create_confirmed(self):
        """The customer confirmed the order read back to them."""
        order = self._create_order()
        order.action_record_phone_confirmation()
        return self._open_order(order)

    def action_create_unconfirmed(self):
        """Keep the order; without the read-back it stays to verify."""
        return self._open_order(self._create_order())

    def _open_order(self, order):
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _prepare_intake_data(self):
        """The order as the intake API parses it (``sale.order._intake_parse``
        and ``_intake_resolve``), to find or create the customer and build
        the order with the intake's own helpers."""
        self.ensure_one()
        customer = {
            "name": self.customer_name,
            "phone": self.phone,
            "street": self.street,
            "city": self.city,
            "zip": self.zip,
        }
        return {
            "channel": "phone",
            "platform": self.env["food.sales.platform"],
            "external_ref": False,
            "customer": {
                key: value.strip()
                for key, value in customer.items()
                if value and value.strip()
            },
            "country": self.country_id,
            "state": self.state_id,
            "lines": [
                {
                    "product": line.product_id,
                    "qty": line.quantity,
                    "price_unit": None,
                    "note": line.spec or False,
                }
                for line in self.line_ids
            ],
            "urgent": self.urgency == "urgent",
            "custom": self.is_custom_order,
            "custom_requirements": self.custom_requirements or False,
            "requested_date": self.requested_date or False,
            "note": self.special_requests or False,
        }

    def _create_order(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the products the customer orders."))
        orders = self.env["sale.order"]._intake_without_defaults()
        parsed = self._prepare_intake_data()
        partner = self.partner_id
        if partner:
            # the receiver chose the customer and corrected its data with them
            shipping = partner.browse()
            vals = orders._prepare_intake_partner_vals(parsed)
            changes = {
                key: value
                for key, value in vals.items()
                if key != "customer_rank"
                and value
                and value != (partner[key].id if key.endswith("_id") else partner[key])
            }
            if changes:
                partner.write(changes)
        else:
            partner, shipping = orders._intake_customer(parsed)
        return orders.create(
            orders._prepare_intake_order_vals(parsed, partner, shipping)
        )


class FoodPhoneOrderWizardLine(models.TransientModel):
    _name = "food.phone.order.wizard.line"
    _description = "Phone Order Product"

    wizard_id = fields.Many2one(
        "food.phone.order.wizard", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one(
        "product.product", required=True, domain=[("sale_ok", "=", True)]
    )
    spec = fields.Char(
        string="Specification", help="Size, weight, packaging asked by the customer."
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", required=True
    )

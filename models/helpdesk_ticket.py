# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# After-sales cases (R17): what the customer tells us and how it reached us
CASE_TYPES = [
    ("feedback", "Feedback"),
    ("inquiry", "Inquiry"),
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("complaint", "Complaint"),
    ("quality", "Quality Problem"),
]
CASE_CHANNELS = [
    ("hotline", "Hotline"),
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("platform", "Sales Platform"),
]
# the helpdesk channel (helpdesk_mgmt's own classification) of each channel
HELPDESK_CHANNEL_XMLIDS = {
    "hotline": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
    "email": "helpdesk_mgmt.helpdesk_ticket_channel_email",
    "portal": "helpdesk_mgmt.helpdesk_ticket_channel_web",
    "platform": "helpdesk_mgmt.helpdesk_ticket_channel_other",
}


class HelpdeskTicket(models.Model):
    """An after-sales case is a helpdesk ticket with a case type. Tickets
    without a case type (other helpdesk uses) are left as helpdesk_mgmt
    makes them: none of the fields below is required in the database."""

    _inherit = "helpdesk.ticket"

    _sql_constraints = [
        (
            "food_external_ref_platform_uniq",
            "unique (food_platform_id, food_external_ref, company_id)",
            "This platform case reference already exists: "
            "a case of a platform can only be entered once.",
        ),
    ]

    food_case_type = fields.Selection(
        CASE_TYPES,
        string="Case Type",
        index=True,
        tracking=True,
        help="Tickets with a case type are after-sales cases of the order center.",
    )
    food_case_channel = fields.Selection(
        CASE_CHANNELS,
        string="Case Channel",
        index=True,
        tracking=True,
        help="How the case reached the after-sales service.",
    )
    food_order_id = fields.Many2one(
        "sale.order",
        string="Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="commercial_partner_id and "
        "[('partner_id.commercial_partner_id', '=', commercial_partner_id)] or []",
        help="The order the case is about.",
    )
    food_picking_ids = fields.Many2many(
        "stock.picking",
        "helpdesk_ticket_food_picking_rel",
        "ticket_id",
        "picking_id",
        string="Deliveries",
        compute="_compute_food_picking_ids",
        store=True,
        readonly=False,
        domain="[('sale_id', '=', food_order_id), "
        "('picking_type_code', '=', 'outgoing')]",
        help="The deliveries of the order the case is about: all of them by "
        "default, remove those the case is not about.",
    )
    food_line_ids = fields.One2many(
        "food.case.line", "case_id", string="Products Concerned", copy=True
    )
    food_platform_id = fields.Many2one(
        "food.sales.platform",
        string="Sales Platform",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
    )
    food_external_ref = fields.Char(
        string="Platform Case Reference",
        index="btree_not_null",
        copy=False,
        help="The case number given by the sales platform.",
    )

    @api.depends("food_order_id")
    def _compute_food_picking_ids(self):
        for ticket in self:
            ticket.food_picking_ids = ticket.food_order_id.picking_ids.filtered(
                lambda picking: picking.picking_type_code == "outgoing"
            )

    @api.constrains("food_picking_ids", "food_order_id")
    def _check_food_picking_ids(self):
        for ticket in self:
            if ticket.food_picking_ids - ticket.food_order_id.picking_ids:
                raise ValidationError(
                    self.env._(
                        "The deliveries of case %(case)s must be deliveries of "
                        "its order.",
                        case=ticket.number,
                    )
                )

    @api.constrains("food_platform_id", "food_external_ref")
    def _check_food_external_ref(self):
        for ticket in self:
            if ticket.food_external_ref and not ticket.food_platform_id:
                raise ValidationError(
                    self.env._(
                        "The platform case reference of case %(case)s needs "
                        "its sales platform.",
                        case=ticket.number,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            channel = vals.get("food_case_channel")
            if channel and not vals.get("channel_id"):
                helpdesk_channel = self.env.ref(
                    HELPDESK_CHANNEL_XMLIDS[channel], raise_if_not_found=False
                )
                if helpdesk_channel:
                    vals["channel_id"] = helpdesk_channel.id
        return super().create(vals_list)

    def action_view_food_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.food_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # helpers shared by the hotline wizard, the mailbox and the API
    # ------------------------------------------------------------------

    @api.model
    def _food_case_type_label(self, case_type):
        selection = self._fields["food_case_type"]._description_selection(self.env)
        return dict(selection).get(case_type, "")

    @api.model
    def _food_find_orders(self, refs, platform=None):
        """Orders of the current company whose number, or platform order
        reference, is one of ``refs`` (of ``platform`` when given), in one
        query: {ref: orders}."""
        refs = list({ref for ref in refs if ref})
        if not refs:
            return {}
        reference_domain = [("external_ref", "in", refs)]
        if platform:
            reference_domain = [
                "&",
                *reference_domain,
                ("platform_id", "=", platform.id),
            ]
        orders = self.env["sale.order"].search(
            [
                ("company_id", "=", self.env.company.id),
                "|",
                ("name", "in", refs),
                *reference_domain,
            ]
        )
        # an order number wins over a platform's order reference
        by_name, by_reference = {}, {}
        for order in orders:
            if order.name in refs:
                by_name[order.name] = by_name.get(order.name, order.browse()) | order
            if order.external_ref in refs and (
                not platform or order.platform_id == platform
            ):
                ref = order.external_ref
                by_reference[ref] = by_reference.get(ref, order.browse()) | order
        return {**by_reference, **by_name}

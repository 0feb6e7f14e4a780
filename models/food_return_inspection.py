# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

INSPECTION_RESULTS = [
    ("resaleable", "Resaleable"),
    ("damaged", "Damaged"),
    ("expired", "Expired"),
    ("contaminated", "Contaminated"),
    ("wrong_item", "Wrong Item"),
]
DISPOSITIONS = [
    ("stock", "Back to Stock"),
    ("scrap", "Scrap"),
    ("supplier", "Back to the Supplier"),
]


class FoodReturnInspection(models.Model):
    """The inspection of returned goods (R18): they wait in quarantine (the
    warehouse's RMA location) until an inventory manager records what they
    found and where the goods go. No refund or replacement before it."""

    _name = "food.return.inspection"
    _description = "Returned Goods Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin", "food.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _sql_constraints = [
        ("rma_uniq", "unique (rma_id)", "The goods of a return are inspected once."),
    ]

    rma_id = fields.Many2one(
        "rma",
        string="Return",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    name = fields.Char(related="rma_id.name")
    company_id = fields.Many2one(
        related="rma_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="rma_id.partner_id", string="Customer")
    product_id = fields.Many2one(
        related="rma_id.product_id", store=True, index=True, precompute=True
    )
    quantity = fields.Float(related="rma_id.product_uom_qty")
    product_uom_id = fields.Many2one(related="rma_id.product_uom", string="Unit")
    return_reason = fields.Selection(related="rma_id.food_return_reason")
    location_id = fields.Many2one(
        related="rma_id.location_id", string="Quarantine Location"
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Lots Received",
        compute="_compute_lot_ids",
    )
    state = fields.Selection(
        [("draft", "To Inspect"), ("done", "Done")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    inspector_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
    )
    date = fields.Datetime(string="Inspected On", readonly=True, copy=False)
    result = fields.Selection(
        INSPECTION_RESULTS, index=True, tracking=True, help="What the goods are."
    )
    notes = fields.Text(string="Findings")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "food_return_inspection_attachment_rel",
        "inspection_id",
        "attachment_id",
        string="Photos",
    )
    disposition = fields.Selection(
        DISPOSITIONS,
        index=True,
        tracking=True,
        help="Where the goods go: only resaleable goods go back to stock.",
    )
    scrap_reason = fields.Char(help="Why the goods are scrapped.")
    supplier_id = fields.Many2one(
        "res.partner",
        compute="_compute_supplier_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    move_ids = fields.Many2many(
        "stock.move",
        "food_return_inspection_move_rel",
        "inspection_id",
        "move_id",
        string="Disposition Moves",
        readonly=True,
        copy=False,
    )
    scrap_ids = fields.Many2many(
        "stock.scrap",
        "food_return_inspection_scrap_rel",
        "inspection_id",
        "scrap_id",
        string="Scraps",
        readonly=True,
        copy=False,
    )

    @api.depends("rma_id.reception_move_id.move_line_ids.lot_id")
    def _compute_lot_ids(self):
        for inspection in self:
            inspection.lot_ids = (
                inspection.rma_id.sudo().reception_move_id.move_line_ids.lot_id
            )

    @api.depends("disposition", "product_id")
    def _compute_supplier_id(self):
        for inspection in self:
            if inspection.disposition == "supplier" and not inspection.supplier_id:
                inspection.supplier_id = inspection.product_id.seller_ids[:1].partner_id
            elif inspection.disposition != "supplier":
                inspection.supplier_id = False

    @api.model
    def _get_food_protected_fields(self):
        # written by the receipt of the goods and by action_done only
        return super()._get_food_protected_fields() | {
            "rma_id",
            "state",
            "date",
            "move_ids",
            "scrap_ids",
        }

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_food_trusted():
            self._check_food_protected_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_food_trusted():
            self._check_food_protected_fields([vals])
        if any(i.state == "done" for i in self) and set(vals) - {
            "message_main_attachment_id",
            "activity_ids",
        }:
            raise UserError(
                self.env._(
                    "An inspection that is done cannot be changed: its goods "
                    "have already been moved."
                )
            )
        return super().write(vals)

    def action_done(self):
        """Record the inspection, move the goods out of quarantine as
        decided and tell the customer the result."""
        self._check_can_be_done()
        now = fields.Datetime.now()
        for inspection in self:
            inspection._dispose()
        self._write_food_trusted({"state": "done", "date": now})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        # the notice goes out on the return, which inventory managers only read
        self.rma_id.sudo()._food_notify_customer(
            "food_order_center.mail_template_return_inspected"
        )
        return True

    def _check_can_be_done(self):
        _ = self.env._
        for inspection in self:
            name = inspection.rma_id.name
            if inspection.state != "draft":
                raise UserError(_("Inspection of %(rma)s is already done.", rma=name))
            if inspection.rma_id.state != "received":
                raise UserError(
                    _(
                        "The goods of %(rma)s are not in quarantine: receive "
                        "them before inspecting them.",
                        rma=name,
                    )
                )
            if not inspection.result or not inspection.disposition:
                raise UserError(
                    _(
                        "Record the result of the inspection of %(rma)s and "
                        "where the goods go.",
                        rma=name,
                    )
                )
            if inspection.disposition == "stock" and inspection.result != "resaleable":
                raise UserError(
                    _(
                        "Only resaleable goods go back to stock: scrap the "
                        "goods of %(rma)s or send them back to the supplier.",
                        rma=name,
                    )
                )
            if (
                inspection.disposition == "scrap"
                and not (inspection.scrap_reason or "").strip()
            ):
                raise UserError(
                    _("Give the reason for scrapping the goods of %(rma)s.", rma=name)
                )
            if inspection.disposition == "supplier" and not inspection.supplier_id:
                raise UserError(
                    _(
                        "Choose the supplier the goods of %(rma)s go back to.",
                        rma=name,
                    )
                )

    def _get_quantities_by_lot(self):
        """[(lot, quantity)] of the goods received for the return."""
        self.ensure_one()
        rma = self.rma_id.sudo()
        lines = rma.reception_move_id.move_line_ids
        if not lines:
            return [(self.env["stock.lot"], rma.product_uom_qty)]
        quantities = defaultdict(float)
        for line in lines:
            quantities[line.lot_id] += line.product_uom_id._compute_quantity(
                line.quantity, rma.product_uom
            )
        rounding = rma.product_uom.rounding
        return [
            (lot, qty)
            for lot, qty in quantities.items()
            if not float_is_zero(qty, precision_rounding=rounding)
        ]

    def _dispose(self):
        self.ensure_one()
        if self.disposition == "scrap":
            self._dispose_scrap()
        else:
            self._dispose_move()

    def _dispose_scrap(self):
        rma = self.rma_id.sudo()
        scraps = self.env["stock.scrap"].create(
            [
                {
                    "product_id": rma.product_id.id,
                    "product_uom_id": rma.product_uom.id,
                    "scrap_qty": qty,
                    "lot_id": lot.id,
                    "location_id": rma.location_id.id,
                    "origin": f"{rma.name}: {self.scrap_reason.strip()}",
                    "company_id": rma.company_id.id,
                }
                for lot, qty in self._get_quantities_by_lot()
            ]
        )
        scraps.do_scrap()
        self._write_food_trusted({"scrap_ids": [Command.set(scraps.ids)]})

    def _dispose_move(self):
        rma = self.rma_id.sudo()
        if self.disposition == "stock":
            destination = rma.warehouse_id.lot_stock_id
            partner = rma.partner_id
        else:
            destination = self.env.ref("stock.stock_location_suppliers")
            partner = self.supplier_id
        moves = self.env["stock.move"].create(
            [
                {
                    "name": rma.name,
                    "origin": rma.name,
                    "product_id": rma.product_id.id,
                    "product_uom": rma.product_uom.id,
                    "product_uom_qty": qty,
                    "location_id": rma.location_id.id,
                    "location_dest_id": destination.id,
                    "partner_id": partner.id,
                    "company_id": rma.company_id.id,
                    "picked": True,
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": rma.product_id.id,
                                "product_uom_id": rma.product_uom.id,
                                "quantity": qty,
                                "lot_id": lot.id,
                                "location_id": rma.location_id.id,
                                "location_dest_id": destination.id,
                                "company_id": rma.company_id.id,
                            }
                        )
                    ],
                }
                for lot, qty in self._get_quantities_by_lot()
            ]
        )
        moves._action_done()
        self._write_food_trusted({"move_ids": [Command.set(moves.ids)]})

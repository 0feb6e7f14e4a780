# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class FoodLotRecallWizard(models.TransientModel):
    """The recall list of lots: every order and customer that received
    them, and the recall notice sent to those customers."""

    _name = "food.lot.recall.wizard"
    _description = "Lot Recall List"

    lot_ids = fields.Many2many("stock.lot", string="Lots", readonly=True)
    case_id = fields.Many2one("helpdesk.ticket", readonly=True)
    line_ids = fields.One2many(
        "food.lot.recall.wizard.line", "wizard_id", string="Recipients", readonly=True
    )
    held = fields.Boolean(
        string="On Quality Hold",
        compute="_compute_held",
        help="Every lot of the recall is on quality hold.",
    )
    notified = fields.Boolean(compute="_compute_notified")

    @api.depends("lot_ids.food_quality_hold")
    def _compute_held(self):
        for wizard in self:
            wizard.held = bool(wizard.lot_ids) and all(
                wizard.lot_ids.mapped("food_quality_hold")
            )

    @api.depends("line_ids.notified")
    def _compute_notified(self):
        for wizard in self:
            wizard.notified = bool(wizard.line_ids) and all(
                wizard.line_ids.mapped("notified")
            )

    @api.model
    def _food_open(self, lots, case=None):
        """The recall list of ``lots`` (for ``case``), in a dialog."""
        lots.check_access("read")
        wizard = self.create(
            {
                "lot_ids": [fields.Command.set(lots.ids)],
                "case_id": case.id if case else False,
                "line_ids": [
                    fields.Command.create(vals)
                    for vals in lots._prepare_food_recall_line_vals()
                ],
            }
        )
        return wizard._food_action()

    def _food_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recall List"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_notify_customers(self):
        """After-sales staff: send every customer of the list a recall notice
        in their language, logged on their order (one message per order)."""
        self.ensure_one()
        if not self.env.user.has_group("food_order_center.group_aftersales"):
            raise AccessError(
                self.env._("Only after-sales staff can send recall notices.")
            )
        lines = self.line_ids.filtered(lambda line: not line.notified)
        if not lines:
            raise UserError(self.env._("Nobody is left to notify on this list."))
        no_partner = lines.filtered(lambda line: not line.partner_id)
        if no_partner:
            raise UserError(
                self.env._(
                    "Some deliveries have no customer; contact them another "
                    "way: %(deliveries)s",
                    deliveries=", ".join(no_partner.picking_ids.mapped("name")),
                )
            )
        template = self.env.ref("food_order_center.mail_template_lot_recall")
        by_document = defaultdict(lambda: self.env["food.lot.recall.wizard.line"])
        for line in lines:
            by_document[line.order_id or line.picking_ids[:1]] |= line
        for document, document_lines in by_document.items():
            self._food_post_recall_notice(template, document, document_lines)
        lines.write({"notified": True})
        # the lots keep a trace of the recall (after-sales staff read lots)
        for lot in self.lot_ids.sudo():
            lot.message_post(
                body=self.env._(
                    "Recall notice sent by %(user)s to %(customers)s.",
                    user=self.env.user.name,
                    customers=", ".join(
                        lines.filtered(
                            lambda line, lot=lot: line.lot_id == lot
                        ).partner_id.mapped("display_name")
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return self._food_action()

    @api.model
    def _food_post_recall_notice(self, template, document, lines):
        """The recall notice of ``lines`` (one customer, one order or
        delivery), in the customer's language, posted on ``document``."""
        partner = lines.partner_id[:1]
        render_context = {
            "lots": lines.lot_id,
            "reference": document.display_name,
            "delivery_date": min(lines.mapped("delivery_date"), default=False),
        }
        subject = template._render_field(
            "subject", partner.ids, compute_lang=True, add_context=render_context
        )[partner.id]
        body = template._render_field(
            "body_html",
            partner.ids,
            compute_lang=True,
            add_context=render_context,
            options={"post_process": True},
        )[partner.id]
        # after-sales staff read orders and deliveries only: the notice is
        # logged by this action, for the customer of the order
        return document.sudo().message_post(
            body=body,
            subject=subject,
            partner_ids=partner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )


class FoodLotRecallWizardLine(models.TransientModel):
    _name = "food.lot.recall.wizard.line"
    _description = "Lot Recall List: Recipient"
    _order = "lot_id, delivery_date, id"

    wizard_id = fields.Many2one(
        "food.lot.recall.wizard", required=True, ondelete="cascade"
    )
    lot_id = fields.Many2one("stock.lot", required=True)
    product_id = fields.Many2one(related="lot_id.product_id")
    order_id = fields.Many2one("sale.order")
    partner_id = fields.Many2one("res.partner", string="Customer")
    picking_ids = fields.Many2many("stock.picking", string="Deliveries")
    quantity = fields.Float(
        string="Quantity Delivered", digits="Product Unit of Measure"
    )
    delivery_date = fields.Datetime(string="Delivered On")
    notified = fields.Boolean()

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# the cases a return can be requested from, and the RMA operation it gets
RETURN_CASE_OPERATIONS = {
    "return": "rma.rma_operation_refund",
    "quality": "rma.rma_operation_refund",
    "complaint": "rma.rma_operation_refund",
    "exchange": "rma.rma_operation_replace",
}


class HelpdeskTicket(models.Model):
    """Returns and exchanges requested from an after-sales case (R18)."""

    _inherit = "helpdesk.ticket"

    food_rma_ids = fields.One2many("rma", "food_case_id", string="Returns")
    food_rma_count = fields.Integer(
        string="Returns Count", compute="_compute_food_rma_count"
    )

    @api.depends("food_rma_ids")
    def _compute_food_rma_count(self):
        counts = dict(
            self.env["rma"]._read_group(
                [("food_case_id", "in", self.ids)], ["food_case_id"], ["__count"]
            )
        )
        for case in self:
            case.food_rma_count = counts.get(case, 0)

    def action_food_create_returns(self):
        """One draft return per product of the case, on the delivery that
        brought it; the policy is checked when the return is confirmed."""
        self.ensure_one()
        _ = self.env._
        if self.food_case_type not in RETURN_CASE_OPERATIONS:
            raise UserError(
                _(
                    "Returns are requested from return, exchange, quality or "
                    "complaint cases."
                )
            )
        if not self.food_order_id or not self.food_line_ids:
            raise UserError(
                _(
                    "Link the order and list the products concerned before "
                    "requesting their return."
                )
            )
        moves = self._food_get_delivered_moves()
        operation = self.env.ref(RETURN_CASE_OPERATIONS[self.food_case_type])
        vals_list = []
        missing = []
        for line in self.food_line_ids:
            move = moves.filtered(
                lambda m, line=line: (
                    m.product_id == line.product_id
                    and (not line.lot_id or line.lot_id in m.move_line_ids.lot_id)
                )
            )[:1]
            if not move:
                missing.append(line.product_id.display_name)
                continue
            vals_list.append(self._prepare_food_rma_vals(line, move, operation))
        if missing:
            raise UserError(
                _(
                    "No delivery of order %(order)s brought %(products)s: "
                    "correct the products of the case.",
                    order=self.food_order_id.name,
                    products=", ".join(missing),
                )
            )
        rmas = self.env["rma"].create(vals_list)
        return self._food_action_view_returns(rmas)

    def action_view_food_returns(self):
        self.ensure_one()
        return self._food_action_view_returns(self.food_rma_ids)

    def _food_get_delivered_moves(self):
        """The done moves that delivered the case's order to the customer."""
        # the moves of the order, which after-sales staff read through the case
        return (
            self.food_order_id.sudo()
            .picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state == "done"
            )
            .move_ids.filtered(lambda m: m.state == "done")
            .sorted("date", reverse=True)
        )

    def _prepare_food_rma_vals(self, line, move, operation):
        return {
            "partner_id": self.partner_id.id or self.food_order_id.partner_id.id,
            "company_id": self.company_id.id,
            "food_case_id": self.id,
            "order_id": self.food_order_id.id,
            "picking_id": move.picking_id.id,
            "move_id": move.id,
            "product_id": line.product_id.id,
            "product_uom_qty": line.quantity or move.quantity,
            "product_uom": move.product_uom.id,
            "operation_id": operation.id,
            "origin": self.number,
            "description": self.description,
        }

    def _food_action_view_returns(self, rmas):
        action = self.env["ir.actions.act_window"]._for_xml_id("rma.rma_action")
        action["context"] = {"default_food_case_id": self.id}
        if len(rmas) == 1:
            action.update(res_id=rmas.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", rmas.ids)]
        return action

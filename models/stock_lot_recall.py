# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recall of a lot (R19): the lot goes on quality hold and the customers
who received it are listed and told."""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class StockLot(models.Model):
    _inherit = "stock.lot"

    def action_food_quality_hold(self, reason):
        """Inventory managers: put the lots on quality hold (the hold of
        stock_lot.py: no longer available nor reserved) with the reason in
        their chatter. Callable over RPC."""
        if not self.env.user.has_group("food_order_center.group_inventory_manager"):
            raise AccessError(
                self.env._(
                    "Only inventory managers can put lots on quality hold "
                    "or release them."
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Describe the quality problem."))
        to_hold = self.filtered(lambda lot: not lot.food_quality_hold)
        to_hold.write({"food_quality_hold": True})
        for lot in to_hold:
            lot.message_post(
                body=self.env._(
                    "Quality hold by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _food_request_quality_hold(self, reason):
        """Ask the inventory managers to put the lots that are not on hold
        yet on quality hold (an activity on each lot)."""
        to_hold = self.filtered(lambda lot: not lot.food_quality_hold)
        if not to_hold:
            return
        # reading the members of the group and scheduling on lots that the
        # after-sales staff may only read: done by the addon for them
        managers = (
            self.env.ref("food_order_center.group_inventory_manager")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share)
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        summary = self.env._("Put this lot on quality hold")
        activities = [
            {
                "res_model_id": model_id,
                "res_id": lot.id,
                "activity_type_id": todo.id,
                "user_id": manager.id,
                "summary": summary,
                "note": reason,
                "automated": True,
                "date_deadline": fields.Date.context_today(self),
            }
            for lot in to_hold
            for manager in managers
            if not lot.company_id or lot.company_id in manager.company_ids
        ]
        self.env["mail.activity"].sudo().create(activities)

    def _food_recall_deliveries(self):
        """The deliveries to customers of these lots, in one query:
        ``[(lot, picking, quantity)]`` (quantity in the product's unit)."""
        groups = self.env["stock.move.line"]._read_group(
            [
                ("lot_id", "in", self.ids),
                ("state", "=", "done"),
                ("location_dest_id.usage", "=", "customer"),
                ("picking_id", "!=", False),
            ],
            ["lot_id", "picking_id"],
            ["quantity_product_uom:sum"],
        )
        return groups

    def _prepare_food_recall_line_vals(self):
        """One line per lot and order that received it (per delivery for
        deliveries without order), with the quantity delivered."""
        deliveries = self._food_recall_deliveries()
        lines = {}
        for lot, picking, quantity in deliveries:
            key = (lot, picking.sale_id or picking)
            line = lines.setdefault(
                key,
                {
                    "lot_id": lot.id,
                    "order_id": picking.sale_id.id,
                    "partner_id": (picking.sale_id.partner_id or picking.partner_id).id,
                    "picking_ids": [],
                    "quantity": 0.0,
                    "delivery_date": picking.date_done,
                },
            )
            line["picking_ids"].append(picking.id)
            line["quantity"] += quantity
            dates = [d for d in (line["delivery_date"], picking.date_done) if d]
            line["delivery_date"] = min(dates, default=False)
        return [
            {**vals, "picking_ids": [fields.Command.set(vals["picking_ids"])]}
            for vals in lines.values()
        ]

    def action_food_recall_list(self):
        """The recall list of the lot: every order and customer that
        received it."""
        return self.env["food.lot.recall.wizard"]._food_open(self)

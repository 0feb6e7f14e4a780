# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import models

from .sale_order import URGENT_PRIORITY


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _notify_special_orders(self, kinds):
        """Tell the people configured for urgent and custom orders.

        :param dict kinds: order -> set of kinds ("urgent", "custom") to notify
        """
        labels = {
            "urgent": self.env._("Urgent order"),
            "custom": self.env._("Custom order"),
        }
        for kind in ("urgent", "custom"):
            orders = self.browse(
                [
                    order.id
                    for order, order_kinds in kinds.items()
                    if kind in order_kinds
                ]
            )
            if not orders:
                continue
            users = {
                order: order.company_id.food_urgent_notify_user_ids
                if kind == "urgent"
                else order.company_id.food_custom_notify_user_ids
                for order in orders
            }
            orders._create_notices(
                "food_order_center.mail_activity_type_special_order",
                labels[kind],
                {
                    order: order.custom_requirements if kind == "custom" else False
                    for order in orders
                },
                users,
            )
            for order in orders:
                order.message_post(
                    body=self.env._(
                        "%(kind)s: %(people)s notified.",
                        kind=labels[kind],
                        people=", ".join(users[order].mapped("name"))
                        or self.env._("nobody is configured to be notified"),
                    ),
                    partner_ids=users[order].partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )

    def _get_special_kinds(self):
        self.ensure_one()
        kinds = set()
        if self.intake_channel and self.urgency == "urgent":
            kinds.add("urgent")
        if self.intake_channel and self.is_custom_order:
            kinds.add("custom")
        return kinds

    def _sync_picking_priority(self):
        """Give the open transfers of the orders the priority of their urgency."""
        pickings = self.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for urgency in ("normal", "urgent"):
            to_update = pickings.filtered(lambda p, u=urgency: p.sale_id.urgency == u)
            priority = URGENT_PRIORITY if urgency == "urgent" else "0"
            to_update.filtered(lambda p, prio=priority: p.priority != prio).write(
                {"priority": priority}
            )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Shipping documents printed from the order (R16): the delivery notes
    and packing lists of its deliveries, in the customer's language."""

    _inherit = "sale.order"

    def action_print_delivery_notes(self):
        return self._print_food_shipping_document(
            "food_order_center.action_report_delivery_note"
        )

    def action_print_packing_lists(self):
        return self._print_food_shipping_document(
            "food_order_center.action_report_packing_list"
        )

    def _print_food_shipping_document(self, report_xmlid):
        """The report action of ``report_xmlid`` for the orders' deliveries;
        the report itself only prints what the user may read."""
        pickings = self._get_food_shipping_pickings()
        if not pickings:
            raise UserError(
                self.env._(
                    "These orders have no delivery to print documents for: %(orders)s",
                    orders=", ".join(self.mapped("name")),
                )
            )
        action = self.env.ref(report_xmlid).report_action(pickings)
        # no None over XML-RPC (report_action gives data=None)
        return {key: value for key, value in action.items() if value is not None}

    def _get_food_shipping_pickings(self):
        """Outgoing transfers of the orders that are not cancelled."""
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )

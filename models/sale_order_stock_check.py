# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .sale_order_line import STOCK_STATUSES

# set by the stock check and the inventory manager's confirmation
STOCK_RESULT_FIELDS = {
    "stock_status",
    "stock_check_date",
    "expected_restock_date",
    "stock_confirmation",
    "stock_confirmed_by_id",
    "stock_confirmed_date",
    "stock_recheck_date",
}
STOCK_CONFIRMATION_STATES = [("to_confirm", "To Confirm"), ("confirmed", "Confirmed")]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # not tracked: checked on every correction; shortages are notified,
    # confirmed and re-checked in the chatter instead
    stock_status = fields.Selection(
        STOCK_STATUSES,
        readonly=True,
        copy=False,
        index=True,
        help="Result of the last stock check of the order's lines.",
    )
    stock_check_date = fields.Datetime(
        string="Stock Checked On", readonly=True, copy=False
    )
    expected_restock_date = fields.Date(
        readonly=True,
        copy=False,
        tracking=True,
        help="When the missing goods are expected: proposed by the stock check "
        "(next receipt, else supplier lead time), confirmed or corrected by "
        "the inventory manager.",
    )
    stock_confirmation = fields.Selection(
        STOCK_CONFIRMATION_STATES,
        string="Stock Check Confirmation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Shortages are confirmed by an inventory manager, with the "
        "expected restock date.",
    )
    stock_confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    stock_confirmed_date = fields.Datetime(
        string="Stock Confirmed On", readonly=True, copy=False
    )
    stock_recheck_date = fields.Datetime(
        string="Re-checked On",
        readonly=True,
        copy=False,
        help="Last re-check of the order against the stock by its processor.",
    )

    @api.model
    def _get_food_protected_fields(self):
        return super()._get_food_protected_fields() | STOCK_RESULT_FIELDS

    @api.model
    def _get_food_check_triggers(self):
        # the warehouse and the date decide which stock counts
        return super()._get_food_check_triggers() | {
            "order_line",
            "warehouse_id",
            "commitment_date",
        }

    def _get_stock_check_date(self):
        """Day the goods must be delivered: lots removed by then don't count."""
        self.ensure_one()
        moment = self.commitment_date or self.expected_date or fields.Datetime.now()
        return fields.Date.context_today(self, moment)

    def _run_stock_check(self):
        """Check the order-center orders of ``self`` against the stock of
        their warehouse, line by line, and tell the processor and the
        inventory managers of new shortages."""
        orders = self.filtered(
            lambda o: o.intake_channel and o.state != "cancel" and o.id
        )
        if not orders:
            return
        changed_lines = orders.order_line._run_stock_check()
        now = fields.Datetime.now()
        short_orders = self.browse()
        available_orders = self.browse()
        to_write = defaultdict(lambda: self.browse())
        for order in orders:
            checked = order.order_line._get_stock_checked_lines()
            statuses = set(checked.mapped("stock_status"))
            if not checked:
                status = False
            elif statuses == {"available"}:
                status = "available"
            elif statuses == {"shortage"}:
                status = "shortage"
            else:
                status = "partial"
            vals = {"stock_status": status, "stock_check_date": now}
            if status in ("partial", "shortage"):
                proposed = max(
                    (date for date in checked.mapped("stock_restock_date") if date),
                    default=False,
                )
                if order.stock_status in (False, "available") or (
                    changed_lines & order.order_line
                ):
                    vals.update(
                        stock_confirmation="to_confirm",
                        expected_restock_date=proposed,
                        stock_confirmed_by_id=False,
                        stock_confirmed_date=False,
                    )
                    short_orders |= order
                elif (
                    order.stock_confirmation != "confirmed"
                    and order.expected_restock_date != proposed
                ):
                    # not confirmed yet: the date follows the proposal
                    vals["expected_restock_date"] = proposed
            elif order.stock_confirmation or order.expected_restock_date:
                vals.update(stock_confirmation=False, expected_restock_date=False)
                available_orders |= order
            to_write[tuple(sorted(vals.items()))] |= order
        for vals, same_orders in to_write.items():
            same_orders._write_food_trusted(dict(vals))
        if available_orders:
            available_orders.activity_feedback(
                ["food_order_center.mail_activity_type_stock_shortage"],
                feedback=self.env._("The goods are available again."),
            )
        if short_orders:
            short_orders._notify_stock_shortage()

    def _get_inventory_staff(self):
        """Inventory managers to tell of shortages: the dedicated ones, the
        order center managers only where there is none."""
        inventory = self.env.ref("food_order_center.group_inventory_manager").users
        managers = self.env.ref("food_order_center.group_order_center_manager").users
        users = (inventory - managers) or managers
        return users.filtered(lambda u: u.active and not u.share)

    def _notify_stock_shortage(self):
        # a new shortage replaces the notices of the previous check
        self.activity_unlink(["food_order_center.mail_activity_type_stock_shortage"])
        staff = self._get_inventory_staff()
        notes, users = {}, {}
        for order in self:
            lines = order.order_line.filtered(
                lambda line: line.stock_status in ("partial", "shortage")
            )
            notes[order] = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s: %(qty)s %(uom)s ordered, %(free)s free, "
                    "expected restock %(date)s",
                    product=line.product_id.display_name,
                    qty=line.product_uom_qty,
                    uom=line.product_uom.name,
                    free=line.stock_available_qty,
                    date=line.stock_restock_date or self.env._("unknown"),
                )
                for line in lines
            )
            users[order] = order.processor_id | staff.filtered_domain(
                [("company_ids", "in", order.company_id.ids)]
            )
        # closed by the stock check and its confirmation
        self._create_notices(
            "food_order_center.mail_activity_type_stock_shortage",
            self.env._("Stock shortage"),
            notes,
            users,
        )

    def action_confirm_stock_check(self, restock_date=None):
        """Inventory manager: confirm the stock check of the orders, with
        the expected restock date (corrected if given)."""
        self._check_food_allowed("confirm_stock")
        pending = self.filtered(lambda o: o.stock_confirmation == "to_confirm")
        if pending != self:
            raise UserError(
                self.env._(
                    "These orders have no stock check to confirm: %(orders)s",
                    orders=", ".join((self - pending).mapped("display_name")),
                )
            )
        vals = {
            "stock_confirmation": "confirmed",
            "stock_confirmed_by_id": self.env.user.id,
            "stock_confirmed_date": fields.Datetime.now(),
        }
        if restock_date:
            vals["expected_restock_date"] = restock_date
        self._write_food_trusted(vals)
        # the inventory notices are done; the processor keeps theirs
        for order in self:
            notices = order.activity_search(
                ["food_order_center.mail_activity_type_stock_shortage"]
            ).filtered(lambda a, o=order: a.user_id != o.processor_id)
            notices.action_feedback(
                feedback=self.env._(
                    "Stock check confirmed, restock expected %(date)s.",
                    date=order.expected_restock_date or self.env._("unknown"),
                ),
            )
        return True

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time

from markupsafe import Markup

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    food_exception_ids = fields.One2many(
        "food.order.exception", "order_id", string="Exceptions", readonly=True
    )
    quality_hold = fields.Boolean(
        string="On Quality Hold",
        compute="_compute_quality_hold",
        store=True,
        index=True,
        help="An open quality exception holds the order: it cannot be shipped.",
    )
    food_exception_count = fields.Integer(compute="_compute_food_exception_count")

    @api.depends("food_exception_ids.state", "food_exception_ids.exception_type")
    def _compute_quality_hold(self):
        for order in self:
            order.quality_hold = any(
                exception.exception_type == "quality" and exception.state == "open"
                for exception in order.food_exception_ids
            )

    def _compute_food_exception_count(self):
        # a count only, for every user who reads the order
        groups = (
            self.env["food.order.exception"]
            .sudo()
            ._read_group([("order_id", "in", self.ids)], ["order_id"], ["__count"])
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            order.food_exception_count = counts.get(order.id, 0)

    @api.model
    def _get_food_protected_fields(self):
        # lifted by the end of the hold only (food.order.exception)
        return super()._get_food_protected_fields() | {"quality_hold"}

    def action_recheck(self):
        """Processor: check the order against the stock again (and its
        verification while it is a quotation) and show what changed since
        the order was entered."""
        self._check_food_allowed("process")
        before = {
            line: line.stock_status
            for line in self.order_line._get_stock_checked_lines()
        }
        self._run_verification()
        self._run_stock_check()
        self._write_food_trusted({"stock_recheck_date": fields.Datetime.now()})
        texts = []
        found = False
        for order in self:
            findings = order._get_recheck_findings(before)
            found = found or bool(findings)
            if findings:
                body = Markup("%s<ul>%s</ul>") % (
                    self.env._("Re-check:"),
                    Markup().join(Markup("<li>%s</li>") % text for text in findings),
                )
            else:
                body = self.env._(
                    "Re-check: no change since entry, the stock covers the order."
                )
            order.message_post(body=body, subtype_xmlid="mail.mt_note")
            detail = "; ".join(findings) if findings else body
            texts.append(f"{order.name}: {detail}")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Order re-checked"),
                "message": "\n".join(texts),
                "type": "warning" if found else "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _get_recheck_findings(self, before):
        """What the processor must know after a re-check: the lines short of
        stock or whose status changed since entry (or since the last check),
        and the verification problems."""
        self.ensure_one()
        labels = dict(
            self.env["sale.order.line"]
            ._fields["stock_status"]
            ._description_selection(self.env)
        )
        findings = []
        for line in self.order_line._get_stock_checked_lines():
            entry = line.stock_entry_status
            if (
                line.stock_status != "available"
                or line.stock_status != entry
                or before.get(line) != line.stock_status
            ):
                findings.append(
                    self.env._(
                        "%(product)s: %(entry)s at entry, %(now)s now",
                        product=line.product_id.display_name,
                        entry=labels.get(entry, self.env._("not checked")),
                        now=labels.get(line.stock_status, self.env._("not checked")),
                    )
                )
        return findings + self.verification_problem_ids.mapped("name")

    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_order_exception_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    def action_quality_hold(self, reason, line_id=False, lot_id=False):
        """Put the order (or one of its lines, or a lot) on quality hold.
        Callable over RPC with ids; the wizard uses it too."""
        self.ensure_one()
        line = self.env["sale.order.line"].browse(line_id or [])
        lot = self.env["stock.lot"].browse(lot_id or [])
        return (
            self.env["food.order.exception"]
            ._open_quality_hold(self, reason, line=line, lot=lot)
            .id
        )

    def _action_cancel(self):
        self._check_food_allowed("cancel")
        res = super()._action_cancel()
        # a cancelled order needs no stock any more
        pending = self.filtered("stock_confirmation")
        pending._write_food_trusted({"stock_confirmation": False})
        pending.activity_unlink(["food_order_center.mail_activity_type_stock_shortage"])
        return res

    def _set_delivery_policy(self, policy):
        """Ship everything at once ("one") or what is there now ("direct",
        the rest in a backorder), for the order and its open transfers."""
        self._write_food_trusted({"picking_policy": policy})
        self.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.move_type != policy
        ).write({"move_type": policy})

    def _postpone_commitment(self, date):
        """Promise the delivery no earlier than ``date``."""
        for order in self:
            if not order.commitment_date or order.commitment_date.date() < date:
                order._write_food_trusted(
                    {"commitment_date": datetime.combine(date, time(12))}
                )

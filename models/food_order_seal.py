# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tamper evidence (R21): a hash chain of the confirmed orders, the way Odoo
chains posted invoices where the law asks for it.

When an order-center order is confirmed, its content (customer, addresses,
lines, prices, totals and the checksums of its original documents) is
hashed, and the hash is chained to the previous seal's. A change of that
content through the application (a stock-out substitution, a quantity
corrected by a processor) seals the order again, as a new link of the chain,
after the audit trail has kept the change. A change made around the
application (SQL, the file store) breaks the match: the integrity check
lists the orders whose content or originals no longer match their last
seal, and the links of the chain that do not follow."""

import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

SEAL_REASONS = [
    ("confirm", "Confirmed"),
    ("change", "Changed after Confirmation"),
]
# the chain starts from this
GENESIS_HASH = "0" * 64
# what of an order is sealed
ORDER_SEALED_FIELDS = frozenset(
    {
        "partner_id",
        "partner_invoice_id",
        "partner_shipping_id",
        "currency_id",
        "original_document_ids",
    }
)
# what replaces the content of an attachment
ATTACHMENT_CONTENT_FIELDS = frozenset(
    {"datas", "raw", "db_datas", "store_fname", "checksum", "url", "type"}
)
LINE_SEALED_FIELDS = frozenset(
    {
        "order_id",
        "product_id",
        "name",
        "product_uom_qty",
        "product_uom",
        "price_unit",
        "discount",
        "tax_id",
        "display_type",
    }
)


def file_checksum(attachment):
    """The SHA-1 of the attachment's content as read now (from the file
    store or the database), not its stored checksum."""
    return hashlib.sha1(attachment.raw or b"").hexdigest()


class FoodOrderSeal(models.Model):
    _name = "food.order.seal"
    _inherit = "food.append.only.mixin"
    _description = "Order Center: seal of a confirmed order"
    _order = "sequence desc"
    _log_access = False
    _rec_name = "sequence"

    sequence = fields.Integer(required=True, readonly=True, index=True)
    order_id = fields.Many2one(
        "sale.order",
        required=True,
        readonly=True,
        index=True,
        # a sealed order stays: deleting it would break the chain
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    reason = fields.Selection(SEAL_REASONS, required=True, readonly=True)
    content_hash = fields.Char(required=True, readonly=True)
    previous_hash = fields.Char(required=True, readonly=True)
    hash = fields.Char(required=True, readonly=True)

    _sql_constraints = [
        ("sequence_uniq", "unique (sequence)", "A link of the chain is unique."),
    ]

    @staticmethod
    def _chain_hash(previous_hash, sequence, order_id, content_hash):
        return hashlib.sha256(
            f"{previous_hash}|{sequence}|{order_id}|{content_hash}".encode()
        ).hexdigest()

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------

    @api.model
    def _food_seal(self, orders, reason):
        """Append one link per order to the chain. The chain's sequence is a
        no-gap one: its row is locked until the transaction ends, so two
        transactions never chain to the same link (the second one is retried
        by the server, as any serialization conflict)."""
        if not orders:
            return
        env = self.env
        contents = orders._food_seal_contents()
        sequence = env.ref("food_order_center.ir_sequence_food_order_seal").sudo()
        numbers = [int(sequence._next()) for _order in orders]
        env.cr.execute(
            SQL(
                "SELECT hash FROM food_order_seal WHERE sequence = %s",
                numbers[0] - 1,
            )
        )
        row = env.cr.fetchone()
        previous = row[0] if row else GENESIS_HASH
        date = fields.Datetime.now()
        rows = []
        for number, order in zip(numbers, orders, strict=True):
            content_hash = contents[order.id]
            chained = self._chain_hash(previous, number, order.id, content_hash)
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    number,
                    order.id,
                    order.company_id.id,
                    date,
                    env.uid,
                    reason,
                    content_hash,
                    previous,
                    chained,
                )
            )
            previous = chained
        env.cr.execute(
            SQL(
                """INSERT INTO food_order_seal (sequence, order_id, company_id,
                       date, user_id, reason, content_hash, previous_hash, hash)
                   VALUES %s""",
                SQL(", ").join(rows),
            )
        )
        self.invalidate_model()
        orders.invalidate_recordset(["food_seal_ids"])

    @api.model
    def _food_sealed_ids(self, order_ids):
        """The orders of ``order_ids`` that have a seal."""
        if not order_ids:
            return set()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT order_id FROM food_order_seal
                    WHERE order_id = ANY(%s)""",
                list(order_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # Integrity check
    # ------------------------------------------------------------------

    @api.model
    def check_integrity(self):
        """The integrity check, for the managers (web client or external
        API): {"seals", "orders", "problems": [{"order_id", "order", "kind",
        "detail"}]}, the problems of the orders the user may read."""
        self.check_access("read")
        result = self.sudo()._food_check_integrity()
        existing = (
            self.env["sale.order"]
            .browse({order_id for order_id, _kind, _detail in result["problems"]})
            .exists()
        )
        # an order deleted around the application is listed by its id
        hidden = set((existing - existing._filtered_access("read")).ids)
        names = {order.id: order.display_name for order in existing.sudo()}
        result["problems"] = [
            {
                "order_id": order_id,
                "order": names.get(order_id, f"#{order_id}"),
                "kind": kind,
                "detail": detail,
            }
            for order_id, kind, detail in result["problems"]
            if order_id not in hidden
        ]
        return result

    @api.model
    def _food_check_integrity(self, batch=1000):
        """Check the whole chain and every sealed order's current content.

        Returns {"seals": n, "orders": n, "problems": [(order id, kind,
        detail)]}, where kind is ``chain`` (a link does not follow the one
        before it: a seal was changed, deleted or inserted) or ``content``
        (the order's customer, lines, prices or originals no longer match
        its last seal)."""
        cr = self.env.cr
        problems = []
        cr.execute(
            """SELECT sequence, order_id, content_hash, previous_hash, hash
                 FROM food_order_seal ORDER BY sequence"""
        )
        previous, expected_sequence, last_seal = GENESIS_HASH, 1, {}
        seals = 0
        for sequence, order_id, content_hash, previous_hash, chained in cr.fetchall():
            seals += 1
            if (
                sequence != expected_sequence
                or previous_hash != previous
                or chained
                != self._chain_hash(previous_hash, sequence, order_id, content_hash)
            ):
                problems.append(
                    (
                        order_id,
                        "chain",
                        self.env._("Link %(sequence)s", sequence=sequence),
                    )
                )
            previous, expected_sequence = chained, sequence + 1
            last_seal[order_id] = content_hash
        order_ids = sorted(last_seal)
        Order = self.env["sale.order"].sudo()
        for start in range(0, len(order_ids), batch):
            # what the database holds now, not what this transaction cached
            self.env.invalidate_all()
            orders = Order.browse(order_ids[start : start + batch]).exists()
            missing = set(order_ids[start : start + batch]) - set(orders.ids)
            problems.extend(
                (order_id, "content", self.env._("The order is gone"))
                for order_id in sorted(missing)
            )
            contents = orders._food_seal_contents()
            problems.extend(
                (
                    order.id,
                    "content",
                    self.env._("Its content no longer matches its last seal"),
                )
                for order in orders
                if contents[order.id] != last_seal[order.id]
            )
        return {"seals": seals, "orders": len(order_ids), "problems": problems}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    food_seal_ids = fields.One2many(
        "food.order.seal", "order_id", string="Seals", readonly=True
    )

    def _food_seal_contents(self):
        """{order id: SHA-256 of its sealed content}: the customer and its
        addresses, the currency, the lines (product, description, quantity,
        unit, price, discount, taxes), the totals and the SHA-1 of each
        original document's content as read now."""
        result = {}
        for order in self.sudo():
            content = {
                "name": order.name,
                "company": order.company_id.id,
                "partner": order.partner_id.id,
                "invoice_address": order.partner_invoice_id.id,
                "delivery_address": order.partner_shipping_id.id,
                "currency": order.currency_id.name,
                "lines": [
                    [
                        line.id,
                        line.display_type or "",
                        line.product_id.id,
                        line.name or "",
                        repr(line.product_uom_qty),
                        line.product_uom.id,
                        repr(line.price_unit),
                        repr(line.discount),
                        sorted(line.tax_id.ids),
                    ]
                    for line in order.order_line.sorted("id")
                ],
                "totals": [
                    repr(order.amount_untaxed),
                    repr(order.amount_tax),
                    repr(order.amount_total),
                ],
                "originals": sorted(
                    [document.id, file_checksum(document)]
                    for document in order.original_document_ids
                ),
            }
            result[order.id] = hashlib.sha256(
                json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
            ).hexdigest()
        return result

    def _food_reseal(self):
        """Seal again the orders of ``self`` that are sealed: their content
        changed through the application (the audit trail has the change).
        Orders created in this transaction have their seals in cache (none):
        intake's lines cost no query here."""
        sealed = self.sudo().filtered(
            lambda order: order.intake_channel and order.food_seal_ids
        )
        self.env["food.order.seal"].sudo()._food_seal(sealed, "change")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_food_sealed(self):
        sealed = self.env["food.order.seal"]._food_sealed_ids(self.ids)
        if sealed:
            raise UserError(
                self.env._(
                    "These orders were confirmed and sealed: they stay, "
                    "cancelled if need be, and cannot be deleted: %(orders)s",
                    orders=", ".join(
                        self.filtered(lambda o: o.id in sealed).mapped("display_name")
                    ),
                )
            )

    def _action_confirm(self):
        res = super()._action_confirm()
        self.env["food.order.seal"].sudo()._food_seal(
            self.filtered("intake_channel"), "confirm"
        )
        return res

    def write(self, vals):
        if not ORDER_SEALED_FIELDS.intersection(vals):
            return super().write(vals)
        documents_before = {
            order.id: set(order.original_document_ids.ids) for order in self
        }
        res = super().write(vals)
        if "original_document_ids" in vals and not self.env.su:
            sealed = self.env["food.order.seal"]._food_sealed_ids(self.ids)
            removed = self.filtered(
                lambda o: (
                    o.id in sealed
                    and documents_before[o.id] - set(o.original_document_ids.ids)
                )
            )
            if removed:
                raise UserError(
                    self.env._(
                        "The original documents of a confirmed order are kept "
                        "as they came; none can be removed: %(orders)s",
                        orders=", ".join(removed.mapped("display_name")),
                    )
                )
        self._food_reseal()
        return res


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._food_reseal()
        return lines

    def write(self, vals):
        if not LINE_SEALED_FIELDS.intersection(vals):
            return super().write(vals)
        orders_before = self.order_id
        res = super().write(vals)
        (orders_before | self.order_id)._food_reseal()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._food_reseal()
        return res


class IrAttachment(models.Model):
    """The original documents of a sealed order stay as they came."""

    _inherit = "ir.attachment"

    def _check_food_original(self):
        if self.env.su or not self.ids:
            return
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT o.name
                     FROM sale_order_original_document_rel r
                     JOIN sale_order o ON o.id = r.order_id
                    WHERE r.attachment_id = ANY(%s)
                      AND EXISTS (SELECT 1 FROM food_order_seal s
                                   WHERE s.order_id = r.order_id)""",
                self.ids,
            )
        )
        names = sorted(row[0] for row in self.env.cr.fetchall())
        if names:
            raise UserError(
                self.env._(
                    "This file is an original document of a confirmed order and "
                    "cannot be deleted or replaced: %(orders)s",
                    orders=", ".join(names),
                )
            )

    def write(self, vals):
        if ATTACHMENT_CONTENT_FIELDS.intersection(vals):
            self._check_food_original()
        return super().write(vals)

    def unlink(self):
        self._check_food_original()
        return super().unlink()

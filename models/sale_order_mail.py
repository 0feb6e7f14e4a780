# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.mimetypes import guess_mimetype

from .food_order_problem import PROBLEM_TYPES

# written by the e-mail intake and the receiver's check only
EMAIL_EXTRACTION_FIELDS = {
    "email_extraction_state",
    "email_extraction",
    "email_unmatched_products",
    "email_checked_date",
    "email_checked_by_id",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    original_document_ids = fields.Many2many(
        "ir.attachment",
        "sale_order_original_document_rel",
        "order_id",
        "attachment_id",
        string="Original Documents",
        copy=False,
        help="The order as the customer sent it: fax scan, e-mail and its "
        "attachments, platform payload.",
    )
    original_document_count = fields.Integer(compute="_compute_original_document_count")
    email_extraction_state = fields.Selection(
        [("to_check", "To Check"), ("checked", "Checked")],
        string="E-mail Extraction",
        copy=False,
        readonly=True,
        tracking=True,
        help="What was read from the e-mail of an e-mail order (customer's "
        "phone, delivery address, lines) is a proposal: a receiver checks it "
        "against the original before the order can be confirmed.",
    )
    email_extraction = fields.Text(
        string="Extracted from the E-mail", copy=False, readonly=True
    )
    email_unmatched_products = fields.Text(
        string="Unknown Products in the E-mail",
        copy=False,
        readonly=True,
        help="Product mentions of the e-mail that match no product (one a "
        "line), until a receiver checks the extraction.",
    )
    email_checked_date = fields.Datetime(
        string="Extraction Checked On", copy=False, readonly=True
    )
    email_checked_by_id = fields.Many2one(
        "res.users", string="Extraction Checked By", copy=False, readonly=True
    )

    @api.depends("original_document_ids")
    def _compute_original_document_count(self):
        for order in self:
            order.original_document_count = len(order.original_document_ids)

    @api.model
    def _get_food_protected_fields(self):
        return super()._get_food_protected_fields() | EMAIL_EXTRACTION_FIELDS

    # ------------------------------------------------------------------
    # E-mail orders (R5)
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the order alias becomes a draft e-mail order of the
        customer who sent it, with what the e-mail says (phone, delivery
        address, lines) proposed for a receiver to check."""
        values = dict(custom_values or {})
        if not values.get("intake_channel"):
            return super().message_new(msg_dict, custom_values)
        # the alias' defaults never set what the order center writes itself
        for name in self._get_food_protected_fields() & set(values):
            del values[name]
        partner = self.env["res.partner"].browse(values.get("partner_id"))
        new_partner = False
        if not partner:
            email_from = msg_dict.get("email_from")
            partner = self._mail_find_partner_from_emails([email_from])[0]
            if not partner:
                partner = self._mail_find_partner_from_emails(
                    [email_from], force_create=True
                )[0]
                new_partner = bool(partner)
            if partner:
                values["partner_id"] = partner.id
        # without a name, mail.thread would name the order after the subject
        values.setdefault("name", self.env["ir.sequence"].next_by_code("sale.order"))
        values.setdefault("origin", (msg_dict.get("subject") or "")[:250])
        extracted = {}
        if values["intake_channel"] == "email":
            company = (
                self.env["res.company"].browse(values.get("company_id"))
                or self.env.company
            )
            extracted = self._email_extract(msg_dict, company, partner)
            values.update(self._email_apply_extraction(extracted, partner, new_partner))
        # created as the order center's own action (it sets the extraction
        # fields), then checked once complete: an e-mail order is never
        # verified, nor assigned, before its extraction is checked
        order = super(SaleOrder, self._food_trusted()).message_new(msg_dict, values)
        order = order.with_env(self.env)
        if extracted.get("other_phones"):
            order.note = (order.note or Markup()) + Markup("<p>%s</p>") % (
                self.env._(
                    "Phone given in the e-mail: %(phones)s",
                    phones=", ".join(extracted["other_phones"]),
                )
            )
        if extracted:
            order._email_post_extraction(extracted)
        order._run_order_center_checks()
        return order

    def _get_verification_problems(self, duplicate=None):
        problems = super()._get_verification_problems(duplicate)

        def problem(code, **args):
            problems.append(
                {
                    "problem_type": code,
                    "needs_customer": PROBLEM_TYPES[code][1],
                    "line_id": False,
                    "args": args,
                    "sequence": len(problems),
                }
            )

        if self.email_extraction_state == "to_check":
            problem("email_check")
        for mention in (self.email_unmatched_products or "").splitlines():
            if mention.strip():
                problem("email_unknown_product", mention=mention.strip())
        return problems

    def action_confirm_email_extraction(self):
        """A receiver checked what was read from the e-mail against the
        original (and entered what was not recognised)."""
        if not self.env.user.has_group("food_order_center.group_order_receiver"):
            raise AccessError(
                self.env._(
                    "Only order receivers check what was read from an e-mail order."
                )
            )
        orders = self.filtered(
            lambda o: (
                o.email_extraction_state == "to_check" and o.state in ("draft", "sent")
            )
        )
        now = fields.Datetime.now()
        for order in orders:
            unknown = order.email_unmatched_products
            order._write_food_trusted(
                {
                    "email_extraction_state": "checked",
                    "email_checked_date": now,
                    "email_checked_by_id": self.env.user.id,
                    "email_unmatched_products": False,
                }
            )
            body = self.env._(
                "Order checked against the original e-mail by %(user)s.",
                user=self.env.user.name,
            )
            if unknown:
                body += " " + self.env._(
                    "Products of the e-mail not recognised: %(products)s",
                    products="; ".join(unknown.splitlines()),
                )
            order.message_post(body=body)
        orders._run_order_center_checks()
        return True

    # ------------------------------------------------------------------
    # Original documents (R4, R5, R6)
    # ------------------------------------------------------------------

    def _has_valid_fax_scan(self):
        """A fax order passes with a readable scan only: an original document
        that is an image or a PDF (by its type and its content) and not
        empty."""
        self.ensure_one()
        for document in self.original_document_ids.sudo():
            mimetype = document.mimetype or ""
            if not document.file_size or not (
                mimetype.startswith("image/") or mimetype == "application/pdf"
            ):
                continue
            content = guess_mimetype(document.raw or b"")
            # formats Odoo does not recognise (TIFF...) read as octet-stream
            if content.startswith("image/") or content in (
                "application/pdf",
                "application/octet-stream",
            ):
                return True
        return False

    def _message_post_after_hook(self, message, msg_values):
        """Keep the e-mail that brought an e-mail or fax order, and its
        attachments, as the original documents of the order."""
        res = super()._message_post_after_hook(message, msg_values)
        if (
            message.message_type == "email"
            and self.intake_channel in ("email", "fax")
            and not self.original_document_ids
        ):
            body = self.env["ir.attachment"].create(
                {
                    "name": self.env._("Original e-mail - %(subject)s.html")
                    % {"subject": message.subject or self.name},
                    "raw": (message.body or "").encode(),
                    "mimetype": "text/html",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
            self.original_document_ids = [
                Command.link(att.id) for att in body | message.attachment_ids
            ]
        return res

    def action_view_original_documents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Original Documents"),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "domain": [("id", "in", self.original_document_ids.ids)],
            "context": {"create": False},
        }

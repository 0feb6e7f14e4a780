# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import unicodedata

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.sql import escape_psql

from .food_order_problem import PROBLEM_TYPES

# written by the e-mail intake and the receiver's check only
EMAIL_EXTRACTION_FIELDS = {
    "email_extraction_state",
    "email_extraction",
    "email_unmatched_products",
    "email_checked_date",
    "email_checked_by_id",
}

# What an e-mail order says, line by line (the subject is read as its first
# line): see "Fax and e-mail orders" in README.md for the grammar.
PHONE_LABELS = {
    "电话",
    "手机",
    "手机号",
    "手机号码",
    "电话号码",
    "联系电话",
    "联系方式",
    "座机",
    "tel",
    "tel.",
    "phone",
    "mobile",
    "telephone",
    "cell",
}
ADDRESS_LABELS = {
    "地址",
    "送货地址",
    "收货地址",
    "配送地址",
    "address",
    "delivery address",
    "shipping address",
}
PRODUCT_LABELS = {"产品", "商品", "品名", "货品", "product", "item"}
QUANTITY_LABELS = {"数量", "qty", "quantity"}
UNITS = (
    "公斤",
    "千克",
    "袋",
    "包",
    "箱",
    "盒",
    "瓶",
    "罐",
    "桶",
    "件",
    "个",
    "份",
    "只",
    "条",
    "斤",
    "克",
    "pieces",
    "piece",
    "pcs",
    "pc",
    "bags",
    "bag",
    "boxes",
    "box",
    "bottles",
    "bottle",
    "packs",
    "pack",
    "cartons",
    "carton",
    "cases",
    "case",
    "units",
    "unit",
    "cans",
    "can",
    "kg",
    "g",
)
QTY = r"(?P<qty>\d+(?:\.\d+)?)"
UNIT = rf"(?:{'|'.join(UNITS)})(?![a-z])"
# "FZ-001 x 3", "FZ-001 × 3 袋", "速冻水饺 3 袋", "3 x Frozen dumplings",
# "3 bags of Frozen dumplings", "3袋 速冻水饺"
ITEM_FORMS = [
    re.compile(rf"^(?P<product>\S.*?)(?:\s+x|\s*[×*])\s*{QTY}\s*(?:{UNIT})?$", re.I),
    re.compile(rf"^(?P<product>\S.*?)\s*{QTY}\s*{UNIT}$", re.I),
    re.compile(rf"^{QTY}\s*(?:{UNIT})?\s*(?:x\s+|[×*]\s*)(?P<product>\S.*)$", re.I),
    re.compile(rf"^{QTY}\s*{UNIT}\s*(?:of\s+)?(?P<product>\S.*)$", re.I),
]
# "产品: FZ-001, 数量: 3"
LABELLED_QUANTITY = re.compile(
    rf"^(?P<product>\S.*?)[\s,;]*(?:数量|qty|quantity)\s*:?\s*{QTY}\s*(?:{UNIT})?$",
    re.I,
)
QUANTITY_ONLY = re.compile(rf"^{QTY}\s*(?:{UNIT})?$", re.I)
LABEL = re.compile(r"^(?P<label>[^:]{1,20}?)\s*:\s*(?P<value>.*)$")
BULLET = re.compile(r"^(?:[-*•·]\s+|\d{1,2}(?:[.)]\s+|、\s*))")
REPLY_PREFIX = re.compile(r"^(?:(?:re|fw|fwd|回复|答复|转发)\s*:\s*)+", re.I)
PHONE_CANDIDATE = re.compile(r"(?:\+|\(\+?)?\d[\d \-().]{5,20}\d")
DATE_LIKE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}")
CN_ADDRESS = re.compile(r"^(?P<city>[^\s,市]{2,7}?市)(?P<street>.*)$")
PUNCTUATION = re.compile(r"[\s,.;:，。；、()（）#-]+")


def _normalize(text):
    """Compare addresses whatever their spaces and punctuation."""
    return PUNCTUATION.sub("", (text or "").lower())


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

    @api.model
    def _email_extract(self, msg_dict, company, partner):
        """Read the subject and the plain text of the body of an e-mail:
        phones, delivery address and product lines (see README.md)."""
        country = partner.country_id or company.country_id
        subject = REPLY_PREFIX.sub("", (msg_dict.get("subject") or "").strip())
        text = html2plaintext(msg_dict.get("body") or "")
        lines = [subject] + text.splitlines()
        phones, address, mentions = [], None, []
        address_next = False
        for raw_line in lines:
            line = unicodedata.normalize("NFKC", raw_line).strip()
            if not line or line.startswith(">"):
                continue
            line = BULLET.sub("", line).strip()
            if address_next:
                address, address_next = line, False
                continue
            labelled = LABEL.match(line)
            label = labelled and " ".join(labelled["label"].lower().split())
            value = labelled and labelled["value"].strip()
            if label in PHONE_LABELS:
                phones += self._email_find_phones(value, country, min_digits=7)
            elif label in ADDRESS_LABELS:
                if address is None:
                    address = value or None
                    address_next = not value
            elif label in PRODUCT_LABELS:
                item = self._email_parse_item(value) or LABELLED_QUANTITY.match(value)
                if item:
                    mentions.append((line, item["product"], float(item["qty"])))
                elif value:
                    mentions.append((line, value, None))
            elif label in QUANTITY_LABELS:
                quantity = QUANTITY_ONLY.match(value)
                if quantity and mentions and mentions[-1][2] is None:
                    mentions[-1] = mentions[-1][:2] + (float(quantity["qty"]),)
            elif not labelled and (item := self._email_parse_item(line)):
                mentions.append((line, item["product"], float(item["qty"])))
            else:
                phones += self._email_find_phones(line, country, min_digits=8)
        own = {
            self.env["res.partner"]._phone_format_number(number, country)
            for number in (company.phone, company.partner_id.mobile)
            if number
        }
        unique_phones = []
        for phone in phones:
            if phone not in unique_phones and phone[1] not in own:
                unique_phones.append(phone)
        return {
            "country": country,
            "company": company,
            "phones": [display for display, _e164 in unique_phones],
            "phones_e164": [e164 for _display, e164 in unique_phones],
            "address": address,
            "items": [
                (line, text, self._email_match_product(text, company), qty)
                for line, text, qty in mentions
            ],
        }

    @api.model
    def _email_parse_item(self, line):
        for form in ITEM_FORMS:
            item = form.match(line)
            if item:
                return item
        return None

    @api.model
    def _email_find_phones(self, text, country, min_digits):
        """(display, E.164) of the valid phone numbers of ``text``, read as
        numbers of ``country`` unless international."""
        found = []
        partner_model = self.env["res.partner"]
        for candidate in PHONE_CANDIDATE.findall(text or ""):
            digits = re.sub(r"\D", "", candidate)
            if not min_digits <= len(digits) <= 15 or DATE_LIKE.search(candidate):
                continue
            e164 = partner_model._phone_format_number(candidate, country)
            if e164:
                display = partner_model._phone_format_number(
                    candidate, country, force_format="INTERNATIONAL"
                )
                found.append((display, e164))
        return found

    @api.model
    def _email_match_product(self, text, company):
        """The product a mention names: by internal reference or barcode
        (exact, case-insensitive), then by name in any installed language
        (exact, then the only product whose name contains the mention).
        Only products that can be sold; an empty recordset when none or
        several match."""
        text = text.strip(" \t.,;:")
        products = self.env["product.product"]
        if not text:
            return products
        domain = [
            ("sale_ok", "=", True),
            ("company_id", "in", [False, company.id]),
        ]
        display = re.match(r"^\[(?P<code>[^\]]+)\]\s*(?P<name>.*)$", text)
        if display:
            text = display["code"].strip()
        exact = escape_psql(text)
        for criterion in (
            [("default_code", "=ilike", exact)],
            [("barcode", "=", text)],
        ):
            found = products.search(domain + criterion, limit=2)
            if found:
                return found if len(found) == 1 else products
        if len(text) < 2:
            return products
        languages = [code for code, _name in self.env["res.lang"].get_installed()]
        for operator, value in (("=ilike", exact), ("ilike", text)):
            found = products
            for lang in languages:
                found |= products.with_context(lang=lang).search(
                    domain + [("name", operator, value)], limit=2
                )
            if found:
                return found if len(found) == 1 else products
        return products

    @api.model
    def _email_parse_address(self, text, country):
        """Values of res.partner for an address written on one line: a
        Chinese address (``[省/市]…市…``, a 6-digit postcode anywhere) or
        comma-separated parts (street, …, city)."""
        vals = {"country_id": country.id}
        text = re.sub(r"^(?:中国|china)[\s,]*", "", text.strip(), flags=re.I)
        if country.code == "CN":
            postcode = re.search(r"(?<!\d)\d{6}(?!\d)", text)
            if postcode:
                vals["zip"] = postcode.group()
                text = (text[: postcode.start()] + " " + text[postcode.end() :]).strip()
            for state in self.env["res.country.state"].search(
                [("country_id", "=", country.id)]
            ):
                if state.name and text.startswith(state.name):
                    vals["state_id"] = state.id
                    if state.name.endswith("市"):  # municipality
                        vals["city"] = state.name
                    text = text[len(state.name) :].strip()
                    break
            if not vals.get("city"):
                city = CN_ADDRESS.match(text)
                if city:
                    vals["city"] = city["city"]
                    text = city["street"].strip()
        # the line was NFKC-normalised: full-width commas are commas
        if not vals.get("city") and "," in text:
            parts = [
                part.strip()
                for part in text.split(",")
                if part.strip() and part.strip().lower() not in ("china", "中国")
            ]
            if len(parts) > 1:
                vals["city"] = parts[-1]
                vals["street"] = parts[0]
                if len(parts) > 2:
                    vals["street2"] = ", ".join(parts[1:-1])
                return vals
        vals["street"] = text.strip(" ,")
        return vals

    @api.model
    def _email_apply_extraction(self, extracted, partner, new_partner):
        """Order values for what the e-mail says. A new customer (unknown
        sender) gets the phone and address; an existing customer's data is
        never changed: another address becomes a delivery contact of the
        customer, another phone is written in the order's note."""
        values = {
            "email_extraction_state": "to_check",
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty or 1})
                for _line, _text, product, qty in extracted["items"]
                if product
            ],
            "email_unmatched_products": "\n".join(
                line for line, _text, product, _qty in extracted["items"] if not product
            )
            or False,
        }
        phones = extracted["phones"]
        address = extracted["address"]
        country = extracted["country"]
        address_vals = self._email_parse_address(address, country) if address else {}
        extracted["other_phones"] = []
        if not partner:
            return values
        if new_partner:
            partner_vals = dict(address_vals)
            if phones:
                partner_vals.update(phone=phones[0], country_id=country.id)
            if len(phones) > 1:
                partner_vals["mobile"] = phones[1]
            if partner_vals:
                partner.write(partner_vals)
            return values
        known = {
            partner._phone_format_number(number, country)
            for contact in partner | partner.child_ids
            for number in (contact.phone, contact.mobile)
            if number
        }
        other_phones = [
            display
            for display, e164 in zip(phones, extracted["phones_e164"], strict=True)
            if e164 not in known
        ]
        if address and not self._email_same_address(partner, address):
            delivery = partner.child_ids.filtered(
                lambda c: c.type == "delivery" and self._email_same_address(c, address)
            )[:1]
            if not delivery:
                delivery = self.env["res.partner"].create(
                    dict(
                        address_vals,
                        type="delivery",
                        parent_id=partner.id,
                        phone=other_phones[0] if other_phones else False,
                    )
                )
                other_phones = other_phones[1:]
            values["partner_shipping_id"] = delivery.id
        extracted["other_phones"] = other_phones
        return values

    @api.model
    def _email_same_address(self, contact, address):
        street = _normalize(contact.street)
        return bool(street) and street in _normalize(address)

    def _email_post_extraction(self, extracted):
        """Record on the order, and in its chatter, what the e-mail gave."""
        self.ensure_one()
        _ = self.env._
        facts = [_("Phone: %(phone)s", phone=phone) for phone in extracted["phones"]]
        if extracted["address"]:
            facts.append(
                _("Delivery address: %(address)s", address=extracted["address"])
            )
        for line, _text, product, qty in extracted["items"]:
            if product:
                facts.append(
                    _(
                        "%(line)s: %(product)s, quantity %(qty)s",
                        line=line,
                        product=product.display_name,
                        qty=f"{qty or 1:g}",
                    )
                    + ("" if qty else " " + _("(no quantity given)"))
                )
            else:
                facts.append(_("%(line)s: unknown product", line=line))
        if not facts:
            facts.append(_("Nothing recognised: enter the order from the e-mail."))
        self._write_food_trusted({"email_extraction": "\n".join(facts)})
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                _("Read from the e-mail (proposals: check them against the original):"),
                Markup().join(Markup("<li>%s</li>") % fact for fact in facts),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

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

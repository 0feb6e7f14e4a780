# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import unicodedata

from markupsafe import Markup

from odoo import Command, api, models
from odoo.tools import html2plaintext
from odoo.tools.sql import escape_psql

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
            if product and qty:
                quantity = f"{qty:g}"
                facts.append(
                    _(
                        "%(line)s: %(product)s, quantity %(qty)s",
                        line=line,
                        product=product.display_name,
                        qty=quantity,
                    )
                )
            elif product:
                facts.append(
                    _(
                        "%(line)s: %(product)s, quantity 1 (no quantity given)",
                        line=line,
                        product=product.display_name,
                    )
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

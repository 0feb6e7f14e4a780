# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, models
from odoo.tools import html2plaintext, parse_contact_from_email

# words of an e-mail that may be an order number or a platform's order
# reference: letters, digits and - _ / with at least one digit
ORDER_REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/-]*\d[A-Za-z0-9_/-]*")
MAX_ORDER_REFS = 50  # words looked up per e-mail
# words that make a case type (English and Chinese); an e-mail gets a type
# only when the words of one type alone are found in it, else "feedback"
CASE_TYPE_KEYWORDS = {
    "quality": re.compile(
        r"变质|发霉|霉变|异物|过期|异味|quality problem|spoiled|mou?ldy?|expired"
        r"|foreign (?:object|body)",
        re.IGNORECASE,
    ),
    "complaint": re.compile(r"投诉|\bcomplain(?:t|ts|ing|ed)?\b", re.IGNORECASE),
    "return": re.compile(r"退货|\breturn (?:the|of|request)\b|\brefund\b", re.I),
    "exchange": re.compile(r"换货|\bexchange\b|\breplacement\b", re.IGNORECASE),
    "inquiry": re.compile(r"咨询|请问|\binquiry\b|\benquiry\b", re.IGNORECASE),
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the after-sales alias becomes a case of channel
        e-mail: its customer is the sender (when known), its order the one
        named in the subject or body, its type guessed from the words of the
        e-mail (feedback when unsure). Other e-mails to the helpdesk are left
        to helpdesk_mgmt."""
        values = dict(custom_values or {})
        if values.get("food_case_channel") != "email":
            return super().message_new(msg_dict, custom_values)
        text = "\n".join(
            (msg_dict.get("subject") or "", html2plaintext(msg_dict.get("body") or ""))
        )
        email_from = msg_dict.get("email_from") or ""
        sender_name, sender_email = parse_contact_from_email(email_from)
        partner = self.env["res.partner"]
        if sender_email:
            partner = partner.search(
                [("email_normalized", "=", sender_email)], order="id", limit=1
            )
        if partner:
            values["partner_id"] = partner.id
        # partner_email: the sender, set by mail.thread
        values.setdefault(
            "partner_name",
            partner.name or (sender_name if "@" not in sender_name else "") or False,
        )
        if not values.get("food_case_type"):
            values["food_case_type"] = self._food_guess_case_type(text)
        if not values.get("food_order_id"):
            order = self._food_find_order_in_text(text, partner)
            if order:
                values["food_order_id"] = order.id
        return super().message_new(msg_dict, values)

    @api.model
    def _food_guess_case_type(self, text):
        """The case type of an e-mail: the one type whose words are in it,
        else feedback (after-sales staff classify the case when they read
        it)."""
        found = [
            case_type
            for case_type, pattern in CASE_TYPE_KEYWORDS.items()
            if pattern.search(text or "")
        ]
        return found[0] if len(found) == 1 else "feedback"

    @api.model
    def _food_find_order_in_text(self, text, partner):
        """The order named in an e-mail (its number or a platform's order
        reference): among the sender's orders when the sender is a known
        customer, else only when a single order matches."""
        words = []
        for word in ORDER_REF_PATTERN.findall(text or ""):
            for candidate in (word, word.upper()):
                if len(candidate) <= 64 and candidate not in words:
                    words.append(candidate)
            if len(words) >= MAX_ORDER_REFS:
                break
        orders = self.env["sale.order"].union(*self._food_find_orders(words).values())
        if partner:
            orders = orders.filtered(
                lambda order: (
                    order.partner_id.commercial_partner_id
                    == partner.commercial_partner_id
                )
            )
        return orders if len(orders) == 1 else orders.browse()

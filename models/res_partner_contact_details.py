# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers' phone numbers and e-mail addresses (R21, 7.3): only for the
order-center roles whose work needs them.

The order-center staff read every contact, and Odoo's own code (orders,
transfers, chatter) reads the customers of the documents it shows as the
user: a record rule cannot take the customers away from one role without
breaking those screens. The roles without *Customers' Contact Details* (the
inventory manager) read the customers, their names and addresses (the
deliveries they validate and the returns they receive need them), but the
phone numbers and e-mail addresses of customers come back empty in every
read of the web client and of RPC, searches and groupings by them find or
show nothing of the customers, exports and changes of them are refused,
and the chatter, the display names and printed contact blocks leave them
out. The server's own code (superuser) is not concerned: the order center
still reaches the customers for them.
"""

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools.mail import parse_contact_from_email

# the customers' fields that carry a phone number or an e-mail address
CONTACT_DETAIL_FIELDS = frozenset(
    {
        "phone",
        "mobile",
        "email",
        "email_formatted",
        "email_normalized",
        "phone_sanitized",
        "phone_mobile_search",
    }
)


def blank_values(result, record_ids, fnames):
    """Empty ``fnames`` in the values read (``result``) of ``record_ids``."""
    record_ids = set(record_ids)
    for values in result:
        if values["id"] in record_ids:
            values.update(dict.fromkeys(fnames, False))


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _food_contact_details_hidden(self):
        """Whether the current user works in the order center without the
        right to the customers' contact details (whatever ``sudo``: the
        pieces that Odoo renders as superuser are shown to this user)."""
        user = self.env.user
        return user.has_group(
            "food_order_center.group_order_center_staff"
        ) and not user.has_group("food_order_center.group_customer_contact")

    @api.model
    def _food_customer_domain(self):
        """The contacts whose details are hidden: customers, i.e. contacts
        that are neither the company's own (users, companies) nor vendors."""
        return [
            ("partner_share", "=", True),
            ("commercial_partner_id.supplier_rank", "=", 0),
        ]

    def _food_hidden_customers(self):
        """The contacts of ``self`` whose details the user may not see."""
        if not self or not self._food_contact_details_hidden():
            return self.browse()
        return (
            self.with_context(active_test=False)
            .sudo()
            .filtered_domain(self._food_customer_domain())
        )

    def _food_restricted(self):
        """Whether this read, search or change is the user's own (not the
        superuser's) and the user may not see customers' details."""
        return not self.env.su and self._food_contact_details_hidden()

    def _food_refuse_contact_details(self):
        raise AccessError(
            self.env._(
                "Your role does not give access to the customers' phone "
                "numbers and e-mail addresses."
            )
        )

    # ------------------------------------------------------------------
    # reads, searches, groupings, exports, changes
    # ------------------------------------------------------------------

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        hidden_fields = CONTACT_DETAIL_FIELDS.intersection(fnames)
        if hidden_fields and self._food_restricted():
            blank_values(result, self._food_hidden_customers().ids, hidden_fields)
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if domain and self._food_restricted():
            domain = self._food_guard_domain(domain)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        field_name = self._food_guard_order(field_name)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.model
    def _food_guard_order(self, field_name):
        """The field to sort by instead of ``field_name``: a list sorted by
        phone or e-mail would rank the customers by them, so for the roles
        that may not see them it is sorted by id."""
        if field_name in CONTACT_DETAIL_FIELDS and self._food_restricted():
            return "id"
        return field_name

    @api.model
    def _food_guard_domain(self, domain, partner_path=None):
        """``domain`` whose conditions on contact details match no customer
        (a search by phone or e-mail finds the other contacts only);
        ``partner_path``: the field of the contact, on another model."""
        customers = [
            (f"{partner_path}.{name}" if partner_path else name, operator, value)
            for name, operator, value in self._food_customer_domain()
        ]
        others = ["!", *expression.normalize_domain(customers)]
        guarded = []
        for item in domain:
            if (
                isinstance(item, list | tuple)
                and len(item) == 3
                and isinstance(item[0], str)
                and item[0].split(".", 1)[0] in CONTACT_DETAIL_FIELDS
            ):
                guarded += ["&", item, *others]
            else:
                guarded.append(item)
        return guarded

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        if self._food_restricted():
            names = [
                spec.split(":")[0].split(".")[0] for spec in (*groupby, *aggregates)
            ]
            if CONTACT_DETAIL_FIELDS.intersection(names):
                self._food_refuse_contact_details()
        return super()._read_group(
            domain,
            groupby=groupby,
            aggregates=aggregates,
            having=having,
            offset=offset,
            limit=limit,
            order=order,
        )

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        if (
            CONTACT_DETAIL_FIELDS.intersection(path[0] for path in fields)
            and self._food_restricted()
            and self._food_hidden_customers()
        ):
            self._food_refuse_contact_details()
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    def write(self, vals):
        if (
            CONTACT_DETAIL_FIELDS.intersection(vals)
            and self._food_restricted()
            and self._food_hidden_customers()
        ):
            self._food_refuse_contact_details()
        return super().write(vals)

    # ------------------------------------------------------------------
    # what Odoo renders for the user as superuser
    # ------------------------------------------------------------------

    @api.depends_context(
        "show_address",
        "partner_show_db_id",
        "address_inline",
        "show_email",
        "show_vat",
        "lang",
        "uid",
    )
    def _compute_display_name(self):
        hidden = (
            self._food_hidden_customers()
            if self.env.context.get("show_email")
            else self.browse()
        )
        res = super(ResPartner, self - hidden)._compute_display_name()
        if hidden:
            # their names as without show_email (computed in that context:
            # the records being computed here cannot be read in another)
            hidden = hidden.with_env(self.env)
            without_email = hidden.with_context(show_email=False)
            super(ResPartner, without_email)._compute_display_name()
            for partner, name in zip(
                hidden, without_email.mapped("display_name"), strict=True
            ):
                partner.display_name = name
        return res

    @api.model
    def _search_display_name(self, operator, value):
        # a search by name also looks in the e-mail addresses
        domain = super()._search_display_name(operator, value)
        if self._food_restricted():
            domain = self._food_guard_domain(domain)
        return domain

    def _to_store(self, store, /, *, fields=None, main_user_by_partner=None):
        res = super()._to_store(
            store, fields=fields, main_user_by_partner=main_user_by_partner
        )
        if fields is None or "email" in fields:
            # the chatter's cards of the authors, followers and recipients
            for partner in self._food_hidden_customers():
                store.add(partner.with_env(self.env), {"email": False})
        return res


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # their contact details are their contacts' (inherited fields)
        partners = self.env["res.partner"]
        if domain and partners._food_restricted():
            domain = partners._food_guard_domain(domain, "partner_id")
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # their contact details are their contacts' (inherited fields)
        field_name = self.env["res.partner"]._food_guard_order(field_name)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_format(self, fnames, load="_classic_read"):
        # the customers' portal users carry their contact details too
        result = super()._read_format(fnames, load=load)
        hidden_fields = CONTACT_DETAIL_FIELDS.intersection(fnames)
        partners = self.env["res.partner"]
        if hidden_fields and partners._food_restricted():
            users = self.sudo()
            hidden = users.partner_id._food_hidden_customers()
            hidden_users = users.filtered(lambda u: u.partner_id in hidden)
            blank_values(result, hidden_users.ids, hidden_fields)
        return result


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _thread_to_store(self, store, /, *, request_list=None, **kwargs):
        hide = (
            request_list
            and "suggestedRecipients" in request_list
            and self.env["res.partner"]._food_contact_details_hidden()
        )
        if hide:
            # computed once, here, without the customers' addresses
            request_list = [req for req in request_list if req != "suggestedRecipients"]
        res = super()._thread_to_store(store, request_list=request_list, **kwargs)
        if hide:
            for thread in self:
                store.add(
                    thread,
                    {"suggestedRecipients": thread._food_suggested_recipients()},
                    as_thread=True,
                )
        return res

    def _food_suggested_recipients(self):
        """The chatter's suggested recipients without the customers' e-mail
        addresses: the customers stay, by name; unknown senders, known by
        their address only, are left out."""
        recipients = self._message_get_suggested_recipients()
        hidden_ids = set(
            self.env["res.partner"]
            .browse([r["partner_id"] for r in recipients if r.get("partner_id")])
            ._food_hidden_customers()
            .ids
        )
        return [
            dict(recipient, email=False)
            if recipient.get("partner_id") in hidden_ids
            else recipient
            for recipient in recipients
            if recipient.get("partner_id") or not recipient.get("email")
        ]


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    def _food_hidden_followers(self):
        partners = self.sudo().partner_id._food_hidden_customers()
        return self.filtered(lambda f: f.sudo().partner_id in partners)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "email" in fnames and self.env["res.partner"]._food_restricted():
            blank_values(result, self._food_hidden_followers().ids, ["email"])
        return result

    def _to_store(self, store, fields=None):
        res = super()._to_store(store, fields=fields)
        if fields is None or "email" in fields:
            for follower in self._food_hidden_followers():
                store.add(follower, {"email": False})
        return res


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _food_hidden_senders(self):
        """The messages of ``self`` whose sender's address the user may not
        see: from a customer, or from an address that matched no contact."""
        partners = self.env["res.partner"]
        if not self or not partners._food_contact_details_hidden():
            return self.browse()
        messages = self.sudo()
        hidden = messages.author_id._food_hidden_customers()
        return messages.filtered(
            lambda m: (
                m.email_from
                and (m.author_id in hidden or not (m.author_id or m.author_guest_id))
            )
        ).with_env(self.env)

    @api.model
    def _food_sender_name(self, email_from):
        """What the user sees of a hidden sender: the name, not the address."""
        name, _email = parse_contact_from_email(email_from)
        return name or False

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "email_from" in fnames and not self.env.su:
            hidden_ids = set(self._food_hidden_senders().ids)
            for values in result:
                if values["id"] in hidden_ids:
                    values["email_from"] = self._food_sender_name(values["email_from"])
        return result

    def _author_to_store(self, store):
        res = super()._author_to_store(store)
        for message in self._food_hidden_senders():
            store.add(
                message,
                {"email_from": self._food_sender_name(message.sudo().email_from)},
            )
        return res


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        partners = self.env["res.partner"]
        if "partner_email" in fnames and partners._food_restricted():
            tickets = self.sudo()
            shown = tickets.partner_id - tickets.partner_id._food_hidden_customers()
            hidden = tickets.filtered(lambda t: t.partner_id not in shown)
            blank_values(result, hidden.ids, ["partner_email"])
        return result


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _filter_has_field_access(self, env):
        # the changes of a customer's phone or e-mail, in its chatter
        trackings = super()._filter_has_field_access(env)
        partners = env["res.partner"]
        if not trackings or not partners._food_contact_details_hidden():
            return trackings
        details = trackings.filtered(
            lambda t: (
                t.field_id.model == "res.partner"
                and t.field_id.name in CONTACT_DETAIL_FIELDS
                and t.mail_message_id.model == "res.partner"
            )
        )
        hidden_ids = set(
            partners.browse(details.mail_message_id.mapped("res_id"))
            ._food_hidden_customers()
            .ids
        )
        return trackings - details.filtered(
            lambda t: t.mail_message_id.res_id in hidden_ids
        )


class IrQwebFieldContact(models.AbstractModel):
    _inherit = "ir.qweb.field.contact"

    @api.model
    def value_to_html(self, value, options):
        if value and value._name == "res.partner" and value._food_hidden_customers():
            # Odoo's default blocks show the phone, mobile and e-mail
            shown = options.get("fields") or ["name", "address"]
            options = dict(
                options, fields=[f for f in shown if f not in CONTACT_DETAIL_FIELDS]
            )
        return super().value_to_html(value, options)

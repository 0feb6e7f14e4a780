# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers' phone numbers and e-mail addresses (R21): only the roles that
talk to customers read them; the inventory manager reads the customers'
names and addresses, never their contact details, whatever the path."""

from xmlrpc.client import Fault

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.mail.tools.discuss import Store

from .common import create_role_users, execute_kw

PHONE = "+86 139 0000 4321"
EMAIL = "wang.customer@example.com"


class ContactDetailsCommon:
    @classmethod
    def _set_up_contacts(cls, prefix, password=False):
        cls.users = create_role_users(cls.env, prefix, password=password)
        partners = cls.env["res.partner"]
        cls.customer = partners.create(
            {
                "name": "王秀英",
                "phone": PHONE,
                "mobile": "+86 138 0000 1234",
                "email": EMAIL,
                "street": "文三路 88 号",
                "city": "杭州",
            }
        )
        cls.delivery = partners.create(
            {
                "name": "王秀英 (公司)",
                "type": "delivery",
                "parent_id": cls.customer.id,
                "phone": "+86 139 0000 9999",
                "street": "天目山路 5 号",
            }
        )
        cls.vendor = partners.create(
            {
                "name": "五常米业",
                "phone": "+86 451 0000 0001",
                "email": "sales@rice-vendor.example.com",
                "supplier_rank": 1,
            }
        )


@tagged("post_install", "-at_install")
class TestCustomerContactDetails(ContactDetailsCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_contacts("foc_cd")
        cls.inventory = cls.users["inventory"]
        cls.colleague = cls.users["processor"].partner_id
        cls.colleague.email = "processor@foc.example.com"

    def _as(self, role):
        return self.env["res.partner"].with_user(self.users[role])

    def test_inventory_manager_reads_customers_without_contact_details(self):
        partners = self._as("inventory")
        fields = [
            "name",
            "street",
            "city",
            "phone",
            "mobile",
            "email",
            "email_formatted",
        ]
        customer, delivery, vendor, colleague = partners.browse(
            (self.customer | self.delivery | self.vendor | self.colleague).ids
        ).read(fields)
        self.assertEqual(
            (customer["name"], customer["street"], customer["city"]),
            ("王秀英", "文三路 88 号", "杭州"),
        )
        for values in (customer, delivery):
            self.assertFalse(
                values["phone"]
                or values["mobile"]
                or values["email"]
                or values["email_formatted"],
                values,
            )
        # vendors and colleagues are not customers
        self.assertEqual(vendor["email"], "sales@rice-vendor.example.com")
        self.assertEqual(colleague["email"], self.colleague.email)
        # the web client's reads
        [web] = partners.browse(self.customer.id).web_read(
            {"phone": {}, "email": {}, "street": {}}
        )
        self.assertEqual((web["phone"], web["email"]), (False, False))
        self.assertEqual(web["street"], "文三路 88 号")
        [listed] = partners.web_search_read(
            [("id", "=", self.customer.id)], {"phone": {}, "email": {}}
        )["records"]
        self.assertEqual((listed["phone"], listed["email"]), (False, False))

    def test_customers_portal_users_too(self):
        portal = self.env["res.users"].create(
            {
                "name": "王秀英",
                "login": "foc_cd_portal",
                "partner_id": self.customer.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        for user, shown in ((self.inventory, False), (self.users["receiver"], True)):
            [values] = portal.with_user(user).read(["name", "email", "phone"])
            self.assertEqual(values["name"], "王秀英")
            self.assertEqual(values["email"] == EMAIL, shown)
            self.assertEqual(values["phone"] == PHONE, shown)
            found = (
                self.env["res.users"].with_user(user).search([("email", "=", EMAIL)])
            )
            self.assertEqual(found == portal, shown)
        # sorted by e-mail, the users come in their order of creation
        other = self.env["res.users"].create(
            {
                "name": "李建国",
                "login": "foc_cd_portal_2",
                "email": "a.li@example.com",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        for user, expected in (
            (self.inventory, [portal.id, other.id]),
            (self.users["receiver"], [other.id, portal.id]),
        ):
            found = (
                self.env["res.users"]
                .with_user(user)
                .search([("id", "in", (portal | other).ids)], order="email")
            )
            self.assertEqual(found.ids, expected)

    def test_after_sales_cases_too(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "包装破损",
                "description": "到货时包装破损",
                "partner_id": self.customer.id,
                "partner_email": EMAIL,
            }
        )
        # the inventory manager follows the case of a returned parcel
        ticket.message_subscribe(partner_ids=self.inventory.partner_id.ids)
        for user, shown in ((self.inventory, False), (self.users["aftersales"], True)):
            [values] = ticket.with_user(user).read(["partner_name", "partner_email"])
            self.assertEqual(values["partner_email"] == EMAIL, shown, user.login)

    def test_other_roles_and_the_server_read_them(self):
        for role in ("receiver", "processor", "logistics", "aftersales", "manager"):
            [values] = self._as(role).browse(self.customer.id).read(["phone", "email"])
            self.assertEqual((values["phone"], values["email"]), (PHONE, EMAIL), role)
        # the order center's own code, as superuser for the inventory manager
        [values] = self._as("inventory").sudo().browse(self.customer.id).read(["email"])
        self.assertEqual(values["email"], EMAIL)
        self.assertEqual(self._as("inventory").browse(self.customer.id).email, EMAIL)

    def test_searches_and_groupings_do_not_reveal_them(self):
        partners = self._as("inventory")
        self.assertFalse(partners.search([("email", "=", EMAIL)]))
        self.assertFalse(partners.search([("phone", "ilike", "0000 4321")]))
        self.assertFalse(partners.search([("email", "ilike", "wang.customer")]))
        self.assertFalse(partners.name_search("wang.customer"))
        # through the orders' customers too
        self.assertFalse(
            self.env["sale.order"]
            .with_user(self.inventory)
            .search_count([("partner_id.email", "=", EMAIL)])
        )
        # what is not a contact detail still finds the customer, and the
        # vendors' details find the vendors
        self.assertEqual(partners.search([("city", "=", "杭州")]), self.customer)
        self.assertEqual(
            partners.search([("email", "ilike", "rice-vendor")]), self.vendor
        )
        self.assertEqual(
            self._as("processor").search([("email", "=", EMAIL)]), self.customer
        )
        # nor does a list sorted by them: the inventory manager's comes in
        # the contacts' order of creation, the processor's by e-mail
        ranked = self.customer | self.env["res.partner"].create(
            {
                "name": "李建国",
                "email": "a.li@example.com",
                "phone": "+86 139 0000 0001",
            }
        )
        for role, field, expected in [
            ("inventory", "email", ranked.ids),
            ("inventory", "phone", ranked.ids),
            ("inventory", "email desc", ranked.ids[::-1]),
            ("processor", "email", ranked.ids[::-1]),
            ("processor", "phone", ranked.ids[::-1]),
        ]:
            with self.subTest(role=role, order=field):
                found = self._as(role).search([("id", "in", ranked.ids)], order=field)
                self.assertEqual(found.ids, expected)
        users = self.env["res.users"].with_user(self.inventory)
        self.assertEqual(
            users.search(
                [("id", "in", self.users["processor"].ids)], order="email"
            ).ids,
            self.users["processor"].ids,
        )
        with self.assertRaisesRegex(AccessError, "phone numbers and e-mail"):
            partners.read_group([], ["email"], ["email"])
        with self.assertRaisesRegex(AccessError, "phone numbers and e-mail"):
            partners._read_group([], ["phone"])
        self.assertTrue(partners.read_group([], ["city"], ["city"]))

    def test_exports_and_changes_are_refused(self):
        # exports are refused to users without the right to export
        self.inventory.groups_id += self.env.ref("base.group_allow_export")
        partners = self._as("inventory")
        customer = partners.browse(self.customer.id)
        with self.assertRaisesRegex(AccessError, "phone numbers and e-mail"):
            customer.export_data(["name", "email"])
        self.assertEqual(
            customer.export_data(["name", "city"])["datas"], [["王秀英", "杭州"]]
        )
        self.assertEqual(
            partners.browse(self.vendor.id).export_data(["email"])["datas"],
            [["sales@rice-vendor.example.com"]],
        )
        with self.assertRaisesRegex(AccessError, "phone numbers and e-mail"):
            customer.write({"email": "changed@example.com"})
        self.assertEqual(self.customer.email, EMAIL)
        customer.write({"city": "杭州市"})
        self.assertEqual(self.customer.city, "杭州市")

    def test_display_names_and_printed_contacts_leave_them_out(self):
        customer = self._as("inventory").browse(self.customer.id)
        self.assertEqual(customer.with_context(show_email=True).display_name, "王秀英")
        self.assertIn(
            EMAIL,
            self._as("processor")
            .browse(self.customer.id)
            .with_context(show_email=True)
            .display_name,
        )
        contact = self.env["ir.qweb.field.contact"]
        for user, shown in ((self.inventory, False), (self.users["logistics"], True)):
            html = str(
                contact.with_user(user).value_to_html(
                    self.customer.with_user(user),
                    {"fields": ["name", "address", "phone", "email"]},
                )
            )
            self.assertIn("文三路 88 号", html)
            self.assertEqual(EMAIL in html, shown, html)
            self.assertEqual("0000 4321" in html, shown, html)
            html = str(
                contact.with_user(user).value_to_html(self.customer.with_user(user), {})
            )
            self.assertEqual(EMAIL in html, shown, html)

    def test_chatter_leaves_them_out(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.env["product.product"]
                            .create({"name": "龙井 250g", "list_price": 268.0})
                            .id
                        },
                    )
                ],
            }
        )
        order.message_subscribe(partner_ids=self.customer.ids)
        order.message_post(
            body="请尽快发货", author_id=self.customer.id, message_type="email"
        )
        order.message_post(
            body="我也想订", email_from="李四 <li.si@example.com>", message_type="email"
        )
        suggested = {}
        for user, shown in ((self.inventory, False), (self.users["processor"], True)):
            user_order = order.with_user(user)
            store = Store()
            user_order._thread_to_store(
                store, request_list=["followers", "suggestedRecipients"]
            )
            user_order.message_ids._to_store(store, for_current_user=True)
            result = store.get_result()
            data = str(result)
            self.assertEqual(EMAIL in data, shown, data)
            self.assertEqual("li.si@example.com" in data, shown, data)
            # the same contacts are suggested (by name) to both
            (thread,) = [
                values
                for values in result["mail.thread"]
                if values.get("suggestedRecipients") is not None
            ]
            suggested[user] = [
                r["partner_id"]
                for r in thread["suggestedRecipients"]
                if r.get("partner_id")
            ]
            self.assertIn("王秀英", data)
            self.assertIn("李四", data)
            emails = user_order.message_ids.read(["email_from"])
            self.assertEqual(
                any("li.si@example.com" in (m["email_from"] or "") for m in emails),
                shown,
            )
        self.assertTrue(suggested[self.inventory])
        self.assertEqual(suggested[self.inventory], suggested[self.users["processor"]])

    def test_tracked_changes_leave_them_out(self):
        # (a contact created in the same transaction is not tracked)
        self.env.cr.flush()
        self.customer.write({"email": "wang.new@example.com", "city": "宁波"})
        # the changes are tracked when the transaction ends
        self.env.cr.flush()
        self.env.invalidate_all()
        for user, shown in ((self.inventory, False), (self.users["aftersales"], True)):
            store = Store()
            self.customer.with_user(user).message_ids._to_store(
                store, for_current_user=True
            )
            data = str(store.get_result())
            self.assertIn("宁波", data)
            self.assertEqual("wang.new@example.com" in data, shown, data)
            self.assertEqual(EMAIL in data, shown, data)


@tagged("post_install", "-at_install")
class TestCustomerContactDetailsRpc(ContactDetailsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_contacts("foc_cdr", password=True)

    def _call(self, role, model, method, *args, **kwargs):
        user = self.users[role]
        return execute_kw(self, user, user.login, model, method, *args, **kwargs)

    def test_over_xmlrpc(self):
        domain = [("id", "in", (self.customer | self.vendor).ids)]
        fields = ["name", "street", "phone", "email"]
        inventory = self._call(
            "inventory", "res.partner", "search_read", domain, fields=fields
        )
        by_id = {values["id"]: values for values in inventory}
        customer = by_id[self.customer.id]
        self.assertEqual(customer["street"], "文三路 88 号")
        self.assertEqual((customer["phone"], customer["email"]), (False, False))
        self.assertEqual(by_id[self.vendor.id]["phone"], "+86 451 0000 0001")
        self.assertEqual(
            self._call("inventory", "res.partner", "search", [("email", "=", EMAIL)]),
            [],
        )
        with self.assertRaises(Fault) as refused:
            self._call(
                "inventory",
                "res.partner",
                "write",
                [self.customer.id],
                {"phone": "+86 139 1111 2222"},
            )
        self.assertIn("phone numbers and e-mail", refused.exception.faultString)
        [processor] = self._call(
            "processor",
            "res.partner",
            "read",
            [self.customer.id],
            fields=["phone", "email"],
        )
        self.assertEqual((processor["phone"], processor["email"]), (PHONE, EMAIL))

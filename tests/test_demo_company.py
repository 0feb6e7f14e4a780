# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    """The demo company is a Chinese food company working in CNY (demo data)."""

    def test_company_is_chinese_in_cny(self):
        company = self.env.ref("base.main_company")
        cny = self.env.ref("base.CNY")
        self.assertEqual(company.currency_id, cny)
        self.assertTrue(cny.active)
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.partner_id, self.env.ref("base.main_partner"))
        self.assertEqual(company.partner_id.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_SH"))
        self.assertEqual(company.name, "上海禾鲜食品有限公司")
        self.assertTrue(company.phone and company.email and company.website)

    def test_demo_orders_in_cny(self):
        cny = self.env.ref("base.CNY")
        demo_order = self.env.ref("food_order_center.sale_order_demo_01")
        self.assertEqual(demo_order.currency_id, cny)
        orders = self.env["sale.order"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertIn(demo_order, orders)
        self.assertEqual(orders.currency_id, cny, "every order of the company")
        pricelists = self.env["product.pricelist"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertEqual(pricelists.currency_id, cny, "the company's pricelists")

    def test_demo_accounting_in_cny(self):
        moves = self.env["account.move"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertTrue(moves, "account's demo accounting, loaded again in CNY")
        self.assertEqual(moves.currency_id, self.env.ref("base.CNY"))

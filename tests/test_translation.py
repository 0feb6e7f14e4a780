# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestZhCnTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["food_order_center"], ["zh_CN"])
        cls.zh_env = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_po_file_is_complete(self):
        po = polib.pofile(file_path("food_order_center/i18n/zh_CN.po"))
        pot = polib.pofile(file_path("food_order_center/i18n/food_order_center.pot"))
        self.assertFalse(po.untranslated_entries(), "untranslated zh_CN terms")
        self.assertFalse(po.fuzzy_entries(), "fuzzy zh_CN terms")
        missing = {e.msgid for e in pot} - {e.msgid for e in po.translated_entries()}
        self.assertFalse(missing, "terms of the .pot missing from zh_CN.po")

    def test_menus_translated(self):
        expected = {
            "food_order_center.menu_order_center_root": "订单中心",
            "food_order_center.sale_order_menu_my_orders": "我的订单",
            "food_order_center.food_sales_platform_menu": "销售平台",
        }
        for xmlid, label in expected.items():
            self.assertEqual(self.zh_env.ref(xmlid).name, label)

    def test_field_labels_and_values_translated(self):
        fields = self.zh_env["sale.order"].fields_get(
            ["intake_channel", "urgency", "order_center_stage", "processor_id"],
            ["string", "selection"],
        )
        self.assertEqual(fields["intake_channel"]["string"], "接单渠道")
        self.assertEqual(fields["processor_id"]["string"], "订单处理专员")
        self.assertEqual(dict(fields["urgency"]["selection"])["urgent"], "加急")
        self.assertEqual(
            dict(fields["order_center_stage"]["selection"])["shipped"], "已发货"
        )

    def test_roles_translated(self):
        self.assertEqual(
            self.zh_env.ref("food_order_center.group_order_receiver").name, "订单接收员"
        )

    def test_error_messages_translated(self):
        order = self.zh_env["sale.order"].create(
            {"partner_id": self.env.user.partner_id.id}
        )
        with self.assertRaisesRegex(Exception, "订单中心经理"):
            order.with_user(
                self.env["res.users"].create(
                    {
                        "name": "接单员",
                        "login": "foc_zh_receiver",
                        "lang": "zh_CN",
                        "groups_id": [
                            (
                                6,
                                0,
                                self.env.ref(
                                    "food_order_center.group_order_receiver"
                                ).ids,
                            )
                        ],
                    }
                )
            ).write({"processor_id": self.env.user.id})

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import subprocess
import unicodedata
from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestShippingDocuments(OrderCenterCommon, HttpCase):
    """Delivery note and packing list (R16): real PDFs, in the customer's
    language, read back with pdftotext. An HttpCase: wkhtmltopdf loads the
    report's style sheets from the test server, which must see the test's
    transaction (as Odoo's own PDF rendering tests do)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["base", "web", "stock", "food_order_center"], ["zh_CN"]
        )
        cls.customer.lang = "zh_CN"
        cls.buns = cls.env["product.product"].create(
            {
                "name": "Frozen pork buns",
                "default_code": "FOC-T-BUN",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "weight": 0.5,
                "list_price": 12.0,
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {
                "name": "BUN-2026-11",
                "product_id": cls.buns.id,
                "expiration_date": datetime(2027, 3, 31, 12, 0),
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.buns, cls.warehouse.lot_stock_id, 40, lot_id=cls.lot
        )
        cls.box = cls.env["stock.package.type"].create(
            {"name": "Insulated box 20L", "base_weight": 1.0}
        )
        cls.carton = cls.env["stock.package.type"].create(
            {"name": "Carton 40x30", "base_weight": 0.25}
        )
        cls.order = cls._create_order(
            lines=[(cls.buns, 10), (cls.noodles, 6)],
            intake_channel="online_platform",
            platform_id=cls.platform.id,
            external_ref="TFM-20261129-0042",
        )
        cls.order.with_user(cls.manager).action_confirm_unverified(
            "Shipping documents test"
        )
        cls.picking = cls.order.picking_ids
        cls.picking.carrier_tracking_ref = "SF1234567890"

    def _pack_and_ship(self, noodles_qty=6):
        picking = self.picking
        bun_move = picking.move_ids.filtered(lambda m: m.product_id == self.buns)
        noodle_move = picking.move_ids - bun_move
        bun_move.move_line_ids.quantity = 10
        noodle_move.quantity = noodles_qty
        bun_package = self.env["stock.quant.package"].create(
            {"package_type_id": self.box.id}
        )
        noodle_package = self.env["stock.quant.package"].create(
            {"package_type_id": self.carton.id}
        )
        bun_move.move_line_ids.result_package_id = bun_package
        noodle_move.move_line_ids.result_package_id = noodle_package
        picking.move_ids.picked = True
        if noodles_qty < noodle_move.product_uom_qty:
            # the customer accepted a backorder for the rest
            self.order.order_line.filtered(
                lambda line: line.product_id == self.noodles
            ).with_user(self.manager).action_resolve_stock_out(
                "split", expected_date=date(2026, 12, 15)
            )
        picking.with_user(self.manager).action_food_preship_check()
        self.assertEqual(picking.food_preship_state, "passed")
        res = picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=[]
        ).button_validate()
        self.assertIs(res, True)
        self.assertEqual(picking.state, "done")
        return bun_package, noodle_package

    def _pdf_text(self, report_ref, pickings):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.fail(
                "wkhtmltopdf is missing or unusable: install Debian's "
                "wkhtmltopdf (make test does) to print the shipping documents."
            )
        pdftotext = shutil.which("pdftotext")
        if not pdftotext:
            self.fail("pdftotext is missing: install Debian's poppler-utils.")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, pickings.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = subprocess.run(
            [pdftotext, "-enc", "UTF-8", "-raw", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        # the text in drawing order (a value wrapped in its column stays in
        # one piece), compared without spaces;
        # it reads some CJK glyphs as their Kangxi radicals (⽉ for 月): NFKC
        return "".join(unicodedata.normalize("NFKC", text).split())

    def _assertContains(self, text, *expected):
        for value in expected:
            self.assertIn("".join(value.split()), text)

    def test_delivery_note(self):
        self._pack_and_ship(noodles_qty=4)
        text = self._pdf_text("food_order_center.report_delivery_note", self.picking)
        self._assertContains(
            text,
            self.order.name,
            self.picking.name,
            "Test Fresh Mall",
            "TFM-20261129-0042",
            "上海测试餐厅",
            "南京",
            "+86 138 0013 8000",
            "Frozen pork buns",
            "BUN-2026-11",
            "2027",
            "Dried noodles",
            "SF1234567890",
            # the customer's language: the addon's labels and core data
            "送货单",
            "批次",
            "签收",
            "后续补发",
        )
        # what follows in the backorder: 2 of the 6 noodles
        backorder = self.picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 2)
        self._assertContains(text, backorder.name)

    def test_packing_list(self):
        bun_package, noodle_package = self._pack_and_ship()
        self.buns.is_fragile = True
        text = self._pdf_text("food_order_center.report_packing_list", self.picking)
        self._assertContains(
            text,
            self.order.name,
            "TFM-20261129-0042",
            bun_package.name,
            noodle_package.name,
            "Insulated box 20L",
            "Carton 40x30",
            "Frozen pork buns",
            "BUN-2026-11",
            "Dried noodles",
            # weight: box 1.0 + 10 x 0.5 kg
            "6.00",
            "装箱单",
            "易碎",
            "上海测试餐厅",
        )
        self.assertNotIn("冷链", text)
        self.buns.categ_id.food_storage_condition = "frozen"
        text = self._pdf_text("food_order_center.report_packing_list", self.picking)
        self._assertContains(text, "冷链")

    def test_print_from_the_order(self):
        self._pack_and_ship()
        # a non-admin user: Odoo asks the admin to set up the document
        # layout first while the company has none
        order = self.order.with_user(self.manager)
        action = order.action_print_delivery_notes()
        self.assertEqual(
            action["report_name"], "food_order_center.report_delivery_note"
        )
        self.assertEqual(action["context"]["active_ids"], self.picking.ids)
        action = order.action_print_packing_lists()
        self.assertEqual(action["report_name"], "food_order_center.report_packing_list")

    def test_print_from_order_without_delivery_refused(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "no delivery"):
            order.action_print_delivery_notes()

    def test_printable_from_the_transfer(self):
        bindings = self.env["ir.actions.report"].search(
            [("binding_model_id.model", "=", "stock.picking")]
        )
        self.assertIn(
            self.env.ref("food_order_center.action_report_delivery_note"), bindings
        )
        self.assertIn(
            self.env.ref("food_order_center.action_report_packing_list"), bindings
        )

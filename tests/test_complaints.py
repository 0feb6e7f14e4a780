# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints (R19): investigation, solution, satisfaction follow-up,
compensation where the company is at fault, recall of a lot."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestComplaints(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.customer.write({"email": "chef@shanghai-restaurant.example.com"})
        cls.customer.lang = "zh_CN"
        cls.customer_2 = cls.env["res.partner"].create(
            {"name": "杭州测试食堂", "email": "canteen@hz.example.com", "lang": "zh_CN"}
        )
        cls.customer_3 = cls.env["res.partner"].create(
            {"name": "南京测试酒店", "email": "hotel@nj.example.com"}
        )
        cls.aftersales = cls.users["aftersales"]
        cls.inventory = cls.users["inventory"]
        cls.env.company.food_compensation_approval_amount = 500.0
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.sauce = cls.env["product.product"].create(
            {
                "name": "Chili sauce",
                "default_code": "FOC-T-CPL1",
                "is_storable": True,
                "tracking": "lot",
                "list_price": 8.0,
            }
        )
        cls.lot_a = cls.env["stock.lot"].create(
            {"name": "CPL-LOT-A", "product_id": cls.sauce.id}
        )
        cls.lot_b = cls.env["stock.lot"].create(
            {"name": "CPL-LOT-B", "product_id": cls.sauce.id}
        )
        # lot A went to two orders (two customers), lot B to a third one
        cls.order_1 = cls._deliver(cls.customer, cls.lot_a, 2)
        cls.order_2 = cls._deliver(cls.customer_2, cls.lot_a, 3)
        cls.order_3 = cls._deliver(cls.customer_3, cls.lot_b, 1)
        cls.order_1.processor_id = cls.processor

    @classmethod
    def _deliver(cls, partner, lot, qty):
        cls.env["stock.quant"]._update_available_quantity(
            cls.sauce, cls.warehouse.lot_stock_id, qty, lot_id=lot
        )
        order = cls._create_order(lines=[(cls.sauce, qty)], partner_id=partner.id)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_line_ids.unlink()
        move = picking.move_ids
        cls.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": cls.sauce.id,
                "product_uom_id": move.product_uom.id,
                "lot_id": lot.id,
                "quantity": qty,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        assert picking.state == "done"
        return order

    def _complaint(self, user=None, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(user or self.aftersales)
            .create(
                {
                    "name": "Sauce jar leaking",
                    "description": "<p>The jars of chili sauce leak.</p>",
                    "food_case_type": "complaint",
                    "food_case_channel": "hotline",
                    "partner_id": self.customer.id,
                    "food_order_id": self.order_1.id,
                    "user_id": self.aftersales.id,
                    "food_line_ids": [
                        Command.create(
                            {
                                "product_id": self.sauce.id,
                                "lot_id": self.lot_a.id,
                                "quantity": 2,
                            }
                        )
                    ],
                    **vals,
                }
            )
        )

    def _at_fault(self, **vals):
        return self._complaint(
            food_root_cause="product_quality",
            food_findings="Caps of lot A were not screwed on tight.",
            food_company_at_fault=True,
            **vals,
        )

    def _compensation(self, case, amount, kind="voucher", user=None):
        return (
            self.env["food.case.compensation"]
            .with_user(user or self.aftersales)
            .create({"case_id": case.id, "kind": kind, "amount": amount})
        )

    def _customer_messages(self, record, partner=None):
        partner = partner or self.customer
        return record.message_ids.filtered(
            lambda m: m.message_type == "comment" and partner in m.partner_ids
        )

    # ------------------------------------------------------------------
    # Investigation and closing
    # ------------------------------------------------------------------

    def test_investigation_fields(self):
        fields = self.env["helpdesk.ticket"]._fields
        for name in ("food_root_cause", "food_company_at_fault"):
            self.assertTrue(fields[name].store and fields[name].index, name)
        self.assertTrue(fields["rating_last_value"].store, "satisfaction KPI")
        case = self._complaint()
        self.assertTrue(case.food_is_complaint)
        self.assertFalse(self._complaint(food_case_type="inquiry").food_is_complaint)

    def test_complaint_closes_with_its_investigation(self):
        case = self._complaint(
            food_solution="A new jar was delivered.", food_customer_confirmed=True
        )
        as_staff = case.with_user(self.aftersales)
        with self.assertRaisesRegex(UserError, "root cause"):
            as_staff.stage_id = self.done
        as_staff.food_root_cause = "product_quality"
        with self.assertRaisesRegex(UserError, "root cause"):
            as_staff.stage_id = self.done
        self.assertFalse(case.closed)
        as_staff.food_findings = "The caps of the lot were loose."
        as_staff.stage_id = self.done
        self.assertTrue(case.closed)
        # the existing rule still holds: no solution, no closing
        other = self._complaint(
            food_root_cause="service", food_findings="Late answer by the hotline."
        )
        with self.assertRaisesRegex(UserError, "solution"):
            other.with_user(self.aftersales).stage_id = self.done
        # a quality case closes as the deadline rules let it
        quality = self._complaint(
            food_case_type="quality",
            food_solution="Replaced.",
            food_customer_confirmed=True,
        )
        quality.with_user(self.aftersales).stage_id = self.done
        self.assertTrue(quality.closed)

    # ------------------------------------------------------------------
    # Solution sent to the customer
    # ------------------------------------------------------------------

    def test_send_solution_in_the_customers_language(self):
        template = self.env.ref("food_order_center.mail_template_case_solution")
        subject = "您的售后单 {{ object.number }} 的解决方案"
        template.with_context(lang="zh_CN").subject = subject
        case = self._complaint()
        as_staff = case.with_user(self.aftersales)
        self.assertFalse(as_staff.food_can_send_solution)
        with self.assertRaises(UserError):
            as_staff.action_food_send_solution()
        as_staff.food_solution = "A new jar comes with your next order."
        as_staff.action_food_send_solution()
        message = self._customer_messages(case)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subject, f"您的售后单 {case.number} 的解决方案")
        self.assertIn("A new jar comes with your next order.", message.body)
        self.assertTrue(case.food_solution_sent_date)
        self.assertTrue(case.food_first_response_date, "the solution answers")
        with self.assertRaises(AccessError):
            case.with_user(self.aftersales).write(
                {"food_solution_sent_date": "2026-01-01 00:00:00"}
            )

    def test_processor_reads_the_case_but_sends_nothing(self):
        case = self._at_fault(food_solution="Replaced.")
        as_processor = case.with_user(self.processor)
        self.assertEqual(as_processor.food_root_cause, "product_quality")
        with self.assertRaises(AccessError):
            as_processor.action_food_send_solution()
        with self.assertRaises(AccessError):
            as_processor.write({"food_root_cause": "service"})
        with self.assertRaises(AccessError):
            self._compensation(case, 50, user=self.processor)
        self._compensation(case, 50)
        with self.assertRaises(AccessError):
            self.env["food.case.compensation"].with_user(self.processor).search([])
        with self.assertRaises(AccessError):
            as_processor.action_food_lot_recall()
        self.assertFalse(self.lot_a.activity_ids)

    # ------------------------------------------------------------------
    # Satisfaction follow-up
    # ------------------------------------------------------------------

    def _close(self, case):
        case.with_user(self.aftersales).write(
            {
                "food_solution": "A new jar was delivered.",
                "food_customer_confirmed": True,
                "food_root_cause": "product_quality",
                "food_findings": "The caps of the lot were loose.",
            }
        )
        case.with_user(self.aftersales).stage_id = self.done

    def test_closing_a_complaint_sends_the_satisfaction_survey(self):
        template = self.env.ref("food_order_center.mail_template_case_satisfaction")
        template.with_context(lang="zh_CN").subject = "请评价售后单 {{ object.number }}"
        case = self._complaint()
        self.assertFalse(case.rating_ids)
        self._close(case)
        self.assertTrue(case.food_satisfaction_request_date)
        rating = case.rating_ids
        self.assertEqual(len(rating), 1, "the survey's token")
        self.assertEqual(rating.partner_id, self.customer)
        self.assertFalse(rating.consumed)
        survey = case.message_ids.filtered(
            lambda m: m.subject == f"请评价售后单 {case.number}"
        )
        self.assertEqual(len(survey), 1, "in the customer's language")
        self.assertIn(f"/rate/{rating.access_token}/5", survey.body)
        self.assertIn(self.customer, survey.partner_ids)
        # other cases: no survey of the order center
        for vals in ({"food_case_type": "inquiry"}, {"rating_status": "no_rate"}):
            other = self._complaint(**vals)
            self._close(other)
            self.assertFalse(other.rating_ids, vals)
            self.assertFalse(other.food_satisfaction_request_date, vals)

    def test_one_survey_when_the_stage_has_one_too(self):
        # helpdesk_mgmt_rating's survey of the closing stage: for the other
        # tickets only, complaints get the order center's
        self.done.rating_mail_template_id = self.env.ref(
            "helpdesk_mgmt_rating.rating_ticket_email_template"
        )
        case = self._complaint()
        self._close(case)
        self.assertEqual(len(case.rating_ids), 1)
        surveys = case.message_ids.filtered(lambda m: "/rate/" in (m.body or ""))
        self.assertEqual(len(surveys), 1, "not two surveys")
        inquiry = self._complaint(food_case_type="inquiry")
        self._close(inquiry)
        self.assertEqual(len(inquiry.rating_ids), 1, "helpdesk_mgmt_rating's survey")
        self.assertFalse(inquiry.food_satisfaction_request_date)

    def test_satisfaction_recorded_by_phone(self):
        case = self._complaint()
        wizard = Form(
            self.env["food.case.rating.wizard"]
            .with_user(self.aftersales)
            .with_context(default_case_id=case.id)
        )
        wizard.score = "5"
        with self.assertRaisesRegex(UserError, "closed"):
            wizard.save().action_apply()
        self._close(case)
        wizard = Form(
            self.env["food.case.rating.wizard"]
            .with_user(self.aftersales)
            .with_context(default_case_id=case.id)
        )
        wizard.score = "1"
        wizard.feedback = "Still angry about the mess in the store room."
        wizard.save().action_apply()
        self.assertEqual(case.rating_last_value, 1)
        rating = case.rating_ids
        self.assertEqual(len(rating), 1, "the survey's rating is the one given")
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 1)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertIn("store room", rating.feedback)
        with self.assertRaises(UserError):
            case.with_user(self.aftersales)._food_apply_satisfaction(4)
        with self.assertRaises(AccessError):
            self.env["food.case.rating.wizard"].with_user(self.processor).create(
                {"case_id": case.id, "score": "5"}
            )

    # ------------------------------------------------------------------
    # Compensation
    # ------------------------------------------------------------------

    def test_no_compensation_unless_the_company_is_at_fault(self):
        case = self._complaint()
        compensation = self._compensation(case, 100)
        with self.assertRaisesRegex(UserError, "at fault"):
            compensation.action_request()
        self.assertEqual(compensation.state, "draft")
        self.assertFalse(compensation.requested_by_id)
        case.with_user(self.aftersales).food_company_at_fault = True
        compensation.action_request()
        self.assertEqual(compensation.state, "approved")
        # the case stays at fault while it has compensations
        with self.assertRaises(ValidationError):
            case.with_user(self.aftersales).food_company_at_fault = False
        # compensations are for complaints and quality problems only
        inquiry = self._complaint(food_case_type="inquiry")
        with self.assertRaises(UserError):
            self._compensation(inquiry, 10)

    def test_up_to_the_threshold_after_sales_approve(self):
        case = self._at_fault()
        compensation = self._compensation(case, 500)
        self.assertFalse(compensation.needs_approval)
        compensation.action_request()
        self.assertEqual(compensation.state, "approved")
        self.assertEqual(compensation.requested_by_id, self.aftersales)
        self.assertEqual(compensation.approved_by_id, self.aftersales)
        self.assertTrue(compensation.approval_date)
        self.assertFalse(compensation.activity_ids)
        told = self._customer_messages(case)
        self.assertEqual(len(told), 1, "the customer is told of the compensation")
        self.assertIn("500", told.body)

    def test_above_the_threshold_a_manager_approves(self):
        case = self._at_fault()
        compensation = self._compensation(case, 800)
        self.assertTrue(compensation.needs_approval)
        compensation.action_request()
        self.assertEqual(compensation.state, "to_approve")
        self.assertFalse(self._customer_messages(case), "not granted yet")
        self.assertIn(self.manager, compensation.activity_ids.user_id)
        self.assertNotIn(self.aftersales, compensation.activity_ids.user_id)
        with self.assertRaises(AccessError):
            compensation.with_user(self.aftersales).action_approve()
        with self.assertRaises(AccessError):
            compensation.with_user(self.aftersales).action_refuse()
        with self.assertRaises(AccessError):
            compensation.with_user(self.aftersales).write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "once requested"):
            compensation.with_user(self.aftersales).amount = 400
        self.assertEqual(compensation.state, "to_approve")
        compensation.with_user(self.manager).action_approve()
        self.assertEqual(compensation.state, "approved")
        self.assertEqual(compensation.approved_by_id, self.manager)
        self.assertFalse(compensation.activity_ids, "the managers' to-do is gone")
        self.assertEqual(len(self._customer_messages(case)), 1)
        with self.assertRaises(UserError):
            compensation.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            compensation.with_user(self.aftersales).unlink()

    def test_compensation_from_the_case_form(self):
        case = self._at_fault()
        with Form(case.with_user(self.aftersales)) as form:
            form.food_corrective_action = "Caps checked at packing."
        action = case.with_user(self.aftersales).action_food_view_compensations()
        self.assertEqual(action["context"], {"default_case_id": case.id})
        form = Form(
            self.env["food.case.compensation"]
            .with_user(self.aftersales)
            .with_context(**action["context"])
        )
        form.kind = "credit_note"
        form.amount = 60
        compensation = form.save()
        self.assertEqual(compensation.case_id, case)
        self.assertEqual(compensation.currency_id, self.env.company.currency_id)
        self.assertEqual(case.food_compensation_count, 1)

    def test_compensations_of_another_company_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "FOC Other Co"})
        case = self.env["helpdesk.ticket"].create(
            {
                "name": "Other company's complaint",
                "description": "<p>x</p>",
                "food_case_type": "complaint",
                "company_id": other_company.id,
                "food_company_at_fault": True,
            }
        )
        compensation = self._compensation(case, 10, user=self.env.user)
        self.assertEqual(compensation.company_id, other_company)
        Compensation = self.env["food.case.compensation"].with_user(self.aftersales)
        self.assertFalse(Compensation.search([("id", "=", compensation.id)]))
        with self.assertRaises(AccessError):
            compensation.with_user(self.aftersales).read(["amount"])
        mine = self._compensation(self._at_fault(), 10)
        self.assertEqual(Compensation.search([("id", "=", mine.id)]), mine)

    def test_manager_refuses(self):
        case = self._at_fault()
        compensation = self._compensation(case, 2000)
        compensation.action_request()
        compensation.with_user(self.manager).action_refuse()
        self.assertEqual(compensation.state, "refused")
        self.assertFalse(compensation.activity_ids)
        self.assertFalse(self._customer_messages(case))
        with self.assertRaises(UserError):
            compensation.with_user(self.aftersales).action_done()

    def test_threshold_is_a_setting(self):
        settings = self.env["res.config.settings"].create({})
        settings.food_compensation_approval_amount = 50
        settings.execute()
        self.assertEqual(self.env.company.food_compensation_approval_amount, 50)
        compensation = self._compensation(self._at_fault(), 80)
        compensation.action_request()
        self.assertEqual(compensation.state, "to_approve")

    def test_credit_note_for_refunds_and_credit_notes(self):
        case = self._at_fault()
        for kind in ("refund", "credit_note"):
            compensation = self._compensation(case, 120, kind=kind)
            compensation.description = "Two leaking jars"
            compensation.action_request()
            compensation.with_user(self.aftersales).action_done()
            self.assertEqual(compensation.state, "done")
            self.assertTrue(compensation.done_date)
            move = compensation.move_id
            self.assertEqual(move.move_type, "out_refund", kind)
            self.assertEqual(move.state, "draft")
            self.assertEqual(move.partner_id, self.customer)
            self.assertEqual(move.amount_total, 120)
            self.assertEqual(move.invoice_line_ids.name, "Two leaking jars")
            self.assertEqual(move.invoice_origin, case.number)
        voucher = self._compensation(case, 30, kind="gift")
        voucher.action_request()
        voucher.action_done()
        self.assertEqual(voucher.state, "done")
        self.assertFalse(voucher.move_id)
        with self.assertRaises(UserError):
            voucher.action_done()

    # ------------------------------------------------------------------
    # Quality hold and recall
    # ------------------------------------------------------------------

    def test_recall_list_lists_the_orders_that_received_the_lot(self):
        case = self._complaint(food_case_type="quality")
        self.assertTrue(case.food_can_recall)
        action = case.with_user(self.users["manager"]).action_food_lot_recall()
        wizard = self.env["food.lot.recall.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.lot_ids, self.lot_a)
        self.assertEqual(wizard.case_id, case)
        lines = wizard.line_ids
        self.assertEqual(lines.order_id, self.order_1 | self.order_2)
        self.assertNotIn(self.order_3, lines.order_id, "lot B only")
        self.assertEqual(len(lines), 2)
        by_order = {line.order_id: line for line in lines}
        self.assertEqual(by_order[self.order_1].partner_id, self.customer)
        self.assertEqual(by_order[self.order_1].quantity, 2)
        self.assertEqual(by_order[self.order_2].partner_id, self.customer_2)
        self.assertEqual(by_order[self.order_2].quantity, 3)
        self.assertEqual(by_order[self.order_2].picking_ids, self.order_2.picking_ids)
        # a manager is an inventory manager: the lot is on hold
        self.assertTrue(self.lot_a.food_quality_hold)
        self.assertTrue(wizard.held)
        self.assertFalse(self.lot_b.food_quality_hold)

    def test_after_sales_ask_the_inventory_managers_to_hold(self):
        case = self._complaint()
        action = case.with_user(self.aftersales).action_food_lot_recall()
        self.assertFalse(self.lot_a.food_quality_hold, "inventory managers hold")
        todo = self.lot_a.activity_ids.filtered(lambda a: a.user_id == self.inventory)
        self.assertEqual(len(todo), 1, "each inventory manager is asked")
        self.assertIn(case.number, todo.note)
        wizard = self.env["food.lot.recall.wizard"].browse(action["res_id"])
        self.assertFalse(wizard.held)
        self.assertEqual(len(wizard.line_ids), 2)
        # the inventory manager holds it (the existing guard of the hold)
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.aftersales).action_food_quality_hold("x")
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.processor).action_food_quality_hold("x")
        self.lot_a.with_user(self.inventory).action_food_quality_hold("Leaking caps")
        self.assertTrue(self.lot_a.food_quality_hold)

    def test_notify_customers_once_per_order(self):
        template = self.env.ref("food_order_center.mail_template_lot_recall")
        template.with_context(lang="zh_CN").subject = "产品召回通知"
        # the second order of lot A's first customer: two orders, two notices
        order_4 = self._deliver(self.customer, self.lot_a, 1)
        action = self.lot_a.with_user(self.aftersales).action_food_recall_list()
        wizard = self.env["food.lot.recall.wizard"].browse(action["res_id"])
        self.assertEqual(len(wizard.line_ids), 3)
        before = {
            order: len(self._customer_messages(order, order.partner_id))
            for order in self.order_1 | self.order_2 | self.order_3 | order_4
        }
        with self.assertRaises(AccessError):
            wizard.with_user(self.inventory).action_notify_customers()
        wizard.with_user(self.aftersales).action_notify_customers()
        for order in self.order_1 | self.order_2 | order_4:
            notices = self._customer_messages(order, order.partner_id)
            self.assertEqual(len(notices) - before[order], 1, order.name)
            notice = notices[0]
            self.assertEqual(notice.subject, "产品召回通知")
            self.assertIn("CPL-LOT-A", notice.body)
            self.assertIn(order.name, notice.body)
            self.assertEqual(notice.author_id, self.aftersales.partner_id)
        self.assertEqual(
            len(self._customer_messages(self.order_3, self.customer_3)),
            before[self.order_3],
            "lot B's customer is not told",
        )
        self.assertTrue(all(wizard.line_ids.mapped("notified")))
        trace = self.lot_a.message_ids[:1].body
        self.assertIn(self.customer_2.name, trace, "the lot keeps a trace")
        with self.assertRaises(UserError):
            wizard.with_user(self.aftersales).action_notify_customers()

    def test_recall_list_from_the_lot_form(self):
        action = self.lot_b.with_user(self.inventory).action_food_recall_list()
        wizard = self.env["food.lot.recall.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.order_id, self.order_3)
        with (
            mute_logger("odoo.addons.base.models.ir_model"),
            self.assertRaises(AccessError),
        ):
            self.lot_b.with_user(self.processor).action_food_recall_list()

    def test_recall_list_reads_the_deliveries_at_once(self):
        def queries(lot):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            vals = lot.with_user(self.aftersales)._prepare_food_recall_line_vals()
            return self.cr.sql_log_count - start, len(vals)

        queries(self.lot_b)  # caches of the access rules
        one = queries(self.lot_b)
        for _i in range(5):
            self._deliver(self.customer_3, self.lot_b, 1)
        six = queries(self.lot_b)
        self.assertEqual((one[1], six[1]), (1, 6))
        self.assertEqual(one[0], six[0], "the same queries for 1 or 6 orders")

    def test_compensations_menu_per_role(self):
        menu = self.env.ref("food_order_center.food_case_compensation_menu")
        menu_ids = {int(menu_id) for menu_id in menu.parent_path.split("/") if menu_id}
        for role, shown in (
            ("aftersales", True),
            ("manager", True),
            ("processor", False),
            ("inventory", False),
            ("receiver", False),
        ):
            visible = self.env["ir.ui.menu"].with_user(self.users[role])
            self.assertEqual(menu_ids <= visible._visible_menu_ids(), shown, role)

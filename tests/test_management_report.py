# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The management report (R14): every figure against numbers worked out by
hand on a crafted company (orders in the week and the week before, across
the time zone's midnight, a cancelled order, an order outside the order
center, exceptions, cases with ratings and deadlines); the PDF read back
with pdftotext; the periodic e-mail, once per period, in each manager's
language; the roles; the wizard over XML-RPC and the web route."""

import json
import shutil
import subprocess
import unicodedata
import xmlrpc.client
from datetime import date, datetime
from urllib.parse import urlencode

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, get_db_name, new_test_user, tagged
from odoo.tests.common import Transport
from odoo.tools import mute_logger

from .common import ROLE_GROUPS, create_role_users
from .test_intake import find_none

REPORT = "food_order_center.report_management"
REPORT_MODEL = "report.food_order_center.report_management"
WIZARD = "food.management.report.wizard"
# the week reported (Monday to Sunday, Shanghai time) and the one before
MONDAY = date(2026, 11, 9)
SUNDAY = date(2026, 11, 15)
FAR = datetime(2027, 12, 31, 0, 0)


def utc(day, hour, minute=0):
    """A moment of November 2026, in UTC (Shanghai is 8 hours ahead)."""
    return datetime(2026, 11, day, hour, minute)


def squeeze(text):
    """Text compared without spaces (nor the zero-width ones Odoo puts
    after a minus sign); pdftotext reads some CJK glyphs as their Kangxi
    radicals: NFKC."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.replace("\u200b", "").replace("\ufeff", "").split())


@tagged("post_install", "-at_install")
class TestManagementReport(HttpCase):
    """An HttpCase: wkhtmltopdf loads the report's style sheets from the
    test server, which must see the test's transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the managers read the report in English or in Chinese
        env["res.lang"]._activate_lang("en_US")
        env["res.lang"]._activate_lang("zh_CN")
        cls.users = create_role_users(env, "foc_mr", password=True)
        for user in cls.users.values():
            user.lang = "en_US"
        cls.manager = cls.users["manager"]
        # a company of its own: the demo data leave its figures alone
        cls.company = env["res.company"].create({"name": "MR Test Foods"})
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.manager.company_ids = [Command.link(cls.company.id)]
        cls.manager_zh = new_test_user(
            env,
            login="foc_mr_zh",
            name="FOC manager zh",
            groups=f"base.group_user,{ROLE_GROUPS['manager']}",
            lang="zh_CN",
        )
        customer = env["res.partner"].create(
            {"name": "MR Canteen", "phone": "+86 138 0000 1111"}
        )
        product = env["product.product"].create(
            {"name": "MR Rice", "taxes_id": False, "list_price": 1.0}
        )
        pricelist = env["product.pricelist"].create(
            {
                "name": "MR Prices",
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
            }
        )
        Order = env["sale.order"].with_company(cls.company)
        facts = {}

        def order(channel, amount, created, stage):
            record = Order.create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "pricelist_id": pricelist.id,
                    "intake_channel": channel,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
            )
            facts[record] = (created, stage)
            return record

        # the week: 9 to 15 November in Shanghai = 8 Nov 16:00 to 15 Nov
        # 16:00 UTC; the week before: 1 Nov 16:00 to 8 Nov 16:00 UTC
        cls.o1 = order("phone", 100.0, utc(10, 2), "exception")
        cls.o2 = order("phone", 50.0, utc(12, 9), "picking")
        cls.o3 = order("email", 30.0, utc(13, 9), "verified")
        cls.o4 = order("phone", 40.0, utc(11, 9), "cancelled")
        # 00:30 on Monday in Shanghai, still Sunday in UTC: this week
        cls.o5 = order("email", 20.0, utc(8, 16, 30), "to_verify")
        cls.o6 = order("other", 10.0, utc(14, 9), "shipped")
        cls.p1 = order("phone", 60.0, utc(3, 9), "delivered")
        # 23:30 on Sunday in Shanghai: the week before
        cls.p2 = order("email", 40.0, utc(8, 15, 30), "closed")
        cls.p3 = order("fax", 10.0, utc(5, 9), "assigned")
        # 00:30 on the next Monday in Shanghai: after the week
        cls.n1 = order("phone", 70.0, utc(15, 16, 30), "to_verify")
        # not an order-center order: left out everywhere
        cls.x1 = order(False, 500.0, utc(12, 9), "picking")
        cls.o4._action_cancel()

        Exception_ = env["food.order.exception"]
        exceptions = {}
        for record, kind, created, state in (
            (cls.o1, "delay", utc(10, 5), "open"),
            (cls.o2, "stock_out", utc(12, 10), "resolved"),
            (cls.o3, "stock_out", utc(13, 10), "open"),
            (cls.o5, "quality", utc(9, 1), "resolved"),
            (cls.o6, "preship", utc(14, 10), "open"),
            # the week before: left out of the week's exceptions; makes a
            # delivered order late, which is no longer in progress
            (cls.p1, "delivery_failed", utc(4, 10), "open"),
        ):
            exception = Exception_.create(
                {"order_id": record.id, "exception_type": kind, "reason": "MR"}
            )
            exception.state = state
            exceptions[exception] = created

        Case = env["helpdesk.ticket"].with_company(cls.company)

        def case(case_type, created, deadlines, root_cause=False, rating=0):
            record = Case.create(
                {
                    "name": f"MR {case_type}",
                    "description": "<p>MR</p>",
                    "company_id": cls.company.id,
                    "partner_id": customer.id,
                    **(
                        {"food_case_type": case_type, "food_case_channel": "hotline"}
                        if case_type
                        else {}
                    ),
                }
            )
            if case_type:
                response_due, response, solution_due, solved = deadlines
                record._write_food_trusted(
                    {
                        "food_response_deadline": response_due,
                        "food_first_response_date": response,
                        "food_resolution_deadline": solution_due,
                        "food_resolved_date": solved,
                        "food_root_cause": root_cause,
                    }
                )
            if rating:
                record.rating_apply(rating, token=record._rating_get_access_token())
            cases[record] = created
            return record

        cases = {}
        # answered and solved on time, rated 4
        case(
            "complaint",
            utc(10, 1),
            (utc(10, 5), utc(10, 3), utc(11, 1), utc(10, 21)),
            "product_quality",
            4,
        )
        # answered and solved late, rated 2
        case(
            "complaint",
            utc(11, 1),
            (utc(11, 5), utc(11, 7), utc(12, 1), utc(12, 7)),
            "product_quality",
            2,
        )
        # not answered yet, both deadlines ahead: not due
        case("inquiry", utc(12, 1), (FAR, False, FAR, False))
        # answered on time, solution deadline ahead
        case("quality", utc(13, 1), (utc(13, 5), utc(13, 2), FAR, False), "logistics")
        # the week before, rated 1: left out
        case(
            "return",
            utc(5, 1),
            (utc(5, 5), utc(5, 2), utc(6, 1), utc(5, 9)),
            "service",
            1,
        )
        # not an after-sales case: left out
        case(False, utc(12, 1), None)

        env.flush_all()
        # the facts as they were on the day: receipt times and stages (the
        # stage is derived from the transfers, which these orders lack)
        cr = env.cr
        for record, (created, stage) in facts.items():
            cr.execute(
                "UPDATE sale_order SET create_date = %s, order_center_stage = %s "
                "WHERE id = %s",
                (created, stage, record.id),
            )
        for exception, created in exceptions.items():
            cr.execute(
                "UPDATE food_order_exception SET create_date = %s WHERE id = %s",
                (created, exception.id),
            )
        for record, created in cases.items():
            cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                (created, record.id),
            )
        env.invalidate_all()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _figures(self, user=None, date_from=MONDAY, date_to=SUNDAY):
        return (
            self.env[REPORT_MODEL]
            .with_user(user or self.manager)
            ._get_management_figures(date_from, date_to, self.company)
        )

    def _data(self, date_from=MONDAY, date_to=SUNDAY):
        return {
            "date_from": str(date_from),
            "date_to": str(date_to),
            "company_id": self.company.id,
        }

    def _pdf_text(self, pdf):
        pdftotext = shutil.which("pdftotext")
        if not pdftotext:
            self.fail("pdftotext is missing: install Debian's poppler-utils.")
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:100])
        text = subprocess.run(
            [pdftotext, "-enc", "UTF-8", "-raw", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return squeeze(text)

    def _mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "res.company"), ("res_id", "=", self.company.id)],
            order="id",
        )

    def _configure(self, period, users):
        self.company.write(
            {
                "food_management_report_period": period,
                "food_management_report_user_ids": [Command.set(users.ids)],
            }
        )

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    def test_order_volume_and_trend(self):
        orders = self._figures()["orders"]
        # this week: O1 100, O2 50, O4 40 (cancelled) by phone; O3 30 and
        # O5 20 by e-mail; O6 10 other. The week before: P1 60 by phone,
        # P2 40 by e-mail, P3 10 by fax.
        self.assertEqual(
            (orders["count"], orders["cancelled"], orders["previous_count"]), (6, 1, 3)
        )
        # the cancelled order is received, but brings no amount
        self.assertAlmostEqual(orders["amount"], 210.0)
        self.assertAlmostEqual(orders["previous_amount"], 110.0)
        # (6 - 3) / 3 and (210 - 110) / 110
        self.assertAlmostEqual(orders["count_change"], 100.0)
        self.assertAlmostEqual(orders["amount_change"], 100.0 * 100 / 110)
        rows = {row["channel"]: row for row in orders["by_channel"]}
        self.assertEqual(
            list(rows), ["online_platform", "phone", "fax", "email", "other"]
        )
        expected = {
            # channel: count, previous, count change, cancelled, amount,
            # previous amount, amount change
            "phone": (3, 1, 200.0, 1, 150.0, 60.0, 150.0),
            "email": (2, 1, 100.0, 0, 50.0, 40.0, 25.0),
            "fax": (0, 1, -100.0, 0, 0.0, 10.0, -100.0),
            # nothing before: no change (no division by zero)
            "other": (1, 0, None, 0, 10.0, 0.0, None),
            "online_platform": (0, 0, None, 0, 0.0, 0.0, None),
        }
        for channel, values in expected.items():
            row = rows[channel]
            self.assertEqual(
                (
                    row["count"],
                    row["previous_count"],
                    row["count_change"],
                    row["cancelled"],
                    row["amount"],
                    row["previous_amount"],
                    row["amount_change"],
                ),
                values,
                channel,
            )
        self.assertEqual(rows["phone"]["label"], "Phone")

    def test_progress_exceptions_cases_and_issues(self):
        figures = self._figures()
        progress = figures["progress"]
        # in progress: O1, O2, O3, O5, O6, P3, N1; not O4 (cancelled), P1
        # (delivered, though late), P2 (closed), X1 (no channel)
        stages = {row["stage"]: row["count"] for row in progress["by_stage"]}
        self.assertEqual(
            stages,
            {
                "received": 0,
                "to_verify": 2,
                "needs_clarification": 0,
                "verified": 1,
                "assigned": 1,
                "picking": 1,
                "packed": 0,
                "shipped": 1,
                "exception": 1,
            },
        )
        self.assertEqual((progress["open"], progress["late"]), (7, 1))

        exceptions = figures["exceptions"]
        self.assertEqual(
            [(row["type"], row["count"], row["open"]) for row in exceptions["by_type"]],
            [
                ("stock_out", 2, 1),
                ("quality", 1, 0),
                ("preship", 1, 1),
                ("delivery_failed", 0, 0),
                ("delay", 1, 1),
            ],
        )
        self.assertEqual((exceptions["count"], exceptions["open"]), (5, 3))

        cases = figures["cases"]
        self.assertEqual(cases["count"], 4)
        self.assertEqual(
            {row["type"]: row["count"] for row in cases["by_type"] if row["count"]},
            {"complaint": 2, "inquiry": 1, "quality": 1},
        )
        # complaint and quality cases are complaints
        self.assertEqual(cases["complaints"], 3)
        # rated 4 and 2 this week (the return rated 1 is the week before)
        self.assertEqual(cases["rated"], 2)
        self.assertAlmostEqual(cases["satisfaction"], 3.0)
        # answered: 1st and 4th on time, 2nd late; the inquiry not due yet
        self.assertEqual((cases["answered_on_time"], cases["answer_due"]), (2, 3))
        self.assertAlmostEqual(cases["answered_on_time_rate"], 200.0 / 3)
        # solved: 1st on time, 2nd late; the others not due yet
        self.assertEqual((cases["solved_on_time"], cases["solution_due"]), (1, 2))
        self.assertAlmostEqual(cases["solved_on_time_rate"], 50.0)

        # exception types and root causes, most frequent first, exceptions
        # first on a tie, then in the order of their lists; logistics (1)
        # is sixth
        self.assertEqual(
            [
                (issue["kind"], issue["key"], issue["count"])
                for issue in figures["top_issues"]
            ],
            [
                ("exception", "stock_out", 2),
                ("root_cause", "product_quality", 2),
                ("exception", "quality", 1),
                ("exception", "preship", 1),
                ("exception", "delay", 1),
            ],
        )

    def test_month_and_empty_period(self):
        # a period of 3 days is compared with the 3 days before
        figures = self._figures(date_from=date(2026, 11, 9), date_to=date(2026, 11, 11))
        self.assertEqual(
            (figures["previous_date_from"], figures["previous_date_to"]),
            (date(2026, 11, 6), date(2026, 11, 8)),
        )
        # 9-11 Nov: O1, O4 (cancelled), O5; 6-8 Nov: P2
        self.assertEqual(
            (figures["orders"]["count"], figures["orders"]["previous_count"]), (3, 1)
        )
        self.assertAlmostEqual(figures["orders"]["amount"], 120.0)
        # nothing at all: no rate, no satisfaction, no issue, no error
        empty = self._figures(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
        self.assertEqual(empty["orders"]["count"], 0)
        self.assertIsNone(empty["orders"]["count_change"])
        self.assertIsNone(empty["cases"]["satisfaction"])
        self.assertIsNone(empty["cases"]["answered_on_time_rate"])
        self.assertEqual(empty["top_issues"], [])
        # the progress is the same whatever the period
        self.assertEqual(empty["progress"]["open"], 7)
        with self.assertRaisesRegex(UserError, "after its end"):
            self._figures(date_from=SUNDAY, date_to=MONDAY)

    def test_queries(self):
        report = self.env[REPORT_MODEL].with_user(self.manager)
        report._get_management_figures(MONDAY, SUNDAY, self.company)
        # a fixed number of queries, whatever the number of records
        with self.assertQueryCount(5):
            report._get_management_figures(MONDAY, SUNDAY, self.company)

    # ------------------------------------------------------------------
    # The PDF
    # ------------------------------------------------------------------

    def test_pdf(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.fail("wkhtmltopdf is missing or unusable: install Debian's.")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True, lang="en_US")
            ._render_qweb_pdf(REPORT, self.company.ids, data=self._data())
        )
        self.assertEqual(report_type, "pdf")
        text = self._pdf_text(pdf)
        for expected in (
            "Management Report",
            "MR Test Foods",
            "11/09/2026",
            "11/15/2026",
            # the week before
            "11/02/2026",
            # phone: 3 orders against 1, +200 %; amount +150 %
            "Phone3" + "1+200.0%",
            "+150.0%",
            # total amount: (210 - 110) / 110
            "+90.9%",
            # fax: -100 %; other: nothing before
            "-100.0%",
            "n/a",
            # satisfaction, deadlines kept
            "3.00/5",
            "2of3(66.7%)",
            "1of2(50.0%)",
            "Stock-out",
            "Product Quality",
        ):
            self.assertIn(squeeze(expected), text)

    def test_html(self):
        html, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(lang="en_US")
            ._render_qweb_html(REPORT, self.company.ids, data=self._data())
        )
        self.assertEqual(report_type, "html")
        html = html.decode()
        self.assertIn("MR Test Foods", html)
        self.assertIn("+200.0", html)
        self.assertIn("66.7", html)

    def test_web_route(self):
        """What the web client opens after Print: the period and the company
        in the options, no record ids."""
        url = f"/report/html/{REPORT}?" + urlencode(
            {"options": json.dumps(self._data())}
        )
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("+200.0", response.text)
        self.authenticate(self.users["processor"].login, self.users["processor"].login)
        with mute_logger("odoo.http"):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("+200.0", response.text)

    # ------------------------------------------------------------------
    # The periodic e-mail
    # ------------------------------------------------------------------

    def test_weekly_sent_once_per_period(self):
        self._configure("weekly", self.manager | self.manager_zh)
        companies = self.company.with_context(force_report_rendering=True)
        # Sunday and Tuesday: no week ended the day before
        for day in (date(2026, 11, 15), date(2026, 11, 17)):
            self.assertFalse(companies._food_send_due_management_reports(day))
        self.assertFalse(self._mails())
        # Monday: the week of 9 to 15 November, one e-mail per language
        monday = date(2026, 11, 16)
        self.assertEqual(
            companies._food_send_due_management_reports(monday), self.company
        )
        self.assertEqual(self.company.food_management_report_sent_until, SUNDAY)
        mails = self._mails()
        self.assertEqual(len(mails), 2)
        english, chinese = mails.sorted(lambda m: m.recipient_ids.lang)
        self.assertEqual(english.recipient_ids, self.manager.partner_id)
        self.assertEqual(chinese.recipient_ids, self.manager_zh.partner_id)
        self.assertIn("11/09/2026", english.subject)
        self.assertIn("Orders received", english.body_html)
        self.assertIn("2026年11月09日", chinese.subject)
        for mail in mails:
            self.assertEqual(len(mail.attachment_ids), 1)
            self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
            self.assertTrue(mail.attachment_ids.name.endswith(".pdf"))
        english_pdf = self._pdf_text(english.attachment_ids.raw)
        self.assertIn(squeeze("+200.0 %"), english_pdf)
        self.assertIn("Phone", english_pdf)
        # the Chinese manager's PDF is in Chinese
        chinese_pdf = self._pdf_text(chinese.attachment_ids.raw)
        self.assertIn("电话", chinese_pdf)
        self.assertIn("缺货", chinese_pdf)
        self.assertNotIn("Phone", chinese_pdf)
        # the job runs again the same day, and the day after: nothing more
        self.assertFalse(companies._food_send_due_management_reports(monday))
        self.assertFalse(
            companies._food_send_due_management_reports(date(2026, 11, 17))
        )
        self.assertEqual(self._mails(), mails)
        # the next Monday: the next week
        self._configure("weekly", self.manager)
        companies._food_send_due_management_reports(date(2026, 11, 23))
        new = self._mails() - mails
        self.assertEqual(len(new), 1)
        self.assertIn("11/16/2026", new.subject)
        self.assertEqual(
            self.company.food_management_report_sent_until, date(2026, 11, 22)
        )
        # the job did not run for two weeks: on Wednesday 9 December, the
        # two weeks that ended since, oldest first
        sent = self._mails()
        companies._food_send_due_management_reports(date(2026, 12, 9))
        new = (self._mails() - sent).sorted("id")
        self.assertEqual(len(new), 2)
        self.assertIn("11/23/2026", new[0].subject)
        self.assertIn("11/30/2026", new[1].subject)
        self.assertEqual(
            self.company.food_management_report_sent_until, date(2026, 12, 6)
        )

    def test_monthly(self):
        self._configure("monthly", self.manager)
        companies = self.company.with_context(force_report_rendering=True)
        # a Monday is no reason to send a monthly report
        self.assertFalse(
            companies._food_send_due_management_reports(date(2026, 11, 16))
        )
        companies._food_send_due_management_reports(date(2026, 12, 1))
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertIn("11/01/2026", mail.subject)
        self.assertIn("11/30/2026", mail.subject)
        self.assertEqual(
            self.company.food_management_report_sent_until, date(2026, 11, 30)
        )
        # the whole of November: 10 order-center orders, one cancelled
        self.assertIn("<strong>10</strong>", mail.body_html)
        self.assertTrue(mail.attachment_ids.raw.startswith(b"%PDF"))
        companies._food_send_due_management_reports(date(2026, 12, 1))
        self.assertEqual(self._mails(), mail)
        # the job missed 1 January: December is sent on the 3rd
        companies._food_send_due_management_reports(date(2027, 1, 3))
        december = self._mails() - mail
        self.assertEqual(len(december), 1)
        self.assertIn("12/01/2026", december.subject)
        self.assertIn("12/31/2026", december.subject)

    def test_cron_on_the_company_day(self):
        """The scheduled job, on the company's calendar (Shanghai): Monday
        01:00 in Shanghai is still Sunday in UTC."""
        self._configure("weekly", self.manager)
        other = self.env["res.company"].create({"name": "MR Other Foods"})
        Company = self.env["res.company"]
        with freeze_time("2026-11-17 02:00:00"):
            Company._cron_send_management_report()
        self.assertFalse(self._mails())
        with freeze_time("2026-11-15 17:00:00"):
            self.assertIs(Company._cron_send_management_report(), True)
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.manager.partner_id)
        self.assertEqual(len(mail.attachment_ids), 1)
        with freeze_time("2026-11-16 09:00:00"):
            Company._cron_send_management_report()
        self.assertEqual(self._mails(), mail)
        # a company without the report configured gets nothing
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "res.company"), ("res_id", "=", other.id)]
            )
        )
        self.assertFalse(other.food_management_report_sent_until)

    def test_recipients_are_managers(self):
        with self.assertRaisesRegex(ValidationError, "Only order center managers"):
            self._configure("weekly", self.manager | self.users["processor"])
        # a manager who lost the role is no longer sent the report
        self._configure("weekly", self.manager | self.manager_zh)
        self.manager_zh.groups_id = [
            Command.unlink(self.env.ref(ROLE_GROUPS["manager"]).id)
        ]
        self.company._food_send_due_management_reports(date(2026, 11, 16))
        self.assertEqual(self._mails().recipient_ids, self.manager.partner_id)

    # ------------------------------------------------------------------
    # The wizard and the roles
    # ------------------------------------------------------------------

    def test_wizard_print_and_send(self):
        # the manager works in the company of the report
        Wizard = self.env[WIZARD].with_user(self.manager).with_company(self.company)
        with freeze_time("2026-11-18 10:00:00"):
            form = Form(Wizard)
        # the last full week
        self.assertEqual((form.date_from, form.date_to), (MONDAY, SUNDAY))
        self.assertEqual(form.company_id, self.company)
        wizard = form.save()
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], REPORT)
        self.assertEqual(action["data"], self._data())
        result = wizard.action_send()
        self.assertEqual(result["tag"], "display_notification")
        mail = self._mails()
        self.assertEqual(mail.recipient_ids, self.manager.partner_id)
        # sending by hand is not the periodic sending
        self.assertFalse(self.company.food_management_report_sent_until)

    def test_wizard_dates_checked(self):
        form = Form(self.env[WIZARD].with_user(self.manager))
        form.date_from, form.date_to = SUNDAY, MONDAY
        # a clear message, and no wizard left (a request rolls back to here)
        with (
            self.assertRaisesRegex(UserError, "choose a start date on or before"),
            self.env.cr.savepoint(),
        ):
            form.save()
        self.assertFalse(self.env[WIZARD].search([("date_from", "=", SUNDAY)]))
        form.date_from = MONDAY
        self.assertTrue(form.save())

    def test_roles(self):
        for role in ("receiver", "processor", "inventory", "logistics", "aftersales"):
            user = self.users[role]
            with self.assertRaises(AccessError, msg=role):
                self.env[WIZARD].with_user(user).create(
                    {"date_from": MONDAY, "date_to": SUNDAY}
                )
            with self.assertRaises(AccessError, msg=role):
                self._figures(user)
            with self.assertRaises(AccessError, msg=role):
                self.env["ir.actions.report"].with_user(user)._render_qweb_html(
                    REPORT, [], data=self._data()
                )
        # the menu: Reporting > Management Report, for the managers only
        menu = self.env.ref("food_order_center.food_management_report_wizard_menu")
        for role, shown in (("manager", True), ("processor", False)):
            visible = (
                self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
            )
            self.assertEqual(menu.id in visible, shown, role)
        # the manager, for a company that is not theirs
        stranger = self.env["res.company"].create({"name": "MR Stranger Foods"})
        wizard = (
            self.env[WIZARD]
            .with_user(self.manager)
            .create({"date_from": MONDAY, "date_to": SUNDAY, "company_id": stranger.id})
        )
        with self.assertRaisesRegex(AccessError, "MR Stranger Foods"):
            wizard.action_print()
        with self.assertRaises(AccessError):
            self.env[REPORT_MODEL].with_user(self.manager)._get_management_figures(
                MONDAY, SUNDAY, stranger
            )

    def test_print_over_xmlrpc(self):
        """A manager creates the wizard and prints, over XML-RPC: the answer
        is the report action, without None."""
        rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr)
        )
        user = self.manager
        db = get_db_name()
        wizard_id = rpc.execute_kw(
            db,
            user.id,
            user.login,
            WIZARD,
            "create",
            [
                {
                    "date_from": "2026-11-09",
                    "date_to": "2026-11-15",
                    "company_id": self.company.id,
                }
            ],
        )
        action = rpc.execute_kw(
            db, user.id, user.login, WIZARD, "action_print", [[wizard_id]]
        )
        self.assertFalse(find_none(action), action)
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], REPORT)
        self.assertEqual(action["data"], self._data())
        with (
            self.assertRaisesRegex(xmlrpc.client.Fault, "choose a start date"),
            mute_logger("odoo.http"),
        ):
            rpc.execute_kw(
                db,
                user.id,
                user.login,
                WIZARD,
                "create",
                [{"date_from": "2026-11-15", "date_to": "2026-11-09"}],
            )
        self.assertEqual(
            rpc.execute_kw(
                db,
                user.id,
                user.login,
                WIZARD,
                "search_count",
                [[("date_from", "=", "2026-11-15")]],
            ),
            0,
        )
        processor = self.users["processor"]
        with (
            self.assertRaisesRegex(xmlrpc.client.Fault, "not allowed to create"),
            mute_logger("odoo.http"),
        ):
            rpc.execute_kw(
                db,
                processor.id,
                processor.login,
                WIZARD,
                "create",
                [{"date_from": "2026-11-09", "date_to": "2026-11-15"}],
            )

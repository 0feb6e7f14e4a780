# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Deadlines of the after-sales cases (R17): policy per case type and
priority in working hours, first response, closing rule, the job's states
and warnings."""

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import OrderCenterCommon

# Friday 27 November 2026, 15:00 UTC
FRIDAY_3PM = datetime(2026, 11, 27, 15, 0)


@tagged("post_install", "-at_install")
class TestCaseDeadlines(OrderCenterCommon):
    @contextmanager
    def at(self, moment):
        """Python's clock and the transaction's (create_date) at ``moment``."""
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        # working hours: Monday to Friday, 9:00-17:00 UTC
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Order center hours",
                "tz": "UTC",
                "attendance_ids": [
                    Command.clear(),
                    *(
                        Command.create(
                            {
                                "name": f"Day {day}",
                                "dayofweek": str(day),
                                "hour_from": 9,
                                "hour_to": 17,
                                "day_period": "morning",
                            }
                        )
                        for day in range(5)
                    ),
                ],
            }
        )
        company.resource_calendar_id = cls.calendar
        Policy = cls.env["food.case.deadline.policy"]
        Policy.search([("company_id", "=", company.id)]).unlink()
        Policy.create(
            [
                {"case_type": "complaint", "response_hours": 2, "resolution_hours": 16},
                {
                    "case_type": "complaint",
                    "priority": "3",
                    "response_hours": 1,
                    "resolution_hours": 8,
                },
            ]
        )
        cls.aftersales = cls.users["aftersales"]
        cls.manager = cls.users["manager"]
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.customer.email = "chef@shanghai-restaurant.example.com"

    def _case(self, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.aftersales)
            .create(
                {
                    "name": "Broken jar",
                    "description": "<p>The jar arrived broken.</p>",
                    "partner_id": self.customer.id,
                    "user_id": self.aftersales.id,
                    "food_case_type": "complaint",
                    **vals,
                }
            )
        )

    def test_deadlines_in_working_hours(self):
        with self.at(FRIDAY_3PM):
            case = self._case()
        # 2 h: Friday 17:00; 16 h: 2 on Friday, 8 on Monday, 6 on Tuesday
        self.assertEqual(case.food_response_deadline, datetime(2026, 11, 27, 17, 0))
        self.assertEqual(case.food_resolution_deadline, datetime(2026, 12, 1, 15, 0))
        self.assertEqual(case.food_deadline_state, "on_time")

    def test_priority_policy_and_cases_without_policy(self):
        with self.at(FRIDAY_3PM):
            urgent = self._case(priority="3")
            inquiry = self._case(food_case_type="inquiry")
            ticket = self.env["helpdesk.ticket"].create(
                {"name": "Not a case", "description": "<p>x</p>"}
            )
        self.assertEqual(urgent.food_response_deadline, datetime(2026, 11, 27, 16, 0))
        self.assertEqual(urgent.food_resolution_deadline, datetime(2026, 11, 30, 15, 0))
        for record in (inquiry, ticket):
            self.assertFalse(record.food_response_deadline)
            self.assertFalse(record.food_deadline_state)

    def test_first_response_is_the_first_message_to_the_customer(self):
        with self.at(FRIDAY_3PM):
            case = self._case()
        with self.at(datetime(2026, 11, 27, 15, 30)):
            # a note and the customer's own message do not answer
            case.with_user(self.aftersales).message_post(
                body="Checking with the warehouse", subtype_xmlid="mail.mt_note"
            )
            case.message_post(
                body="Any news?",
                author_id=self.customer.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(case.food_first_response_date)
            case.with_user(self.aftersales).message_post(
                body="We are sorry: a new jar leaves today.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
            )
        self.assertEqual(case.food_first_response_date, datetime(2026, 11, 27, 15, 30))
        with self.at(datetime(2026, 11, 27, 16, 0)):
            case.with_user(self.aftersales).message_post(
                body="It left.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(case.food_first_response_date, datetime(2026, 11, 27, 15, 30))

    def test_closing_needs_a_solution_and_a_confirmation_or_follow_up(self):
        # a complaint investigated to its cause (see test_complaints.py)
        case = self._case(
            food_root_cause="logistics", food_findings="Jar packed without padding."
        )
        as_staff = case.with_user(self.aftersales)
        with self.assertRaises(UserError):
            as_staff.stage_id = self.done
        as_staff.food_solution = "A new jar was delivered."
        with self.assertRaises(UserError):
            as_staff.stage_id = self.done
        self.assertFalse(case.closed)
        as_staff.action_food_record_followup()
        as_staff.stage_id = self.done
        self.assertTrue(case.closed)
        self.assertTrue(case.food_resolved_date)
        # a ticket without case type closes as helpdesk_mgmt lets it
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Not a case", "description": "<p>x</p>"}
        )
        ticket.stage_id = self.done
        self.assertTrue(ticket.closed)

    def test_job_warns_before_and_at_a_breach_once(self):
        with self.at(FRIDAY_3PM):
            case = self._case()
        todo = self.env.ref("mail.mail_activity_data_todo")

        def warnings(user):
            return case.activity_ids.filtered(
                lambda a: a.user_id == user and a.activity_type_id == todo
            )

        Ticket = self.env["helpdesk.ticket"]
        # 16:40: 20 minutes of the 2 hours left
        with self.at(datetime(2026, 11, 27, 16, 40)):
            Ticket._cron_food_case_deadlines()
            Ticket._cron_food_case_deadlines()
        self.assertEqual(case.food_deadline_state, "at_risk")
        self.assertEqual(len(warnings(self.aftersales)), 1)
        self.assertFalse(warnings(self.manager))
        # 17:30, no answer: breached, the managers are told once
        with self.at(datetime(2026, 11, 27, 17, 30)):
            Ticket._cron_food_case_deadlines()
            Ticket._cron_food_case_deadlines()
        self.assertEqual(case.food_deadline_state, "breached")
        self.assertEqual(len(warnings(self.manager)), 1)
        self.assertEqual(len(warnings(self.aftersales)), 1)
        # a late answer keeps the breach on record
        with self.at(datetime(2026, 11, 30, 10, 0)):
            case.with_user(self.aftersales).message_post(
                body="Sorry for the wait.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            Ticket._cron_food_case_deadlines()
        self.assertEqual(case.food_deadline_state, "breached")

    def test_deadline_fields_and_policies_are_guarded(self):
        case = self._case()
        for user in (self.aftersales, self.manager, self.env.user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                case.with_user(user).write({"food_response_deadline": FRIDAY_3PM})
        with self.assertRaises(AccessError):
            self._case(food_deadline_state="on_time")
        # context defaults (an action's, an RPC caller's) never reach them
        with self.at(FRIDAY_3PM):
            defaulted = (
                self.env["helpdesk.ticket"]
                .with_context(
                    default_food_response_deadline="2030-01-01 00:00:00",
                    default_food_deadline_state="breached",
                    default_food_first_response_date="2026-11-27 15:00:00",
                )
                .with_user(self.aftersales)
                .create(
                    {
                        "name": "Defaults",
                        "description": "<p>x</p>",
                        "food_case_type": "complaint",
                    }
                )
            )
        self.assertEqual(
            defaulted.food_response_deadline, datetime(2026, 11, 27, 17, 0)
        )
        self.assertEqual(defaulted.food_deadline_state, "on_time")
        self.assertFalse(defaulted.food_first_response_date)
        Policy = self.env["food.case.deadline.policy"]
        self.assertTrue(Policy.with_user(self.aftersales).search([]))
        with self.assertRaises(AccessError):
            Policy.with_user(self.aftersales).create(
                {"case_type": "inquiry", "response_hours": 1, "resolution_hours": 2}
            )
        Policy.with_user(self.manager).create(
            {"case_type": "inquiry", "response_hours": 1, "resolution_hours": 2}
        )

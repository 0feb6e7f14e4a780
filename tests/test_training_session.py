# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Training plan (R23): recording the attendance of a training session
renews the attendees' training records, which gate the assignment of
orders."""

from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestTrainingSession(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Session = cls.env["food.training.session"]
        cls.Qualification = cls.env["food.staff.qualification"]
        cls.receiver = cls.users["receiver"]
        cls.logistics = cls.users["logistics"]
        # the manager works in Shanghai: the day of a session is Shanghai's
        cls.manager.tz = "Asia/Shanghai"

    @classmethod
    def _qualification(cls, user, obtained, expiry, kind="food_safety"):
        return cls.Qualification.create(
            {
                "name": "Earlier training",
                "user_id": user.id,
                "qualification_type": kind,
                "date_obtained": obtained,
                "date_expiry": expiry,
            }
        )

    def _session(self, attendance, topic="food_safety", when=None, **vals):
        """A session planned by the manager; ``attendance``: {user: attended}."""
        return self.Session.with_user(self.manager).create(
            {
                "name": "Food safety refresher",
                "topic": topic,
                "date": when or fields.Datetime.now() - timedelta(days=1),
                "attendance_ids": [
                    Command.create({"user_id": user.id, "attended": attended})
                    for user, attended in attendance.items()
                ],
                **vals,
            }
        )

    def _records(self, user, kind="food_safety"):
        return self.Qualification.search(
            [("user_id", "=", user.id), ("qualification_type", "=", kind)]
        )

    # ---- renewal --------------------------------------------------------------

    def test_attendance_renews_training_records(self):
        expired = self._qualification(self.processor, "2025-02-01", "2026-02-01")
        longer = self._qualification(self.receiver, "2026-01-05", "2027-07-31")
        absent = self._qualification(self.logistics, "2025-01-01", "2026-01-01")
        # 18:00 UTC on 9 March is 2:00 on 10 March in Shanghai
        session = self._session(
            {
                self.processor: True,
                self.processor_2: True,
                self.receiver: True,
                self.logistics: False,
            },
            when=datetime(2026, 3, 9, 18, 0),
            validity_months=12,
        )
        self.assertEqual(session.attendee_ids, session.attendance_ids.user_id)
        self.assertEqual(session.attended_count, 3)
        session.with_user(self.manager).action_done()
        self.assertEqual(session.state, "done")
        # extended: obtained on the day of the session, valid 12 months
        self.assertEqual(
            (expired.date_obtained, expired.date_expiry),
            (date(2026, 3, 10), date(2027, 3, 10)),
        )
        self.assertEqual(self._records(self.processor), expired, "no new record")
        # created for who had none
        created = self._records(self.processor_2)
        self.assertEqual(len(created), 1)
        self.assertEqual(
            (created.name, created.date_obtained, created.date_expiry),
            ("Food safety refresher", date(2026, 3, 10), date(2027, 3, 10)),
        )
        self.assertEqual(created.company_id, session.company_id)
        # valid longer than the new training: not shortened
        self.assertEqual(
            (longer.date_obtained, longer.date_expiry),
            (date(2026, 3, 10), date(2027, 7, 31)),
        )
        # absent: unchanged
        self.assertEqual(
            (absent.date_obtained, absent.date_expiry),
            (date(2025, 1, 1), date(2026, 1, 1)),
        )
        notes = session.message_ids.filtered(
            lambda m: "Attendance recorded" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn(self.processor_2.name, notes.body)

    def test_topic_renews_its_own_type_only(self):
        food_safety = self._qualification(self.processor, "2025-02-01", "2026-02-01")
        processing = self._qualification(
            self.processor, "2025-02-01", "2026-02-01", kind="order_processing"
        )
        session = self._session(
            {self.processor: True},
            topic="order_processing",
            when=datetime(2026, 6, 1, 2, 0),
            validity_months=24,
        )
        session.with_user(self.manager).action_done()
        self.assertEqual(
            (processing.date_obtained, processing.date_expiry),
            (date(2026, 6, 1), date(2028, 6, 1)),
        )
        self.assertEqual(food_safety.date_expiry, date(2026, 2, 1))

    def test_two_sessions_at_once(self):
        """Recording several sessions: one renewal per person and type, from
        the latest session."""
        first = self._session({self.processor_2: True}, when=datetime(2026, 3, 2, 2))
        second = self._session(
            {self.processor_2: True}, when=datetime(2026, 5, 4, 2), validity_months=6
        )
        (first | second).with_user(self.manager).action_done()
        record = self._records(self.processor_2)
        self.assertEqual(len(record), 1)
        # 2 March + 12 months is later than 4 May + 6 months: not shortened
        self.assertEqual(
            (record.date_obtained, record.date_expiry),
            (date(2026, 5, 4), date(2027, 3, 2)),
        )

    def test_renewal_answers_the_expiry_reminder(self):
        today = fields.Date.context_today(self.Qualification)
        record = self._qualification(
            self.processor, today - timedelta(days=300), today + timedelta(days=10)
        )
        self.Qualification._cron_remind_expiry()
        self.assertEqual(len(record.activity_ids), 1)
        self._session({self.processor: True}).with_user(self.manager).action_done()
        self.assertFalse(record.activity_ids)
        self.assertFalse(record.reminder_sent, "reminded again before the new expiry")

    def test_expired_processor_assignable_after_training(self):
        company = self.env.company
        company.write({"food_auto_assign": True, "food_duplicate_window_hours": 0})
        self.env["food.assignment.rule"].search([]).active = False
        today = fields.Date.context_today(self.Qualification)
        self._qualification(
            self.processor, today - timedelta(days=400), today - timedelta(days=5)
        )
        profile = self.env["food.processor"].create(
            {"user_id": self.processor.id, "experience_level": "senior"}
        )
        self.env["food.assignment.rule"].create(
            {"name": "Everything", "processor_ids": [Command.set(profile.ids)]}
        )
        self.assertFalse(profile.qualified)
        before = self._create_order(intake_channel="other")
        self.assertFalse(before.processor_id, "expired training: no order")
        self._session({self.processor: True}).with_user(self.manager).action_done()
        profile.invalidate_recordset(["qualified"])
        self.assertTrue(profile.qualified)
        after = self._create_order(lines=[(self.dumplings, 1)], intake_channel="other")
        self.assertEqual(after.processor_id, self.processor)

    # ---- workflow -------------------------------------------------------------

    def test_done_session_is_frozen(self):
        session = self._session({self.processor: True, self.processor_2: False})
        session.with_user(self.manager).action_done()
        session = session.with_user(self.manager)
        line = session.attendance_ids.filtered(lambda a: not a.attended)
        for change in (
            lambda: session.write({"name": "Renamed"}),
            lambda: line.write({"attended": True}),
            lambda: session.write(
                {"attendance_ids": [Command.create({"user_id": self.receiver.id})]}
            ),
            lambda: line.unlink(),
            lambda: session.unlink(),
        ):
            with self.assertRaisesRegex(UserError, "can no longer be changed"):
                change()
        for action in (session.action_done, session.action_cancel):
            with self.assertRaises(UserError):
                action()
        self.assertEqual(len(self._records(self.processor_2)), 0)
        # the chatter still works on a done session
        session.message_post(body="Certificates handed out.")

    def test_state_written_by_the_actions_only(self):
        session = self._session({self.processor: True})
        with self.assertRaises(AccessError):
            session.with_user(self.manager).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.Session.with_user(self.manager).create(
                {"name": "Faked", "state": "done"}
            )
        # a context default does not reach it either
        defaulted = (
            self.Session.with_user(self.manager)
            .with_context(default_state="done")
            .create({"name": "Defaulted"})
        )
        self.assertEqual(defaulted.state, "planned")
        self.assertFalse(self._records(self.processor))

    def test_cancel_and_plan_again(self):
        session = self._session({self.processor: True}).with_user(self.manager)
        session.action_cancel()
        self.assertEqual(session.state, "cancelled")
        with self.assertRaises(UserError):
            session.action_done()
        session.action_reset_planned()
        self.assertEqual(session.state, "planned")

    def test_attendance_recorded_after_the_session_only(self):
        future = self._session(
            {self.processor: True}, when=fields.Datetime.now() + timedelta(hours=3)
        )
        with self.assertRaisesRegex(UserError, "once the session took place"):
            future.with_user(self.manager).action_done()
        empty = self._session({})
        with self.assertRaisesRegex(UserError, "Add the attendees"):
            empty.with_user(self.manager).action_done()
        self.assertEqual((future | empty).mapped("state"), ["planned", "planned"])
        self.assertFalse(self._records(self.processor))

    # ---- access ---------------------------------------------------------------

    def test_staff_read_their_sessions_only(self):
        mine = self._session({self.processor: True, self.processor_2: False})
        other = self._session({self.processor_2: True})
        Session = self.Session.with_user(self.processor)
        self.assertEqual(Session.search([]), mine)
        mine.with_user(self.processor).read(["name", "date", "state"])
        # who attends their sessions, but not the scores: the managers'
        Attendance = self.env["food.training.attendance"].with_user(self.processor)
        self.assertEqual(Attendance.search([]), mine.attendance_ids)
        self.env.invalidate_all()
        [values] = mine.with_user(self.processor).read(["attendance_ids"])
        self.assertEqual(values["attendance_ids"], mine.attendance_ids.ids)
        mine.attendance_ids.with_user(self.processor).read(["user_id", "attended"])
        with self.assertRaises(AccessError):
            mine.attendance_ids.with_user(self.processor).read(["score"])
        with self.assertRaises(AccessError):
            other.attendance_ids.with_user(self.processor).read(["user_id"])
        with self.assertRaises(AccessError):
            other.with_user(self.processor).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.processor).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            mine.attendance_ids.with_user(self.processor).write({"attended": True})
        with self.assertRaises(AccessError):
            mine.with_user(self.processor).action_done()
        self.assertEqual(mine.state, "planned")

    def test_only_managers_plan_sessions(self):
        for role in ("processor", "receiver", "logistics", "aftersales", "inventory"):
            with self.assertRaises(AccessError, msg=role):
                self.Session.with_user(self.users[role]).create({"name": "Mine"})
        outsider = new_test_user(
            self.env, login="foc_training_outsider", groups="base.group_user"
        )
        self._session({outsider: True})
        with self.assertRaises(AccessError):
            self.Session.with_user(outsider).search([])
        # the manager plans, reads and records every session
        session = self._session({self.processor: True})
        self.assertIn(session, self.Session.with_user(self.manager).search([]))

    def test_menu_for_managers(self):
        menu = self.env.ref("food_order_center.food_training_session_menu")
        parents = {int(menu_id) for menu_id in menu.parent_path.split("/") if menu_id}
        for role, shown in (
            ("manager", True),
            ("processor", False),
            ("logistics", False),
        ):
            visible = (
                self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
            )
            self.assertEqual(parents <= visible, shown, role)

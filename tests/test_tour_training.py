# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestTrainingSessionTour(OrderCenterTourCommon):
    """The order center manager plans a training session, invites a
    processor, marks them attended and records the attendance
    (static/tests/tours/food_training_session_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._create_tour_user("tour_training_manager", "manager")
        cls.trainee = cls._create_tour_user("tour_training_trainee", "processor")

    def test_manager_records_a_session(self):
        self.start_tour(
            "/odoo",
            "food_order_center_training_session",
            login="tour_training_manager",
        )
        session = self.env["food.training.session"].search(
            [("name", "=", "Tour food safety refresher")]
        )
        self.assertEqual(len(session), 1)
        self.assertEqual(session.state, "done")
        self.assertEqual(session.topic, "food_safety")
        self.assertEqual(session.attendance_ids.user_id, self.trainee)
        self.assertTrue(session.attendance_ids.attended)
        record = self.env["food.staff.qualification"].search(
            [
                ("user_id", "=", self.trainee.id),
                ("qualification_type", "=", "food_safety"),
            ]
        )
        self.assertEqual(len(record), 1)
        day = fields.Date.context_today(
            session.with_user(self.manager), timestamp=session.date
        )
        self.assertEqual(record.date_obtained, day)
        self.assertEqual(record.date_expiry, day + relativedelta(months=12))
        self.assertEqual(record.state, "valid")

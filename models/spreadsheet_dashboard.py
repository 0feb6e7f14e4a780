# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SpreadsheetDashboard(models.Model):
    _inherit = "spreadsheet.dashboard"

    def get_readonly_dashboard(self):
        # the Dashboards app loads a dashboard by id; the core method reads
        # its data through the attachment, which hides it from the users
        # outside the dashboard's groups, and fails on that (a TypeError):
        # tell them it is not theirs to read (the Order Center dashboard is
        # the managers')
        self.check_access("read")
        return super().get_readonly_dashboard()

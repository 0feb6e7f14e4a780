# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class FoodCustomerPortal(CustomerPortal):
    @http.route(
        "/my/orders/<int:order_id>/report_problem",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def food_report_problem(
        self, order_id, access_token=None, case_type=None, description=None, **kw
    ):
        """The customer reports a problem with an order from its portal page:
        an after-sales case (channel portal) on the order."""
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        case, error = order_sudo._food_portal_report_problem(case_type, description)
        params = {"food_case": case.number} if case else {"food_case_error": error}
        return request.redirect(
            order_sudo.get_portal_url(
                query_string=f"&{url_encode(params)}", anchor="food_report_problem"
            )
        )

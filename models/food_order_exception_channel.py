# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, models


class FoodOrderException(models.Model):
    """Every exception of an order needs another department (the warehouse
    for a stock-out or a quality hold, logistics for a failed delivery,
    after-sales for a delay): it is posted in the order center's channel,
    with a link to the order (9.1)."""

    _inherit = "food.order.exception"

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        exceptions._food_post_to_channel()
        return exceptions

    def _food_post_to_channel(self):
        channel = self.env.ref(
            "food_order_center.discuss_channel_order_center", raise_if_not_found=False
        )
        if not channel or not self:
            return
        # whoever opens the exception (a processor, the carriers' API, a
        # job) may not be a member of the channel
        channel = channel.sudo()
        for exception in self:
            channel.message_post(
                body=exception._food_channel_body(),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.env.user.partner_id.id,
            )

    def _food_channel_body(self):
        """The post, in the language of the order center's staff."""
        self.ensure_one()
        order = self.order_id
        exception = self.with_context(lang=order.company_id.partner_id.lang)
        types = dict(
            exception._fields["exception_type"]._description_selection(exception.env)
        )
        body = Markup(
            '<p><b>%s</b>: <a href="/odoo/sale.order/%s" data-oe-model="sale.order" '
            'data-oe-id="%s">%s</a>'
        ) % (types[self.exception_type], order.id, order.id, order.name)
        if self.product_id:
            body += Markup(" · %s") % self.product_id.display_name
        body += Markup("</p>")
        if self.reason:
            body += Markup("<p>%s</p>") % self.reason
        return body

/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The order processor completes the pre-shipment check of a packed delivery
// and ships it. Data comes from tests/test_tour_preship.py. The test
// database may show the web client in Chinese: no step matches English text.

import {registry} from "@web/core/registry";

const FORM = ".o_action_manager .o_form_view";

registry.category("web_tour.tours").add("food_order_center_preship", {
    steps: () => [
        {
            content: "The delivery waits for its pre-shipment check",
            trigger: `${FORM} .o_notebook a[name=food_preship]`,
            run: "click",
        },
        {
            content: "Its check is still to do",
            trigger: `${FORM} .o_field_widget[name=food_preship_state] .badge.text-bg-info`,
        },
        {
            content: "Run the pre-shipment check",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_food_preship_check]`,
            run: "click",
        },
        {
            content: "The goods can ship",
            trigger: ".o_notification:has(.o_notification_bar.bg-success)",
        },
        {
            content: "The check passed",
            trigger: `${FORM} .o_field_widget[name=food_preship_state] .badge.text-bg-success`,
        },
        {
            content: "Who checked is recorded",
            trigger: `${FORM} .o_field_widget[name=food_preship_checked_by_id]:contains(Tour Preship Processor)`,
        },
        {
            content: "Validate the delivery",
            trigger: `${FORM} .o_statusbar_buttons button[name=button_validate]:not(.d-none)`,
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: `${FORM} .o_statusbar_status button[data-value=done].o_arrow_button_current`,
        },
    ],
});

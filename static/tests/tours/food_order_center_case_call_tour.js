/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The after-sales staff takes a call on the hotline: finds the order by its
// number, records the complaint and opens the new case. Data comes from
// tests/test_tour_case_call.py. The test database may show the web client
// in Chinese: no step matches English text.

import {registry} from "@web/core/registry";

const ORDER = "SO-TOUR-CASE-01";
const CUSTOMER = "Tour Case Canteen";
const DESCRIPTION = "饺子解冻后破皮，客户要求换货";

const WIZARD = ".modal .o_form_view";
// the case form of the main action (not a dialog)
const FORM = "body:not(:has(.modal)) .o_action_manager .o_form_view";

registry.category("web_tour.tours").add("food_order_center_case_call", {
    steps: () => [
        {
            content: "The customer gives the order number",
            trigger: `${WIZARD} .o_field_widget[name=order_ref] input`,
            run: `edit ${ORDER} && press Tab`,
        },
        {
            content: "The order and its customer are found",
            trigger: `${WIZARD} .o_field_widget[name=order_id] input:value(${ORDER})`,
        },
        {trigger: `${WIZARD} .o_field_widget[name=partner_id] input:value(${CUSTOMER})`},
        {
            content: "It is a complaint",
            trigger: `${WIZARD} .o_field_widget[name=case_type] select`,
            run: 'select "complaint"',
        },
        {
            content: "Write down what the customer says",
            trigger: `${WIZARD} .o_field_widget[name=description] textarea`,
            run: `edit ${DESCRIPTION}`,
        },
        {
            content: "Create the case",
            trigger: ".modal .modal-footer button[name=action_create_case]",
            run: "click",
        },
        {
            content: "The new case opens on the order",
            trigger: `${FORM} .o_field_widget[name=food_order_id] input:value(${ORDER})`,
        },
        {trigger: `${FORM} .o_field_widget[name=partner_id] input:value(${CUSTOMER})`},
        {trigger: `${FORM} .o_field_widget[name=food_case_type] select`},
    ],
});

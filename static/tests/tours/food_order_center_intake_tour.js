/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// Intake tours of the order receiver: a phone order with its read-back, and
// the clarification of an incomplete order. Data comes from
// tests/test_tour_intake.py.

import {registry} from "@web/core/registry";

const APP = '.o_app[data-menu-xmlid="food_order_center.menu_order_center_root"]';
const ORDERS_MENU = '[data-menu-xmlid="food_order_center.menu_order_center_orders"]';
const PHONE_ORDER_MENU = '[data-menu-xmlid="food_order_center.food_phone_order_wizard_menu"]';

// Community's apps menu is a dropdown of the navbar
const openApp = (content) => [
    {content, trigger: ".o_navbar_apps_menu button", run: "click"},
    {trigger: `.dropdown-menu ${APP}`, run: "click"},
];

const CALLER = "Tour Caller Li";
const CALLER_PHONE = "+86 139 1234 5678";
const PRODUCT = "Tour Intake Spring Rolls";
const SPEC = "500g/box";
const CLARIFY_CUSTOMER = "Tour Clarify Restaurant";
const CALLER_STREET = "南山路 8 号";
const STREET = "文三路 90 号";

// the order form of the main action (not a dialog)
const FORM = ".o_action_manager .o_form_view";
const BADGE = ".o_field_widget[name=verification_state] .badge";

registry.category("web_tour.tours").add("food_order_center_phone_order", {
    steps: () => [
        ...openApp("Open the Order Center app"),
        {
            content: "Open Orders > Phone Order",
            trigger: `.o_menu_sections ${ORDERS_MENU}`,
            run: "click",
        },
        {trigger: `.dropdown-menu ${PHONE_ORDER_MENU}`, run: "click"},
        {
            content: "Type the caller's number",
            trigger: ".modal .o_field_widget[name=phone] input",
            run: `edit ${CALLER_PHONE} && press Tab`,
        },
        {
            content: "The caller is found by the number, with the address",
            trigger: `.modal .o_field_widget[name=partner_id] input:value(${CALLER})`,
        },
        {trigger: `.modal .o_field_widget[name=customer_name] input:value(${CALLER})`},
        {trigger: `.modal .o_field_widget[name=street] input:value(${CALLER_STREET})`},
        {
            content: "Add the product the customer orders",
            trigger: ".modal .o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour Intake Spring",
        },
        {
            trigger: `.o-autocomplete--dropdown-item > a:contains(${PRODUCT})`,
            run: "click",
        },
        {
            content: "with the specification asked by the customer",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=spec] input",
            run: `edit ${SPEC}`,
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=quantity] input",
            run: "edit 3",
        },
        {
            content: "Read the order back to the customer",
            trigger: ".modal .modal-footer button[name=action_readback]",
            run: "click",
        },
        {
            content: "The read-back lists the customer and the products",
            trigger: `.modal .o_field_widget[name=readback_text]:contains(${CALLER})`,
        },
        {trigger: `.modal .o_field_widget[name=readback_text]:contains(${CALLER_PHONE})`},
        {trigger: `.modal .o_field_widget[name=readback_text]:contains(${PRODUCT})`},
        {trigger: `.modal .o_field_widget[name=readback_text]:contains(${SPEC})`},
        {
            content: "The customer confirmed: create the order",
            trigger: ".modal .modal-footer button[name=action_create_confirmed]",
            run: "click",
        },
        {
            content: "The new order opens, read back and verified",
            trigger: `body:not(:has(.modal)) ${FORM} .o_field_widget[name=partner_id] input:value(${CALLER})`,
        },
        {trigger: `${FORM} .o_field_widget[name=phone_confirmed_date] span:not(:empty)`},
        {
            trigger: `${FORM} ${BADGE}.text-bg-success`,
        },
        {
            content: "Nothing is left to verify",
            trigger: `${FORM}:not(:has(.o_field_widget[name=verification_problem_ids]))`,
        },
        {
            content: "The read-back button is no longer offered",
            trigger: `${FORM} .o_form_statusbar:not(:has(button[name=action_record_phone_confirmation]))`,
        },
    ],
});

registry.category("web_tour.tours").add("food_order_center_clarification", {
    steps: () => [
        ...openApp("Open the Order Center app"),
        {content: "Switch to the list", trigger: "button.o_switch_view.o_list", run: "click"},
        {trigger: ".o_list_view .o_data_row"},
        {
            content: "Look for the customer's orders",
            trigger: ".o_searchview_input",
            run: `edit ${CLARIFY_CUSTOMER}`,
        },
        {
            // the first many2one field of the search view is the customer
            trigger: ".o_searchview_autocomplete .o_menu_item:has(.o_expand)",
            run: "click",
        },
        {trigger: `.o_searchview_facet .o_facet_value:contains(${CLARIFY_CUSTOMER})`},
        {
            content: "The order needs a clarification: open it",
            trigger: `.o_list_view .o_data_row:has(td[name=verification_state] .badge.text-bg-warning) td[name=partner_id]:contains(${CLARIFY_CUSTOMER})`,
            run: "click",
        },
        {trigger: `${FORM} ${BADGE}.text-bg-warning`},
        {
            content: "The problems for the customer are listed",
            trigger: `${FORM} .o_field_widget[name=verification_problem_ids] .o_data_row.text-warning`,
        },
        {trigger: `${FORM} .o_form_statusbar button[name=action_send_clarification_request]`},
        {
            content: "Open the customer to complete the delivery address",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(${CLARIFY_CUSTOMER})`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name=partner_id] .o_external_button`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name=name] input:value(${CLARIFY_CUSTOMER})`,
        },
        {
            content: "The customer gave the street",
            trigger: `${FORM} .o_field_widget[name=street] input`,
            run: `edit ${STREET}`,
        },
        {trigger: `${FORM} .o_form_button_save`, run: "click"},
        {trigger: `${FORM} .o_form_renderer.o_form_saved`},
        {
            content: "Back to the order",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {trigger: `${FORM} .o_field_widget[name=partner_id] input:value(${CLARIFY_CUSTOMER})`},
        {
            content: "Verify the order again",
            trigger: `${FORM} .o_form_statusbar button[name=action_verify]`,
            run: "click",
        },
        {
            content: "The order is now verified, without problems",
            trigger: `${FORM} ${BADGE}.text-bg-success`,
        },
        {trigger: `${FORM}:not(:has(.o_field_widget[name=verification_problem_ids]))`},
        {trigger: `${FORM} .o_form_statusbar:not(:has(button[name=action_send_clarification_request]))`},
    ],
});

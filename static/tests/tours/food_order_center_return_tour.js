/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// A return from the hotline to the refund (R18), in three hands: the
// after-sales staff takes the call and requests the return, the inventory
// manager inspects the goods received, the after-sales staff refunds them.
// Data comes from tests/test_tour_return.py. The test database may show the
// web client in Chinese: no step matches English text.

import {registry} from "@web/core/registry";

const ORDER = "SO-TOUR-RETURN-01";
const PRODUCT = "Tour Return Noodles";
const WIZARD = ".modal .o_form_view";
// the form of the main action (not a dialog)
const FORM = "body:not(:has(.modal)) .o_action_manager .o_form_view";

registry.category("web_tour.tours").add("food_order_center_return_request", {
    steps: () => [
        {
            content: "The customer gives the order number",
            trigger: `${WIZARD} .o_field_widget[name=order_ref] input`,
            run: `edit ${ORDER} && press Tab`,
        },
        {trigger: `${WIZARD} .o_field_widget[name=order_id] input:value(${ORDER})`},
        {
            content: "The customer wants to send goods back",
            trigger: `${WIZARD} .o_field_widget[name=case_type] select`,
            run: 'select "return"',
        },
        {
            trigger: `${WIZARD} .o_field_widget[name=description] textarea`,
            run: "edit 客户收到的面条不是订购的品种，要求退货",
        },
        {
            content: "Which product",
            trigger: `${WIZARD} .o_field_widget[name=line_ids] .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            trigger: `${WIZARD} .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=product_id] input`,
            run: `edit ${PRODUCT}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${PRODUCT})`,
            run: "click",
        },
        {
            trigger: `${WIZARD} .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=quantity] input`,
            run: "edit 2",
        },
        {
            content: "Create the case",
            trigger: ".modal .modal-footer button[name=action_create_case]",
            run: "click",
        },
        {
            content: "Request the return from the case",
            trigger: `${FORM} .o_form_statusbar button[name=action_food_create_returns]`,
            run: "click",
        },
        {
            content: "The return opens on the order's delivery",
            trigger: `${FORM} .o_field_widget[name=food_case_id] input`,
        },
        {
            trigger: `${FORM} .o_field_widget[name=food_return_reason] select`,
            run: 'select "wrong_item"',
        },
        {
            content: "Accept it: within the return policy",
            trigger: `${FORM} .o_form_statusbar button[name=action_confirm]`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_statusbar_status button[data-value=confirmed].o_arrow_button_current`,
        },
    ],
});

registry.category("web_tour.tours").add("food_order_center_return_inspection", {
    steps: () => [
        {
            content: "The goods received wait for their inspection",
            trigger: `.o_list_view .o_data_row .o_data_cell:contains(${PRODUCT})`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name=result] select`,
            run: 'select "resaleable"',
        },
        {
            trigger: `${FORM} .o_field_widget[name=disposition] select`,
            run: 'select "stock"',
        },
        {
            trigger: `${FORM} .o_field_widget[name=notes] textarea`,
            run: "edit 包装完好，未开封",
        },
        {
            content: "Done: the goods go back to stock",
            trigger: `${FORM} .o_form_statusbar button[name=action_done]`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_statusbar_status button[data-value=done].o_arrow_button_current`,
        },
    ],
});

registry.category("web_tour.tours").add("food_order_center_return_refund", {
    steps: () => [
        {
            content: "Inspected: the return can be refunded",
            trigger: `${FORM} .o_form_statusbar button[name=action_refund]`,
            run: "click",
        },
        {
            content: "The credit note is made",
            trigger: `${FORM} .o_statusbar_status button[data-value=refunded].o_arrow_button_current`,
        },
    ],
});

/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The logistics coordinator hands a checked delivery over to the carrier
// with its tracking number, then prints the delivery note and the packing
// list, in Chinese (the coordinator's language: the print menu lists the
// documents by their translated names). Data comes from
// tests/test_tour_handover.py.

import {registry} from "@web/core/registry";

const FORM = ".o_action_manager .o_form_view";

function printReport(reportName) {
    return [
        {
            content: "Open the actions menu",
            trigger: `${FORM} .o_cp_action_menus button:has(i.fa-cog)`,
            run: "click",
        },
        {
            content: "Open the print menu",
            trigger: ".o-dropdown--menu button:has(i.fa-print)",
            run: "click",
        },
        {
            content: `Print ${reportName}`,
            trigger: `.o-dropdown--menu .o_menu_item:contains(${reportName})`,
            run: "click",
        },
        {
            content: "The document is rendered without an error",
            trigger: `body:not(:has(.o_error_dialog)) ${FORM}`,
        },
    ];
}

registry.category("web_tour.tours").add("food_order_center_handover", {
    steps: () => [
        {
            content: "Open the shipping information",
            trigger: `${FORM} .o_notebook a[name=extra]`,
            run: "click",
        },
        {
            content: "Enter the carrier's tracking number",
            trigger: `${FORM} .o_field_widget[name=carrier_tracking_ref] input`,
            run: "edit SF7788990011",
        },
        {
            content: "Hand the delivery over to the carrier",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_food_handover]`,
            run: "click",
        },
        {
            content: "Confirm the hand-over",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The hand-over is recorded: the button is gone",
            trigger: `${FORM} .o_statusbar_buttons:not(:has(button[name=action_food_handover]))`,
        },
        {
            content: "Open the transport page",
            trigger: `${FORM} .o_notebook a[name=food_transport]`,
            run: "click",
        },
        {
            content: "The tracking number links to the carrier's page",
            trigger: `${FORM} .o_field_widget[name=food_tracking_links] a[href*=SF7788990011]`,
        },
        {
            content: "Who handed over is recorded",
            trigger: `${FORM} .o_field_widget[name=food_handover_by_id]:contains(Tour Handover Logistics)`,
        },
        // the delivery note, then the packing list
        ...printReport("送货单"),
        ...printReport("装箱单"),
    ],
});

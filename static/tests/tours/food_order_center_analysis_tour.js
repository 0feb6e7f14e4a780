/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The order center manager reads the analysis: Reporting > Order Analysis
// (pivot, a drill-down to the orders of a cell, the graph), Buying Behaviour
// and Product Analysis. Data comes from tests/test_tour_analysis.py. The web
// client may be in Chinese: no step matches English text.

import {registry} from "@web/core/registry";

const APP = '.o_app[data-menu-xmlid="food_order_center.menu_order_center_root"]';
const REPORTING = '[data-menu-xmlid="food_order_center.menu_order_center_reporting"]';
const ORDERS = '[data-menu-xmlid="food_order_center.sale_order_menu_analysis"]';
const BUYING = '[data-menu-xmlid="food_order_center.food_order_analysis_menu_buying"]';
const PRODUCTS = '[data-menu-xmlid="food_order_center.food_order_line_analysis_menu"]';
const PRODUCT = "Tour Analysis Dumplings";

function openReport(menu) {
    return [
        {trigger: `.o_menu_sections ${REPORTING}`, run: "click"},
        {trigger: `.dropdown-menu ${menu}`, run: "click"},
    ];
}

registry.category("web_tour.tours").add("food_order_center_analysis", {
    steps: () => [
        {
            content: "Open the Order Center app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {trigger: `.dropdown-menu ${APP}`, run: "click"},
        ...openReport(ORDERS),
        {
            content: "The pivot shows this month's orders by channel",
            trigger: ".o_pivot .o_pivot_cell_value:not(:empty)",
        },
        {
            content: "Open the orders behind the grand total",
            trigger: ".o_pivot tbody tr:first-child .o_pivot_cell_value:last",
            run: "click",
        },
        {
            content: "They are listed, with the tour's order",
            trigger: ".o_list_view .o_data_row td[name=order_id]:contains(TOUR-OA)",
        },
        {
            content: "Back to the pivot",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {trigger: ".o_graph_renderer canvas"},
        ...openReport(BUYING),
        {
            content: "Buying behaviour: customers, new customers, basket",
            trigger: ".o_pivot .o_pivot_measure_row:nth-child(4)",
        },
        ...openReport(PRODUCTS),
        {
            content: "Product analysis: the tour's product is there",
            trigger: `.o_pivot .o_pivot_header_cell_closed:contains(${PRODUCT}), .o_pivot th:contains(${PRODUCT})`,
        },
    ],
});

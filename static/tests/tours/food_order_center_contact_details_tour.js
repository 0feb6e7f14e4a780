/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The inventory manager opens an order and its customer: the customer's
// name, address and messages are there, the phone number and the e-mail
// address nowhere on the page (chatter included). Data comes from
// tests/test_tour_contact_details.py. No step matches translated text.

import {registry} from "@web/core/registry";

const FORM = ".o_action_manager .o_form_view";
const CUSTOMER = "Tour Contact Canteen";
const PHONE = "0013 8277";
const EMAIL = "tour.contact.canteen@example.com";
const OLD_EMAIL = "tour.contact.old@example.com";

function assertNoContactDetails() {
    const text = document.body.innerText;
    const values = [...document.querySelectorAll("input, textarea")].map(
        (input) => input.value
    );
    for (const detail of [PHONE, EMAIL, OLD_EMAIL]) {
        if (text.includes(detail) || values.some((value) => value.includes(detail))) {
            throw new Error(`The customer's ${detail} is shown to the inventory manager`);
        }
    }
}

registry.category("web_tour.tours").add("food_order_center_contact_details_order", {
    steps: () => [
        {
            content: "The order's customer is shown",
            trigger: `${FORM} .o_field_widget[name=partner_id]:contains(${CUSTOMER})`,
        },
        {
            content: "Go down to the chatter",
            trigger: ".o-mail-Chatter",
            run() {
                this.anchor.scrollIntoView();
            },
        },
        {
            content: "The customer's e-mail is in the chatter, by name; phone and e-mail nowhere",
            trigger: ".o-mail-Message:contains(Tour Contact Canteen)",
            run: assertNoContactDetails,
        },
    ],
});

registry.category("web_tour.tours").add("food_order_center_contact_details_customer", {
    steps: () => [
        {
            content: "The customer's address is shown",
            trigger: `${FORM} .o_field_widget[name=street] input:value(TOUR-CONTACT-STREET)`,
        },
        {
            content: "The changes of the customer are in the chatter",
            trigger: ".o-mail-Message",
        },
        {
            content: "Its phone and e-mail are empty, their changes not shown",
            trigger: `${FORM} .o_field_widget[name=phone]`,
            run: assertNoContactDetails,
        },
    ],
});

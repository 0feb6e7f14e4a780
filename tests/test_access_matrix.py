# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix (R21): what each role may do on each model of the order
center, generated from the models, the access rights and the record rules,
is the table of the README, and the roles get what the table says."""

import re
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import create_role_users

README = Path(__file__).resolve().parents[1] / "README.md"
START = "<!-- access-matrix:start -->"
END = "<!-- access-matrix:end -->"
OPERATIONS = (("read", "r"), ("create", "c"), ("write", "w"), ("unlink", "d"))


def order_center_models(env):
    """The models the addon defines or extends, that hold records (no
    wizards, mixins or report renderers)."""
    names = env["ir.model.data"].search(
        [("module", "=", "food_order_center"), ("model", "=", "ir.model")]
    )
    models = env["ir.model"].browse(names.mapped("res_id")).mapped("model")
    return sorted(
        name
        for name in models
        if not env[name]._abstract
        and not env[name]._transient
        and not name.startswith("report.")
    )


def is_limited(user, model, operation):
    """Whether the record rules of the user's groups leave out some records
    of ``model`` for ``operation``: the rules of a user's groups add up, so
    one rule that lets everything through (``[(1, '=', 1)]``) lifts the
    others; the rules of no group (multi-company) apply to everyone and are
    left out."""
    Rule = user.env["ir.rule"].with_user(user)
    # which rules apply is the user's; reading them is not
    rules = Rule._get_rules(model, mode=operation).sudo().filtered("groups")
    context = Rule._eval_context()
    return bool(rules) and not any(
        expression.normalize_domain(safe_eval(rule.domain_force or "[]", context))
        in ([], expression.TRUE_DOMAIN)
        for rule in rules
    )


def access_matrix(env, users):
    """The README's table: one row per model, one column per role; a cell
    lists the operations allowed (r read, c create, w write, d delete), with
    * when a record rule of the role's groups limits one of them to some
    records."""
    Access = env["ir.model.access"]
    lines = [
        "| model | " + " | ".join(users) + " |",
        "|---|" + "---|" * len(users),
    ]
    for model in order_center_models(env):
        cells = []
        for user in users.values():
            allowed = [
                (operation, letter)
                for operation, letter in OPERATIONS
                if Access.with_user(user).check(model, operation, False)
            ]
            limited = any(
                is_limited(user, model, operation) for operation, __ in allowed
            )
            cell = "".join(letter for __, letter in allowed) or "–"
            cells.append(cell + ("*" if limited else ""))
        lines.append(f"| `{model}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@tagged("post_install", "-at_install")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env, "foc_matrix")

    def test_readme_shows_the_matrix(self):
        readme = README.read_text(encoding="utf-8")
        shown = readme.split(START, 1)[1].split(END, 1)[0].strip()
        generated = access_matrix(self.env, self.users)
        self.assertEqual(
            shown,
            generated,
            "The access matrix changed: put this table in the README between "
            f"{START} and {END}:\n{generated}",
        )

    def test_roles_get_what_the_matrix_says(self):
        """Each cell, tried: reading a model as the role (the ORM's check of
        the access rights) succeeds exactly when the matrix says r; and the
        same for create, write and delete."""
        rows = access_matrix(self.env, self.users).splitlines()[2:]
        roles = list(self.users)
        for row in rows:
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            model = cells[0].strip("`")
            for role, cell in zip(roles, cells[1:], strict=True):
                Model = self.env[model].with_user(self.users[role])
                for operation, letter in OPERATIONS:
                    with self.subTest(model=model, role=role, operation=operation):
                        if letter in cell:
                            Model.check_access(operation)
                        else:
                            with self.assertRaises(AccessError):
                                Model.check_access(operation)

    def test_every_role_reads_orders_but_only_the_manager_configures(self):
        """The rows the regulation cares most about, spelt out."""
        matrix = {
            cells[0].strip("`"): dict(zip(self.users, cells[1:], strict=True))
            for row in access_matrix(self.env, self.users).splitlines()[2:]
            for cells in [[cell.strip() for cell in row.strip("|").split("|")]]
        }
        for role in self.users:
            self.assertIn("r", matrix["sale.order"][role])
        for model in ("food.assignment.rule", "food.sales.platform"):
            writers = [role for role, cell in matrix[model].items() if "w" in cell]
            self.assertEqual(writers, ["manager"], model)
        self.assertEqual(matrix["food.order.analysis"]["processor"], "–")
        self.assertTrue(re.fullmatch(r"r\*?", matrix["food.order.analysis"]["manager"]))

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A database connection lost during an RPC call is answered with a clear,
translated error, not a traceback; conflicts and other errors are not
mistaken for it. ``make faults`` terminates real connections."""

import json
import xmlrpc.client
from unittest.mock import patch

import psycopg2
from psycopg2 import errors as pg_errors

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers.rpc import is_lost_connection
from .common import execute_kw

DISPATCH = "odoo.addons.base.controllers.rpc.dispatch_rpc"
RPC_MODULE = "odoo.addons.food_order_center.controllers.rpc"


def lost_connection(*_args):
    """What Odoo's retry code raises when PostgreSQL drops the connection:
    the rollback on the dead cursor fails, hiding the first error."""
    try:
        raise psycopg2.OperationalError("server closed the connection unexpectedly")
    except psycopg2.OperationalError:
        raise psycopg2.InterfaceError("cursor already closed") from None


@tagged("post_install", "-at_install")
class TestRpcLostConnection(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.api_user = new_test_user(
            cls.env,
            login="foc_lost_api",
            password="foc_lost_api",
            groups="food_order_center.group_order_intake",
            lang="zh_CN",
        )

    def _call(self, method="intake_orders", args=([],)):
        return execute_kw(
            self, self.api_user, "foc_lost_api", "sale.order", method, *args
        )

    def test_told_apart(self):
        self.assertTrue(is_lost_connection(psycopg2.InterfaceError("closed")))
        self.assertTrue(is_lost_connection(psycopg2.OperationalError("server closed")))
        self.assertTrue(is_lost_connection(pg_errors.AdminShutdown("terminating")))
        # refusals of a query are no lost connection
        self.assertFalse(is_lost_connection(pg_errors.SerializationFailure("x")))
        self.assertFalse(is_lost_connection(pg_errors.LockNotAvailable("x")))
        self.assertFalse(is_lost_connection(pg_errors.QueryCanceled("timeout")))
        self.assertFalse(is_lost_connection(ValueError("x")))

    @mute_logger("odoo.addons.food_order_center.controllers.rpc", "odoo.http")
    def test_xmlrpc_answer_is_clear_and_translated(self):
        with patch(DISPATCH, side_effect=lost_connection):
            with self.assertRaises(xmlrpc.client.Fault) as caught:
                self._call()
        fault = caught.exception
        self.assertEqual(fault.faultCode, 2)
        self.assertNotIn("Traceback", fault.faultString)
        self.assertIn("与数据库的连接已断开", fault.faultString)
        # the call works again once the database answers
        self.assertEqual(self._call(), [])
        # a call naming another database is answered the same, and no
        # other database than the request's is opened for the language
        with (
            patch(DISPATCH, side_effect=lost_connection),
            patch(f"{RPC_MODULE}.Registry") as registry,
        ):
            with self.assertRaises(xmlrpc.client.Fault) as caught:
                self.xmlrpc_object.execute_kw(
                    "foc_no_such_database", self.api_user.id, "x", "sale.order", "x", []
                )
        self.assertEqual(caught.exception.faultCode, 2)
        self.assertNotIn("Traceback", caught.exception.faultString)
        registry.assert_not_called()

    @mute_logger("odoo.addons.food_order_center.controllers.rpc", "odoo.http")
    def test_other_errors_unchanged(self):
        def conflict(*_args):
            raise pg_errors.SerializationFailure("could not serialize access")

        with patch(DISPATCH, side_effect=conflict):
            with self.assertRaises(xmlrpc.client.Fault) as caught:
                self._call()
        self.assertEqual(caught.exception.faultCode, 1)
        self.assertIn("SerializationFailure", caught.exception.faultString)
        # a refusal stays a refusal
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(args=("not a list",))
        self.assertEqual(caught.exception.faultCode, 2)

    @mute_logger("odoo.addons.food_order_center.controllers.rpc", "odoo.http")
    def test_jsonrpc_answer(self):
        with patch(DISPATCH, side_effect=lost_connection):
            response = self.url_open(
                "/jsonrpc",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "service": "object",
                            "method": "execute_kw",
                            "args": [
                                self.env.cr.dbname,
                                self.api_user.id,
                                "foc_lost_api",
                                "sale.order",
                                "intake_orders",
                                [[]],
                            ],
                        },
                        "id": 1,
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn("与数据库的连接已断开", error["message"])

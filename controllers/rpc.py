# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A clear answer when the database connection is lost during an RPC call.

When PostgreSQL drops the connection of a call (restart, failover,
``pg_terminate_backend``), Odoo's retry code fails on the dead cursor and
the caller gets a traceback naming ``cursor already closed``. The
transaction was rolled back by PostgreSQL: nothing of the call was saved,
and sending it again is safe (the intake answers ``duplicate`` for what was
already received). This says so, in the caller's language, as the error of
a refused call (XML-RPC fault code 2, JSON-RPC ``odoo.exceptions.UserError``).
"""

import logging
import xmlrpc.client

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import api
from odoo.exceptions import UserError
from odoo.http import request, route
from odoo.modules.registry import Registry
from odoo.tools.translate import LazyTranslate

from odoo.addons.base.controllers.rpc import RPC

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

LOST_CONNECTION = _lt(
    "The connection to the database was lost during the call: nothing of it "
    "was saved. Send the same call again."
)

# the shutdowns of the server (its SQLSTATE class 08 is the connection's)
SHUTDOWN_ERRORS = (
    pg_errors.AdminShutdown,
    pg_errors.CrashShutdown,
    pg_errors.CannotConnectNow,
)


def is_lost_connection(error):
    """Whether ``error`` (or the error it hides) is the loss of the database
    connection, not a refusal of the query (conflict, lock, constraint)."""
    while error is not None:
        if isinstance(error, (psycopg2.InterfaceError, *SHUTDOWN_ERRORS)):
            return True
        if isinstance(error, psycopg2.OperationalError):
            if error.pgcode:
                return error.pgcode.startswith("08")
            # the connection closed under the client: no SQLSTATE, no subclass
            return type(error) is psycopg2.OperationalError
        error = error.__cause__ or error.__context__
    return False


def lost_connection_error(service, params):
    """The error to answer: in the language of the user who called, when
    the database answers again, else in the request's. Only the database
    this request is served for is read (not any name a caller sends)."""
    if (
        service == "object"
        and len(params) > 1
        and request.db
        and params[0] == request.db
        and isinstance(params[1], int)
    ):
        try:
            with Registry(request.db).cursor() as cr:
                env = api.Environment(cr, params[1], {})
                lang = env["res.users"].sudo().browse(params[1]).exists().lang
                return UserError(env(context={"lang": lang})._(LOST_CONNECTION))
        except Exception:  # pylint: disable=broad-except
            _logger.debug("The database does not answer yet", exc_info=True)
    return UserError(str(LOST_CONNECTION))


class FoodOrderCenterRPC(RPC):
    def _xmlrpc(self, service):
        try:
            return super()._xmlrpc(service)
        except Exception as error:
            if not is_lost_connection(error):
                raise
            _logger.warning("RPC call interrupted: database connection lost")
            raise lost_connection_error(service, _xmlrpc_params()) from error

    @route()
    def jsonrpc(self, service, method, args):
        try:
            return super().jsonrpc(service, method, args)
        except Exception as error:
            if not is_lost_connection(error):
                raise
            _logger.warning("RPC call interrupted: database connection lost")
            raise lost_connection_error(service, args) from error


def _xmlrpc_params():
    """The parameters of the XML-RPC call being answered (database, uid...)."""
    try:
        params, _method = xmlrpc.client.loads(request.httprequest.get_data())
    except Exception:  # pylint: disable=broad-except
        return ()
    return params

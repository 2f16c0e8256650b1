"""One OAuth2 authorisation at a ledger: the token set and its care.

Ledgers that rotate the refresh token on every refresh make two workers refreshing the same
token at once the classic failure (the loser's rotation is lost, later ``invalid_grant``). So
there is one code path, ``_get_access_token``: it refreshes in an independent transaction,
holding ``SELECT … FOR UPDATE`` on the row, re-reads the token once it owns the lock (a worker
that waited finds the fresh token and makes no call) and commits the rotated pair before anyone
else can read it. A refused refresh marks the connection and its organisations "needs
reconnect" and tells the managers. The HTTP calls themselves are the ledger's: the
``_ledger_*`` hooks below, overridden by each ledger's addon (guarded by ``code``).
"""

import logging
from datetime import datetime, timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, sql_db
from odoo.exceptions import UserError

from ..access import MANAGER, check_caller
from ..errors import LedgerAuthError, LedgerError

_logger = logging.getLogger(__name__)

# A token is refreshed when it has less than this many seconds left.
TOKEN_REFRESH_MARGIN = 120


class LedgerConnection(models.Model):
    _name = "ledger.connection"
    _description = "Ledger authorisation (OAuth2 token set)"
    _order = "id desc"

    # Which ledger this authorisation is at: each ledger's addon adds itself (selection_add).
    code = fields.Selection([], string="Ledger", required=True, readonly=True, index=True)
    name = fields.Char(required=True, default=lambda self: self.env._("Authorisation"))
    user_id = fields.Many2one("res.users", string="Authorised by", default=lambda self: self.env.user,
                              readonly=True)
    client_id = fields.Char(string="App client ID", readonly=True)
    scopes = fields.Char(readonly=True)
    access_token = fields.Char(groups="base.group_system", readonly=True, copy=False)
    refresh_token = fields.Char(groups="base.group_system", readonly=True, copy=False)
    access_expires_at = fields.Datetime(string="Access token expires", readonly=True, copy=False)
    last_refresh = fields.Datetime(readonly=True, copy=False)
    refresh_count = fields.Integer(readonly=True, copy=False)
    state = fields.Selection([
        ("active", "Connected"),
        ("needs_reconnect", "Needs reconnect"),
        ("revoked", "Disconnected"),
    ], default="active", required=True, readonly=True)
    last_error = fields.Text(readonly=True)
    tenant_ids = fields.One2many("ledger.tenant", "connection_id", string="Organisations")

    # --- what each ledger provides ---------------------------------------------------------------
    def _ledger_label(self):
        """The ledger's name as its users know it (the ``code``'s label)."""
        labels = dict(self._fields["code"]._description_selection(self.env))
        return labels.get(self[:1].code) or self.env._("the ledger")

    def _ledger_auth_error(self, message, code=None):
        """The exception the ledger's own code expects for a refused authorisation."""
        return LedgerAuthError(message, code=code)

    def _ledger_refresh(self, log_company):
        """Exchange this connection's refresh token for a new token set (the token endpoint's
        answer: access_token, expires_in, refresh_token, scope). Raises LedgerAuthError when
        the ledger refuses it (the connection then needs a reconnect)."""
        raise NotImplementedError(self.env._("No ledger refreshes tokens for %s.", self.code))

    def _ledger_revoke(self):
        """Revoke this authorisation at the ledger. Raises LedgerAuthError if already invalid."""
        raise NotImplementedError(self.env._("No ledger revokes authorisations for %s.", self.code))

    def _ledger_list_organisations(self, token):
        """-> {remote_id: name} of the organisations the ledger still lets this authorisation
        reach (None: the ledger cannot tell, nothing is checked). Raises LedgerError."""
        return None

    # --- tokens -------------------------------------------------------------------------------
    @api.model
    def _token_values(self, token):
        """Fields to write from a token endpoint answer (RFC 6749 section 5.1)."""
        expires_in = int(token.get("expires_in") or 1800)
        vals = {
            "access_token": token["access_token"],
            "access_expires_at": fields.Datetime.now() + timedelta(seconds=expires_in),
            "scopes": token.get("scope") or False,
            "state": "active",
            "last_error": False,
        }
        if token.get("refresh_token"):
            vals["refresh_token"] = token["refresh_token"]
        return vals

    def _is_fresh(self):
        self.ensure_one()
        return bool(self.access_expires_at) and self.access_expires_at > fields.Datetime.now() + timedelta(
            seconds=TOKEN_REFRESH_MARGIN)

    def _needs_reconnect_error(self):
        return self._ledger_auth_error(self.env._("The %(ledger)s connection “%(name)s” needs to be reconnected.",
                                                  ledger=self._ledger_label(), name=self.name),
                                       code="needs_reconnect")

    def _get_access_token(self, rejected=None):
        """A valid access token, refreshed first if it is about to expire. ``rejected``: a
        token the ledger just refused as expired (clock skew): refresh unless another worker
        already replaced it. Raises the ledger's auth error when the connection needs a reconnect."""
        self.ensure_one()
        me = self.sudo()
        if me.state != "active":
            raise me._needs_reconnect_error()
        if me._is_fresh() and not rejected:
            return me.access_token
        return me._refresh_under_lock(rejected)

    def _written_by_this_transaction(self):
        """True when this transaction inserted or updated the row (it then holds its lock,
        or the row is invisible to others): an independent transaction must not wait for it."""
        self.env.cr.execute("SELECT xmin::text = (txid_current() %% 4294967296)::text "
                            "FROM ledger_connection WHERE id = %s", [self.id])
        row = self.env.cr.fetchone()
        return bool(row and row[0])

    def _log_company(self):
        """The company whose request log keeps this authorisation's token calls: its
        organisations' when they have one company, else the caller's (a manager who pressed a
        button), else the company of whoever authorised it (a cron's refresh of an organisation
        not assigned yet). Never company-less: such rows would be every manager's."""
        companies = self.sudo().tenant_ids.company_id
        if len(companies) == 1:
            return companies
        user = self.env.user
        if not user._is_superuser() and user._is_internal():
            return self.env.company
        return self.sudo().user_id.company_id or self.env.company

    def _refresh_under_lock(self, rejected=None):
        self.flush_recordset()
        token = error = None
        log_company = self._log_company()
        if self._written_by_this_transaction():
            token, error = self._refresh_locked(rejected, log_company)
        else:
            with self.env.registry.cursor() as cr:
                if isinstance(cr, sql_db.Cursor):  # not the shared cursor of a test in test mode
                    # READ COMMITTED: a worker that waited on the lock sees the row as committed
                    # by the worker that refreshed, instead of failing to serialise. (Odoo sets
                    # REPEATABLE READ again on every new cursor.)
                    cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
                    cr.execute("SET LOCAL lock_timeout = '20s'")
                cr.execute("SELECT id FROM ledger_connection WHERE id = %s FOR UPDATE", [self.id])
                token, error = self.with_env(self.env(cr=cr)).sudo()._refresh_locked(rejected, log_company)
        # What the other transaction wrote is not in this one's cache.
        self.invalidate_recordset()
        self.tenant_ids.invalidate_recordset(["state"])
        if error:
            raise error
        return token

    def _refresh_locked(self, rejected=None, log_company=None):
        """Runs holding the row lock. -> (access_token, None) or (None, the auth error)."""
        self.invalidate_recordset()
        if self.state != "active":
            return None, self._needs_reconnect_error()
        if self._is_fresh() and self.access_token != rejected:
            return self.access_token, None  # another worker refreshed while we waited
        if not self.refresh_token:
            return None, self._mark_needs_reconnect(self.env._("No refresh token is stored."))
        try:
            token = self._ledger_refresh(log_company)
        except LedgerAuthError as exc:
            return None, self._mark_needs_reconnect(str(exc), exc)
        vals = self._token_values(token)
        vals.update(last_refresh=fields.Datetime.now(), refresh_count=self.refresh_count + 1)
        self.write(vals)
        _logger.info("Ledger connection %s (%s): access token refreshed", self.id, self.code)
        return vals["access_token"], None

    def _mark_needs_reconnect(self, reason, exc=None):
        self.write({"state": "needs_reconnect", "last_error": reason})
        self.tenant_ids.write({"state": "needs_reconnect"})
        ledger = self._ledger_label()
        for tenant in self.tenant_ids:
            tenant._notify_managers(self.env._(
                "%(ledger)s refused to refresh the connection of %(org)s: %(reason)s. A %(ledger)s manager must "
                "reconnect it (Settings → %(ledger)s → Reconnect on %(org)s).",
                ledger=ledger, org=tenant.name, reason=reason))
        return exc if exc is not None else self._ledger_auth_error(reason, code="needs_reconnect")

    # --- actions ------------------------------------------------------------------------------
    def action_revoke(self):
        """Revoke the authorisation at the ledger (removes its connections there) and forget tokens."""
        check_caller(self, MANAGER, "read")
        # Revoking cuts off every organisation of the authorisation: the caller must be allowed
        # to manage each of them (listed under sudo: the One2many would hide the others).
        check_caller(self.sudo().with_context(active_test=False).tenant_ids.with_env(self.env), MANAGER, "write")
        for conn in self.sudo():
            if conn.refresh_token and conn.state == "active":
                try:
                    conn._ledger_revoke()
                except LedgerAuthError:
                    # already invalid at the ledger: nothing left to revoke
                    _logger.info("%s was already revoked at %s", conn.name, conn.code)
                except Exception as exc:  # noqa: BLE001 - the user must see why
                    raise UserError(self.env._("%(ledger)s did not confirm the revocation: %(error)s",
                                               ledger=conn._ledger_label(), error=exc)) from exc
            conn.write({"state": "revoked", "access_token": False, "refresh_token": False,
                        "access_expires_at": False})
            conn.tenant_ids.write({"state": "disconnected"})
        return True

    @api.model
    def _cron_check_connections(self):
        """The daily light check (a disconnect made on the ledger's side): one call per
        authorisation lists the organisations the ledger still lets it reach; every
        organisation missing there — with or without an Odoo company — is marked "needs
        reconnect" and its managers told. A refused token refresh marks and tells the same way
        (_mark_needs_reconnect). A network failure leaves all as they are."""
        for conn in self.sudo().search([("state", "=", "active")]):
            tenants = conn.tenant_ids.filtered(lambda t: t.state == "connected")
            if not tenants:
                continue
            try:
                token = conn._get_access_token()
                names = conn._ledger_list_organisations(token)
            except LedgerAuthError:
                continue  # marked and told by _get_access_token (invalid_grant)
            except LedgerError as exc:
                _logger.warning("Could not check the connections of %s (%s): %s", conn.name, conn.code, exc)
                continue
            if names is None:
                continue
            for tenant in tenants:
                if tenant.remote_id not in names:
                    tenant._lost_access(self.env._("not in %s's list of connections any more", conn._ledger_label()))
                elif names[tenant.remote_id] and names[tenant.remote_id] != tenant.name:
                    tenant.name = names[tenant.remote_id]  # renamed in the ledger

    @api.autovacuum
    def _gc_revoked(self):
        """Forget revoked authorisations that no tenant points to any more (after 30 days)."""
        limit = datetime.now() - timedelta(days=30)
        self.sudo().search([("state", "=", "revoked"), ("tenant_ids", "=", False),
                            ("write_date", "<", limit)]).unlink()

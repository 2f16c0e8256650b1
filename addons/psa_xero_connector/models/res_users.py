"""Sign in with Xero on auth_oauth's user model: who a verified Xero identity is in Odoo."""

import logging

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.auth_signup.models.res_partner import SignupError

from ..xero import openid

_logger = logging.getLogger(__name__)


class XeroSigninRefused(Exception):
    """No user may sign in with this identity; ``code`` names the login page's message."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _xero_signin(self, provider_id, claims, access_token, signup_token=None):
        """The login of the user a verified ID token (``claims``) names, in this order:

        1. the user already linked to this Xero subject (``oauth_uid``);
        2. else the one active user whose login or email is the token's email (the first sign-in
           of an existing user; Xero verifies email addresses) — linked from now on, unless
           already linked to another Xero subject;
        3. else a new user (auth_signup: when the database allows sign-up, "Free sign up", or the
           browser came with an invitation's token).

        The user's ``oauth_access_token`` becomes Xero's access token: auth_oauth's credential.
        Called by the sign-in controller as superuser, after every check of the token.
        Raises XeroSigninRefused."""
        subject = claims["sub"]
        email, name = openid.person(claims)
        user = self.search([("oauth_provider_id", "=", provider_id), ("oauth_uid", "=", subject)])
        if len(user) == 1:
            user.oauth_access_token = access_token
            return user.login
        if email and claims.get("email_verified") not in (False, "false"):
            user = self.browse()
            for domain in (self._get_login_domain, self._get_email_domain):
                user = user or self.search(domain(email)) or self.search(domain(email.lower()))
            if len(user) > 1:
                raise XeroSigninRefused("ambiguous")
            if user:
                if user.oauth_uid and user.oauth_provider_id.id == provider_id:
                    raise XeroSigninRefused("linked")
                user.write({"oauth_provider_id": provider_id, "oauth_uid": subject,
                            "oauth_access_token": access_token})
                _logger.info("Sign in with Xero: user %s linked to Xero user %s", user.login, subject)
                return user.login
        if not email:
            raise XeroSigninRefused("no_email")
        if not signup_token and self._get_signup_invitation_scope() != "b2c":
            raise XeroSigninRefused("signup")
        values = {"name": name, "login": email, "email": email, "oauth_provider_id": provider_id,
                  "oauth_uid": subject, "oauth_access_token": access_token, "active": True}
        try:
            login, _password = self.signup(values, signup_token)
        except (SignupError, UserError) as exc:
            _logger.info("Sign in with Xero: sign-up of %s refused: %s", email, exc)
            raise XeroSigninRefused("signup") from exc
        return login

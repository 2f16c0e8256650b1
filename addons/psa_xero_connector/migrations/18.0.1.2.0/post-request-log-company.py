"""Issue #23: token, /connections and revocation rows of the request log carry the company of the
manager who made the call (they were company-less, which every Xero manager of every company
read). Rows a person made get their company now; rows a cron made (the superuser) stay
company-less, read by system administrators only: which organisation they served is not known.
Organisations need nothing: an unassigned one is its authorisation's user's (ledger.connection's
user_id, set since the first version), so no manager loses sight of their own."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE ledger_request_log AS log
           SET company_id = u.company_id
          FROM res_users AS u
         WHERE log.create_uid = u.id
           AND u.id != 1
           AND log.company_id IS NULL
           AND log.tenant_id IS NULL
           AND log.direction = 'outbound'
    """)

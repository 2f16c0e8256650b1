-- A neutralised copy (staging, restored backup) must never push to the production Xero
-- organisation: forget tokens and secrets, mark every organisation disconnected.
UPDATE ledger_connection
   SET access_token = NULL,
       refresh_token = NULL,
       state = 'revoked';
UPDATE ledger_tenant
   SET state = 'disconnected';
DELETE FROM ir_config_parameter
 WHERE key IN ('psa_xero_connector.client_secret', 'psa_xero_connector.webhook_key');

"""The QuickBooks Online simulator, beside the Xero one (``harness``): its own identity,
entities, query, batch, CDC, limits, webhooks, admin API and page; it shares the HTTP serving
(``harness.server``), the store, the clock and fault injection with the Xero simulator."""

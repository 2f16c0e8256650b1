# A charge type is a service product invoiced on timesheets (sale_timesheet's "delivered_timesheet").
CHARGE_TYPE_DOMAIN = [("type", "=", "service"), ("service_type", "=", "timesheet"), ("invoice_policy", "=", "delivery")]

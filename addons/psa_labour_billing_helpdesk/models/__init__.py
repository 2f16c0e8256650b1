from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import account_analytic_line

def post_init_hook(env):
    """Time logged before the module: its billable quantity is the logged time (no charge type
    rules applied retroactively, so what was already invoiced keeps its delivered quantity)."""
    env.cr.execute(
        "UPDATE account_analytic_line SET billable_hours = unit_amount "
        "WHERE project_id IS NOT NULL AND billable_hours IS NULL"
    )

"""The guard of every Xero override of the core's hooks, as ``payment_stripe`` checks ``self.code``."""


def is_xero(tenant):
    """``tenant``'s ledger is Xero. With no organisation at hand (an empty recordset) the call is
    not another ledger's either."""
    return not tenant or tenant[:1].code == "xero"

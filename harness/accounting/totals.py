"""Document totals computed from lines, as Xero does.

Xero documents the line amount as ``Quantity × UnitAmount × (100 − DiscountRate) / 100``,
rounded half-up to 2 dp, and computes tax per line (its default "round each line"): the
document's TotalTax is the sum of the rounded line taxes. For Inclusive lines the tax is
carved out of the line amount. A TaxAmount sent on a line wins (Xero allows adjustments).
"""

from decimal import Decimal

from ..xerojson import money

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def line_amounts(quantity, unit_amount, discount_rate, line_amount, unitdp=2):
    """-> (quantity, unit_amount, line_amount, discount_amount) of one line."""
    qty = quantity if quantity is not None else Decimal("1")
    if unit_amount is not None:
        unit = money(unit_amount, unitdp)
        gross = qty * unit
        amount = money(gross * (HUNDRED - (discount_rate or ZERO)) / HUNDRED)
        discount = money(gross) - amount
    else:
        # A line given by amount only: Xero derives the unit amount.
        amount = money(line_amount or ZERO)
        unit = money(amount / qty, unitdp) if qty else amount
        discount = ZERO
    return qty, unit, amount, discount


def line_tax(line_amount, rate_percent, amount_types, given_tax=None):
    if amount_types == "NoTax":
        return ZERO
    if given_tax is not None:
        return money(given_tax)
    rate = (rate_percent or ZERO) / HUNDRED
    if amount_types == "Inclusive":
        return money(line_amount - line_amount / (1 + rate))
    return money(line_amount * rate)


def document_totals(lines, amount_types):
    """lines: iterable of (line_amount, tax, discount). -> SubTotal, TotalTax, Total, TotalDiscount."""
    sub = tax = disc = ZERO
    for amount, line_tax_amount, discount in lines:
        sub += amount
        tax += line_tax_amount
        disc += discount
    if amount_types == "Inclusive":
        total = sub
        sub = sub - tax
    else:
        total = sub + tax
    return money(sub), money(tax), money(total), money(disc)

"""Labour billing rules as plain functions (no Odoo): tested without a server."""

import math

# A ledger caps an invoice line's text (the first connector's ledger at 4000 characters, the
# length its mapping cuts at). The module names no ledger: this is the default of the system
# parameter ``psa_labour_billing.description_max``, to set for a ledger that allows less.
DESCRIPTION_MAX = 4000


def billable_hours(hours, minimum=0, increment=0, rounding="up"):
    """The hours billed for ``hours`` logged: at least ``minimum`` minutes, then a multiple of
    ``increment`` minutes (``rounding`` "up" or "nearest", half up). Hundredths of an hour."""
    if not hours or hours <= 0:
        return 0.0
    minutes = round(hours * 60.0, 6)  # 1.1 h is 66.00000000000001 minutes in binary
    if minimum and minutes < minimum:
        minutes = float(minimum)
    if increment:
        steps = minutes / increment
        steps = math.ceil(round(steps, 6)) if rounding == "up" else math.floor(steps + 0.5)
        minutes = max(steps, 1 if rounding == "up" else 0) * increment
    return round(minutes / 60.0, 2)


def share(total, amounts):
    """Split ``total`` over ``amounts`` in proportion, in hundredths, the rest of the rounding to
    the largest: the shares add up to ``total`` exactly."""
    if not amounts:
        return []
    base = sum(amounts)
    if base <= 0:
        shares = [0.0] * len(amounts)
        shares[0] = round(total, 2)
        return shares
    shares = [round(total * a / base, 2) for a in amounts]
    largest = max(range(len(amounts)), key=lambda i: (amounts[i], -i))
    shares[largest] = round(shares[largest] + round(total - sum(shares), 2), 2)
    return shares


def initials(name):
    """"Jane van Doe" -> "JVD"."""
    return "".join(part[0] for part in (name or "").replace("-", " ").split() if part[0].isalnum()).upper()


def entry_text(entry):
    """``entry``: {date, ref, initials, hours, summary} -> one line of the description."""
    parts = [str(entry["date"]), entry.get("ref") or "", entry.get("initials") or "",
             "%.2f h" % entry["hours"], entry.get("summary") or ""]
    return " ".join(p for p in parts if p).replace("\n", " ")


def describe(title, entries, limit=DESCRIPTION_MAX, more="… and %d more entries"):
    """The label of one invoice line: ``title`` then one line per entry, cut within ``limit``
    characters with a count of the entries left out (never cut inside an entry)."""
    texts = [entry_text(e) for e in entries]
    size = len(title)
    best = 0
    for kept in range(len(texts) + 1):  # the most entries that fit with the note of the rest
        left = len(texts) - kept
        note = len("\n" + more % left) if left else 0
        if size + note <= limit:
            best = kept
        if kept < len(texts):
            size += 1 + len(texts[kept])
    lines = [title] + texts[:best]
    if best < len(texts):
        lines.append(more % (len(texts) - best))
    return "\n".join(lines)[:limit]

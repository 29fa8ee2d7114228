# This file is part of Pôle.
"Largest-remainder allocation of an amount over weights, to the cent."
from decimal import ROUND_FLOOR, Decimal


def allocate(total, weights, exp=Decimal('0.01')):
    """Split total over weights (a list of (key, Decimal) pairs) so that the
    parts are multiples of exp and add up exactly to total.

    Each part is first rounded down, then the units left over go one by one
    to the largest remainders; ties go to the earlier key in the list.
    Returns {key: Decimal}.  Weights must be >= 0 with a positive sum.
    """
    total = Decimal(total)
    weights = [(k, Decimal(w)) for k, w in weights]
    weight_sum = sum((w for _, w in weights), Decimal(0))
    if weight_sum <= 0 or any(w < 0 for _, w in weights):
        raise ValueError("weights must be >= 0 with a positive sum")
    sign = -1 if total < 0 else 1
    units = int((abs(total) / exp).to_integral_value())
    if units * exp != abs(total):
        raise ValueError("total is not a multiple of %s" % exp)
    quotas = []
    for index, (key, weight) in enumerate(weights):
        quota = Decimal(units) * weight / weight_sum
        floor = int(quota.to_integral_value(rounding=ROUND_FLOOR))
        quotas.append([key, floor, quota - floor, index])
    left = units - sum(q[1] for q in quotas)
    for quota in sorted(quotas, key=lambda q: (-q[2], q[3]))[:left]:
        quota[1] += 1
    return {key: sign * floor * exp for key, floor, _, _ in quotas}

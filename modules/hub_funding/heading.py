# This file is part of Pôle.
"""The headings of the compte rendu financier (CERFA 15059) and the
figures of the actions by heading, read in SQL from the analytic lines.

A heading gathers the accounts whose code starts with its two digits;
charges (6x, 86) are shown debit - credit, income (7x, 87) credit - debit.
The reports (689) and uses (789) of dedicated funds fall in 68 and 78, as
the CERFA's "engagements à réaliser sur ressources affectées" and "report
des ressources non utilisées des exercices antérieurs".
"""
from collections import defaultdict
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Coalesce
from sql.functions import Substring

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

CENT = Decimal('0.01')

# (code, side, French label of the CERFA): side 'charge' or 'income'; the
# contributions volontaires en nature (86 emplois, 87 contributions) apart
HEADINGS = [
    ('60', 'charge', "60 – Achats"),
    ('61', 'charge', "61 – Services extérieurs"),
    ('62', 'charge', "62 – Autres services extérieurs"),
    ('63', 'charge', "63 – Impôts et taxes"),
    ('64', 'charge', "64 – Charges de personnel"),
    ('65', 'charge', "65 – Autres charges de gestion courante"),
    ('66', 'charge', "66 – Charges financières"),
    ('67', 'charge', "67 – Charges exceptionnelles"),
    ('68', 'charge', "68 – Dotations aux amortissements, provisions et "
        "engagements"),
    ('70', 'income', "70 – Ventes de produits finis, prestations de "
        "services, marchandises"),
    ('71', 'income', "71 – Production stockée"),
    ('72', 'income', "72 – Production immobilisée"),
    ('73', 'income', "73 – Dotations et produits de tarification"),
    ('74', 'income', "74 – Subventions d'exploitation"),
    ('75', 'income', "75 – Autres produits de gestion courante"),
    ('76', 'income', "76 – Produits financiers"),
    ('77', 'income', "77 – Produits exceptionnels"),
    ('78', 'income', "78 – Reprises sur amortissements, provisions et "
        "report des ressources non utilisées"),
    ('86', 'charge', "86 – Emplois des contributions volontaires en nature"),
    ('87', 'income', "87 – Contributions volontaires en nature"),
    ]
SIDES = {code: side for code, side, _ in HEADINGS}
LABELS = {code: label for code, _, label in HEADINGS}
HEADING_SELECTION = [(None, "")] + [(c, l) for c, _, l in HEADINGS]
CVN = {'86', '87'}
SUBSIDY = '74'


def sign(heading):
    "1 for an income heading (credit - debit), -1 for a charge"
    return 1 if SIDES[heading] == 'income' else -1


def _dec(value):
    # SQLite sums numerics as floats
    return Decimal(str(value or 0)).quantize(CENT)


def analytic_tables():
    """The analytic lines joined to their move lines, moves and accounts:
    (analytic line, move, account, the join)"""
    pool = Pool()
    line = pool.get('analytic_account.line').__table__()
    move_line = pool.get('account.move.line').__table__()
    move = pool.get('account.move').__table__()
    account = pool.get('account.account').__table__()
    return line, move, account, (line
        .join(move_line, condition=line.move_line == move_line.id)
        .join(move, condition=move_line.move == move.id)
        .join(account, condition=move_line.account == account.id))


def actuals(action_ids, start_date, end_date, funder_ids=None):
    """The posted figures of the actions from start_date to end_date:
    {(action id, heading): credit - debit} over the accounts of the
    headings, in one query.  With funder_ids, the subsidies (74) of each
    funder instead: {(action id, funder id): credit - debit} of the 74x
    move lines that also carry an analytic line of the funder."""
    AnalyticLine = Pool().get('analytic_account.line')
    line, move, account, from_ = analytic_tables()
    cursor = Transaction().connection.cursor()
    heading = Substring(account.code, 1, 2)
    balance = Sum(Coalesce(line.credit, 0) - Coalesce(line.debit, 0))
    result = defaultdict(Decimal)
    in_ = fields.SQL_OPERATORS['in']
    for sub_ids in grouped_slice(action_ids, backend.MAX_QUERY_PARAMS):
        where = (in_(line.account, sub_ids)
            & (move.state == 'posted')
            & (line.date >= start_date) & (line.date <= end_date))
        if funder_ids is None:
            where &= heading.in_([c for c, _, _ in HEADINGS])
            # Grouped by code, not by its heading: PostgreSQL takes the
            # substring's parameters of GROUP BY for another expression
            query = from_.select(line.account, account.code, balance,
                where=where, group_by=[line.account, account.code])
        else:
            funder = AnalyticLine.__table__()
            query_from = from_.join(funder, condition=(
                    funder.move_line == line.move_line)
                & in_(funder.account, funder_ids or [-1]))
            where &= heading == Literal(SUBSIDY)
            query = query_from.select(line.account, funder.account, balance,
                where=where, group_by=[line.account, funder.account])
        cursor.execute(*query)
        for action_id, key, amount in cursor:
            if funder_ids is None:
                key = key[:2]
            result[(action_id, key)] += _dec(amount)
    return result

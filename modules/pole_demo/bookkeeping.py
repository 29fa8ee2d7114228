# This file is part of Pôle.
"""Demo bookkeeping: the members' own funds on the bank at the start, and
their income of the twelve complete months before today (sales and
operating subsidies, received on the bank), from each member's "income" in
the demo definition; built once."""
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.modules.hub_bookkeeping.vat import company_tax, taxed_lines
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

CENT = Decimal('0.01')
# Last year's monthly income against this year's: a comparison with figures
PREVIOUS_RATE = Decimal('0.9')
# (key of the amount, description, accounts to credit in order, monthly):
# the opening funds once (an association's first net position, a SCOP's
# capital), the yearly sales and subsidies in twelve months
INCOME = [
    ('funds', "Situation d'ouverture", ['1021', '10131'], False),
    ('sales', "Ventes et prestations", ['706'], True),
    ('subsidies', "Subventions d'exploitation", ['74'], True),
    ]


class Demo(metaclass=PoolMeta):
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        result = super().build(definition, today=today)
        today = today or Pool().get('ir.date').today()
        values = {v['key']: v['income'] for v in definition['members']
            if v.get('income')}
        result['income'] = cls.build_income(result['members'], values, today)
        result['previous_income'] = cls.build_previous_income(
            result['members'], values, today)
        return result

    @classmethod
    def build_income(cls, members, values, today):
        """Post each member's opening funds, and its yearly income in twelve
        monthly moves, on the bank; return the income posted"""
        last = today.replace(day=1) - relativedelta(months=1)
        months = [last - relativedelta(months=i) for i in range(11, -1, -1)]
        return cls._post_income(members, values, months, funds=True)

    @classmethod
    def build_previous_income(cls, members, values, today):
        """The months of last calendar year before those of build_income,
        at 90 % of their monthly income: last year to the same date has
        figures to compare with; return the income posted"""
        first = today.replace(day=1, month=1) - relativedelta(years=1)
        start = today.replace(day=1) - relativedelta(months=12)
        months = []
        while first + relativedelta(months=len(months)) < start:
            months.append(first + relativedelta(months=len(months)))
        return cls._post_income(
            members, values, months, funds=False, rate=PREVIOUS_RATE)

    @classmethod
    def _post_income(cls, members, values, months, funds, rate=1):
        """Post, for the members of values without income in months, the
        opening funds (on the first month) when funds, and the monthly
        income in months at rate of its twelfth"""
        pool = Pool()
        Member = pool.get('hub.member')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Journal = pool.get('account.journal')
        Period = pool.get('account.period')
        if not months:
            return {'moves': 0, 'total': Decimal(0)}
        journals = {t: Journal.search([('type', '=', t)], limit=1)[0]
            for t in ['general', 'revenue']}
        total, moves = Decimal(0), []
        for key, income in values.items():
            member = members.get(key)
            if not member:
                continue
            company = member.company
            with Transaction().set_context(company=company.id):
                if Move.search([
                            ('company', '=', company.id),
                            ('description', 'in', [i[1] for i in INCOME]),
                            ('date', '>=', months[0]),
                            ('date', '<=', months[-1] + relativedelta(day=31)),
                            ], limit=1):
                    continue
                Member.ensure_fiscalyears(company, months)
                bank = cls._income_account(company, '5121')
                # A VAT-liable member's sales carry account_fr's 20 % tax on
                # services (collected on 44571), with their tax lines
                vat = (company_tax(company, 'tva_vente_services_20')
                    if member.vat_liable else None)
                for name, description, codes, monthly in INCOME:
                    yearly = Decimal(str(income.get(name, 0)))
                    if not yearly or (not monthly and not funds):
                        continue
                    account = cls._income_account(company, *codes)
                    parts = 12 if monthly else 1
                    part = (yearly / parts).quantize(CENT)
                    for i, month in enumerate(months[:parts]):
                        # The last month takes the rounding: the parts add
                        # up (at rate, each part is rounded on its own)
                        if rate != 1:
                            amount = (part * rate).quantize(CENT)
                        elif i == parts - 1:
                            amount = yearly - (parts - 1) * part
                        else:
                            amount = part
                        if vat and name == 'sales':
                            lines, tax = taxed_lines(vat, account, amount)
                            received = amount + tax
                        else:
                            lines = [Line(account=account,
                                    debit=0, credit=amount)]
                            received = amount
                        lines.append(Line(account=bank,
                                debit=received, credit=0))
                        date = (month + relativedelta(day=31) if monthly
                            else month)
                        journal = journals['revenue' if monthly else 'general']
                        moves.append(Move(company=company, journal=journal,
                                date=date, description=description,
                                period=Period.find(company, date=date),
                                lines=lines))
                        if monthly:
                            total += amount
        if moves:
            Move.save(moves)
            for company in {m.company for m in moves}:
                with Transaction().set_context(company=company.id):
                    Move.post([m for m in moves if m.company == company])
        return {'moves': len(moves), 'total': total}

    @classmethod
    def _income_account(cls, company, *codes):
        "The open account of the first of codes the chart has"
        Account = Pool().get('account.account')
        for code in codes[:-1]:
            if Account.search([
                        ('company', '=', company.id), ('code', '=', code)]):
                return Account.open_account(company, code)
        return Account.open_account(company, codes[-1])

# This file is part of Pôle.
"""Demo payroll: the twelve complete months before today for every member,
imported as the payroll software's CSV files, validated, posted (one
grouped move per structure and month), with the aide au poste accrued and
received and the shared IT facilitator's time; deterministic and built
once."""
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql.aggregate import Count, Sum

from trytond.modules.insertion_payroll.common import (
    CENT, month_end)
from trytond.modules.insertion_payroll.import_ import HOURS
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# The hourly SMIC of the demo and the usual rates of a French payslip:
# employee contributions about 22 % of the gross; employer contributions
# after the general reduction about 8 % at the SMIC, 30 % above it;
# income tax withheld 3 % on the permanent staff.
SMIC = Decimal('11.88')
EMPLOYEE_RATE = Decimal('0.22')
EMPLOYER_RATE_SMIC = Decimal('0.08')
EMPLOYER_RATE = Decimal('0.30')
TAX_RATE = Decimal('0.03')
WEEKS_PER_MONTH = Decimal(52) / 12
FACILITATOR = "Animateur informatique"
# Permanent staff per kind of member: (job, weekly hours, monthly gross)
STAFF = {
    'other': [
        ("Directrice du pôle", 35, 3600), ("Comptable", 35, 2700),
        (FACILITATOR, 35, 2500)],
    'aci': [
        ("Directeur", 35, 2900), ("Encadrant technique", 35, 2350),
        ("Conseillère en insertion", 35, 2300)],
    'ai': [("Directrice", 35, 3000)],
    'ei': [("Gérant", 35, 3300), ("Menuisier", 35, 2400)],
    'training': [("Directeur", 35, 2900), ("Formatrice", 35, 2500)],
    }
# The collective's IT facilitator's time for the members, per month
SHARED = {'jardins': 25, 'recyclerie': 20, 'batiment': 15}
# Its hub_invoicing service: the shared 60 % of his monthly cost, gross
# 2 500 + 30 % employer contributions = 3 250, i.e. 1 950 a month
SHARED_SERVICE = "Animation informatique partagée"
SHARED_COST = Decimal('1950.00')
HEADER = ('mois;matricule;heures_payees;heures_travaillees;brut;'
    'cotisations_salariales;cotisations_patronales;net;impot_preleve\n')


class Demo(metaclass=PoolMeta):
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        result = super().build(definition, today=today)
        today = today or Pool().get('ir.date').today()
        result['payroll'] = cls.build_payroll(
            result['members'], today, **definition.get('payroll', {}))
        return result

    @classmethod
    def build_payroll(cls, members, today, seed=6):
        """A year of payroll for every member: permanent staff and the
        insertion contracts of the demo; once."""
        pool = Pool()
        Line = pool.get('insertion.payroll.line')
        Member = pool.get('hub.member')
        companies = [m.company.id for m in members.values()]
        if not companies or Line.search(
                [('company', 'in', companies)], limit=1):
            return {'skipped': True}
        rng = random.Random(seed)
        last = today.replace(day=1) - relativedelta(months=1)
        months = [last - relativedelta(months=i) for i in range(11, -1, -1)]
        staff = {}
        for key, member in members.items():
            company = member.company
            with Transaction().set_context(
                    company=company.id, companies=[company.id]):
                Member.ensure_fiscalyears(company, months)
                cls._payroll_configuration(member)
                staff[key] = cls._payroll_staff(member, months[0])
                cls._payroll_import(member, months, staff[key], rng)
        with Transaction().set_context(companies=companies):
            lines = Line.search([('company', 'in', companies)])
            Line.validate_line(lines)
            for member in members.values():
                with Transaction().set_context(company=member.company.id):
                    Line.post([l for l in lines
                            if l.company == member.company])
        cls._payroll_settle(Line.search([('company', 'in', companies)]))
        facilitator = cls._payroll_shared(members, staff, months)
        cls._payroll_aid(members, months)
        result = cls._payroll_totals(companies)
        result['shared_billing'] = cls._payroll_shared_billing(
            members, facilitator, months, today)
        return result

    @classmethod
    def _payroll_settle(cls, lines):
        """Pay each payroll move from the bank on its date: the net pay, the
        contributions and the tax withheld it owes (the credits)"""
        pool = Pool()
        Account = pool.get('account.account')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        moves, settlements = {l.move for l in lines if l.move}, []
        for move in sorted(moves, key=lambda m: (m.company.id, m.date)):
            bank, = Account.search([
                    ('company', '=', move.company.id), ('code', '=', '5121'),
                    ])
            owed = [l for l in move.lines if l.credit]
            total = sum(l.credit for l in owed)
            settlements.append(Move(
                    company=move.company, journal=move.journal,
                    date=move.date, period=move.period,
                    description="Paiement de la paie",
                    lines=[MoveLine(account=l.account, debit=l.credit,
                            credit=0, party=l.party) for l in owed]
                    + [MoveLine(account=bank, debit=0, credit=total)]))
        Move.save(settlements)
        for company in {m.company for m in settlements}:
            with Transaction().set_context(company=company.id):
                Move.post([m for m in settlements if m.company == company])

    @classmethod
    def _payroll_configuration(cls, member):
        """The payroll accounts of the member, as its first posting would
        make them (insertion_payroll's configuration: the PCG codes, else
        the first open sub-account, 741 for 74 in the association chart,
        else a new one, 4210: the French charts close 421)"""
        Pool().get('insertion.payroll.configuration').get(member.company)

    @classmethod
    def _payroll_staff(cls, member, start):
        "The permanent staff of the member: (code, contract, gross, job)"
        pool = Pool()
        Contract = pool.get('insertion.contract')
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        company = member.company
        staff = []
        for index, (job, hours, gross) in enumerate(
                STAFF.get(member.kind, [])):
            code = 'P%02d%02d' % (company.id, index + 1)
            party = Party(name='%s (%s)' % (job, company.party.name),
                code=code)
            party.save()
            employee = Employee(company=company, party=party,
                start_date=start - relativedelta(years=3))
            employee.save()
            contract = Contract(company=company, employee=employee,
                kind='cdi', start_date=employee.start_date,
                weekly_hours=Decimal(hours))
            contract.save()
            staff.append((code, contract, Decimal(gross), job))
        return staff

    @classmethod
    def _payroll_import(cls, member, months, staff, rng):
        """The member's payroll file of the year: a row per employee and
        month, hours pro rata of the days under contract"""
        pool = Pool()
        Contract = pool.get('insertion.contract')
        Import = pool.get('insertion.payroll.import')
        company = member.company
        rows = []

        def row(month, code, paid, gross, insertion):
            worked = (paid * Decimal('0.97')).quantize(CENT)
            gross = gross.quantize(CENT)
            employee_c = (gross * EMPLOYEE_RATE).quantize(CENT)
            employer_c = (gross * (EMPLOYER_RATE_SMIC if insertion
                    else EMPLOYER_RATE)).quantize(CENT)
            tax = Decimal(0) if insertion else (
                gross * TAX_RATE).quantize(CENT)
            net = gross - employee_c - tax
            rows.append(';'.join(str(v).replace('.', ',') for v in [
                        month.strftime('%Y-%m'), code, paid, worked, gross,
                        employee_c, employer_c, net, tax]))

        for month in months:
            for code, contract, gross, _ in staff:
                paid = (contract.weekly_hours * WEEKS_PER_MONTH).quantize(
                    CENT)
                row(month, code, paid, gross * Decimal(
                        rng.choice(['1', '1', '1', '1.03'])), False)
        contracts = Contract.search([
                ('company', '=', company.id),
                ('kind', '!=', 'cdi'),
                ])
        for month in months:
            end = month_end(month)
            hours = {}
            for contract in contracts:
                first = max(contract.start_date, month)
                last = min(contract.last_date or end, end)
                if first > last:
                    continue
                share = Decimal((last - first).days + 1) / end.day
                paid = contract.weekly_hours * WEEKS_PER_MONTH * share
                employee = contract.employee
                hours[employee] = hours.get(employee, Decimal(0)) + paid
            for employee, paid in hours.items():
                if not employee.party.code:
                    employee.party.code = 'I%06d' % employee.id
                    employee.party.save()
                paid = paid.quantize(CENT)
                if paid:
                    row(month, employee.party.code, paid, paid * SMIC, True)
        if rows:
            Import.import_file(company, (HEADER + '\n'.join(rows) + '\n'
                    ).encode('utf-8'), 'paie-%s.csv' % months[-1].year)

    @classmethod
    def _payroll_shared(cls, members, staff, months):
        "The collective's IT facilitator's time for the members, in %"
        pool = Pool()
        Shared = pool.get('insertion.payroll.shared')
        collective = members.get('collective')
        if not collective or not staff.get('collective'):
            return
        facilitators = [s for s in staff['collective']
            if s[3] == FACILITATOR]
        if not facilitators:
            return
        _, contract, _, _ = facilitators[0]
        Shared.create([{
                    'company': collective.company.id,
                    'employee': contract.employee.id,
                    'month': month,
                    'member': members[key].id,
                    'percentage': Decimal(percentage),
                    } for month in months
                for key, percentage in SHARED.items() if key in members])
        return contract.employee

    @classmethod
    def _payroll_shared_billing(cls, members, facilitator, months, today):
        "The billing of the facilitator's time: with hub_invoicing only"
        return None

    @classmethod
    def _payroll_aid(cls, members, months):
        "The aide au poste of each valid AF: accrued, and the 1/12 received"
        Agreement = Pool().get('insertion.agreement')
        for member in members.values():
            with Transaction().set_context(company=member.company.id):
                for agreement in Agreement.search([
                            ('company', '=', member.company.id),
                            ('state', '=', 'valid'),
                            ]):
                    if agreement.total_aid is None:
                        continue
                    for month in months:
                        if not (agreement.start_date <= month
                                <= agreement.end_date):
                            continue
                        agreement.accrue_aid(month)
                        agreement.record_monthly_payment(month)

    @classmethod
    def _payroll_totals(cls, companies):
        "Lines, gross and hours paid of the demo payroll, in SQL"
        Line = Pool().get('insertion.payroll.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(
                Count(line.id), Sum(line.gross), *(
                    Sum(getattr(line, h)) for h in HOURS),
                where=line.company.in_(companies)))
        count, gross, *hours = cursor.fetchone()
        return {'lines': count,
            'gross': Decimal(str(gross or 0)).quantize(CENT),
            'hours_paid': Decimal(str(hours[0] or 0)).quantize(CENT)}


class DemoSharedBilling(metaclass=PoolMeta):
    "The facilitator's time billed, when hub_invoicing is activated too"
    __name__ = 'hub.demo'

    @classmethod
    def _payroll_shared_billing(cls, members, facilitator, months, today):
        """The hub_invoicing service billing the facilitator's time on his
        hours, and the billing run of hub_invoicing's demo (the last
        complete month, already run before the payroll existed) run again
        for it: a second invoice per member served"""
        pool = Pool()
        Service = pool.get('hub.service')
        Run = pool.get('hub.billing.run')
        Account = pool.get('account.account')
        collective = members.get('collective')
        if not collective or not facilitator:
            return None
        company = collective.company
        accounts = Account.search([
                ('company', '=', company.id), ('code', '=', '706')], limit=1)
        with Transaction().set_context(company=company.id):
            service = Service(name=SHARED_SERVICE, company=company,
                cost=SHARED_COST, key='shared_hours',
                shared_employee=facilitator, periodicity='month',
                account=accounts[0] if accounts else None)
            service.save()
            # The month of hub_invoicing's demo run
            start = today.replace(day=1) - relativedelta(months=1)
            if start.year != today.year:
                start = today.replace(day=1)
            if start not in months:  # no time recorded for it
                return {'service': service.rec_name}
            run = Run.get_run(company, 'month', start)
            Run.process([run])
            run = Run(run.id)
            return {'service': service.rec_name, 'run': run.rec_name,
                'invoices': len(run.invoices)}

"""Benchmark of the payroll import on PostgreSQL.

Builds a database with insertion_payroll, one structure with a small chart,
the year 2026 and 834 employees with a contract, then times, each in a
transaction rolled back: importing a CSV file of 10 000 payroll lines
(834 employees x 12 months), validating and posting them with the buttons
of the import (12 grouped moves), against an ORM bulk ``create`` of the same 10 000 rows.  Prints the
ratio (target <= 2) and writes var/bench/payroll.json.

Usage: scripts/bench payroll   (TRYTOND_DATABASE_URI, default
postgresql://postgres@127.0.0.1:5432/; BENCH_RUNS, default 3)
"""
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal

from benchlib import fresh_database, log, write_result

EMPLOYEES = 834
LINES = 10000
TARGET_RATIO = 2
HEADER = ('mois;matricule;heures_payees;heures_travaillees;brut;'
    'cotisations_salariales;cotisations_patronales;net;impot_preleve;'
    'primes;action\n')


def main():
    pool = fresh_database('bench_payroll', 'insertion_payroll')
    runs = int(os.environ.get('BENCH_RUNS', 3))
    from trytond.tests.test_tryton import DB_NAME

    started = time.monotonic()

    def build_(transaction):
        result = build(pool)
        transaction.commit()
        return result
    company, codes, rows = retry(DB_NAME, {}, build_)
    log('structure built in %.0fs' % (time.monotonic() - started))
    data = (HEADER + ''.join(
            ';'.join(r) + '\n' for r in rows)).encode('utf-8')

    import_times, create_times = [], []
    for _ in range(runs):
        import_times.append(time_import(pool, DB_NAME, company, data))
        create_times.append(time_create(pool, DB_NAME, company, rows))
    imp, create = statistics.median(import_times), statistics.median(
        create_times)
    ratio = imp / create
    print('import + validate + post of %s lines: %.2fs; ORM create: %.2fs; '
        'ratio %.2f (target <= %s): %s' % (
            LINES, imp, create, ratio, TARGET_RATIO,
            'ok' if ratio <= TARGET_RATIO else 'MISSED'))
    write_result('payroll', {
                'lines': LINES, 'runs': runs,
                'import_validate_post_s': round(imp, 3),
                'orm_create_s': round(create, 3),
                'ratio': round(ratio, 2), 'target_ratio': TARGET_RATIO})
    return 0 if ratio <= TARGET_RATIO else 1


def retry(database, context, function):
    "Run function(transaction) in a transaction, again if it asks to lock"
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        try:
            with Transaction().start(
                    database, 0, context=context, **extras) as transaction:
                return function(transaction)
        except TransactionError as exception:
            exception.fix(extras)


def build(pool):
    from trytond.modules.account.tests import create_chart, get_fiscalyear
    from trytond.modules.company.tests import set_company
    from trytond.modules.hub.tests.tools import create_company
    Account = pool.get('account.account')
    Type = pool.get('account.account.type')
    FiscalYear = pool.get('account.fiscalyear')
    Member = pool.get('hub.member')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    Contract = pool.get('insertion.contract')
    company = create_company("Atelier")
    Member(company=company, kind='aci', siret='41234502700012',
        joined=dt.date(2020, 1, 1)).save()
    with set_company(company):
        create_chart(company)
        expense, = Type.search([
                ('company', '=', company.id), ('expense', '=', True)],
            limit=1)
        revenue, = Type.search([
                ('company', '=', company.id), ('revenue', '=', True)],
            limit=1)
        liability = Type(name="Payroll", company=company,
            statement='balance')
        liability.save()
        Account.save([Account(name=code, code=code, type=type_,
                    company=company)
                for code, type_ in [('6411', expense), ('6413', expense),
                    ('6451', expense), ('421', liability),
                    ('431', liability), ('4421', liability),
                    ('74', revenue), ('4417', liability)]])
        fiscalyear = get_fiscalyear(company, start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        codes = ['M%05d' % i for i in range(EMPLOYEES)]
        parties = Party.create([{'name': c, 'code': c} for c in codes])
        employees = Employee.create([
                {'company': company.id, 'party': p.id} for p in parties])
        Contract.create([{
                    'company': company.id, 'employee': e.id, 'kind': 'cdi',
                    'start_date': dt.date(2026, 1, 1),
                    'weekly_hours': Decimal(35)} for e in employees])
    rows = []
    for month in range(1, 13):
        for code in codes:
            rows.append(['2026-%02d' % month, code, '151,67', '147,00',
                    '1801,00', '396,22', '420,00', '1404,78', '0', '0', ''])
    return company.id, codes, rows[:LINES]


def time_import(pool, database, company_id, data):
    def function(transaction):
        Company = pool.get('company.company')
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        Move = pool.get('account.move')
        started = time.monotonic()
        import_ = Import.import_file(Company(company_id), data, 'bench.csv')
        imported = time.monotonic()
        # The buttons of the import form: validate, then post the file
        Import.validate_lines([import_])
        validated = time.monotonic()
        Import.post_lines([import_])
        elapsed = time.monotonic() - started
        log('import %.2fs, validate %.2fs, post %.2fs' % (
                imported - started, validated - imported,
                started + elapsed - validated))
        assert Line.search_count([('state', '=', 'posted')]) == LINES
        assert Move.search_count([('state', '=', 'posted')]) == 12
        transaction.rollback()
        return elapsed
    return retry(database, {'company': company_id}, function)


def time_create(pool, database, company_id, rows):
    def function(transaction):
        Line = pool.get('insertion.payroll.line')
        Contract = pool.get('insertion.contract')
        contracts = {c.employee.party.code: c for c in Contract.search([
                    ('company', '=', company_id)])}
        values = []
        for r in rows:
            contract = contracts[r[1]]
            values.append({
                    'company': company_id, 'contract': contract.id,
                    'employee': contract.employee.id,
                    'month': dt.date(2026, int(r[0][5:]), 1),
                    'hours_paid': Decimal('151.67'),
                    'hours_worked': Decimal('147.00'),
                    'gross': Decimal('1801.00'),
                    'employee_contributions': Decimal('396.22'),
                    'employer_contributions': Decimal('420.00'),
                    'net': Decimal('1404.78'), 'tax': Decimal(0),
                    'bonuses': Decimal(0)})
        started = time.monotonic()
        Line.create(values)
        elapsed = time.monotonic() - started
        transaction.rollback()
        return elapsed
    return retry(database, {'company': company_id}, function)


if __name__ == '__main__':
    sys.exit(main())

"""Benchmark of the insertion indicators on PostgreSQL.

Builds a database with the insertion module and 5 structures, then, with
INSERT ... SELECT, people with their profiles and 10 000 insertion contracts
a year over 5 years (first contracts and renewals) and their exits.  For
each year it times the indicator model as a client reads it (search, then
read of every column, in a new transaction, through the ORM) against the
raw SQL floor: one hand-written statement computing the same aggregates,
run on the same connection.  Prints a ratio table and writes
var/bench/insertion.json.

Usage: scripts/bench insertion   (TRYTOND_DATABASE_URI, default
postgresql://postgres@127.0.0.1:5432/; BENCH_RUNS, default 5)
"""
import datetime as dt
import os
import statistics
import sys
import time

from benchlib import fresh_database, log, write_result

CONTRACTS_PER_YEAR = 10000
YEARS = 5
STRUCTURES = 5
TARGET_RATIO = 1.5

RAW = """
WITH person AS (
    SELECT c.company, c.employee,
        SUM(CASE WHEN c.renewal_of IS NULL AND c.start_date >= %(from)s
            AND c.start_date <= %(to)s THEN 1 ELSE 0 END) AS entries
    FROM insertion_contract c
    WHERE c.kind IN ('cddi', 'ai_placement', 'etti_mission', 'cdi_inclusion')
        AND c.start_date <= %(to)s
        AND COALESCE(c.end_date, c.planned_end_date, %(to)s) >= %(from)s
    GROUP BY c.company, c.employee),
people AS (
    SELECT person.company, COUNT(*) AS people, SUM(entries) AS entries,
        SUM(CASE WHEN p.gender = 'female' THEN 1 ELSE 0 END) AS women,
        SUM(CASE WHEN p.gender = 'male' THEN 1 ELSE 0 END) AS men,
        SUM(CASE WHEN p.age < 26 THEN 1 ELSE 0 END) AS under_26,
        SUM(CASE WHEN p.age >= 50 THEN 1 ELSE 0 END) AS over_50,
        SUM(CASE WHEN p.rsa THEN 1 ELSE 0 END) AS rsa,
        SUM(CASE WHEN p.ass THEN 1 ELSE 0 END) AS ass,
        SUM(CASE WHEN p.aah THEN 1 ELSE 0 END) AS aah,
        SUM(CASE WHEN p.rqth THEN 1 ELSE 0 END) AS rqth,
        SUM(CASE WHEN p.qpv THEN 1 ELSE 0 END) AS qpv,
        SUM(CASE WHEN p.zrr THEN 1 ELSE 0 END) AS zrr,
        SUM(CASE WHEN p.long_unemployed OR p.very_long_unemployed
            THEN 1 ELSE 0 END) AS long_unemployed,
        SUM(CASE WHEN p.education_level IN ('none', 'below_cap')
            THEN 1 ELSE 0 END) AS below_cap
    FROM person
    LEFT JOIN insertion_employee_profile p ON p.employee = person.employee
    GROUP BY person.company),
exits AS (
    SELECT e.company, COUNT(*) AS exits,
        SUM(CASE WHEN e.category = 'durable' THEN 1 ELSE 0 END) AS durable,
        SUM(CASE WHEN e.category = 'transition' THEN 1 ELSE 0 END)
            AS transition,
        SUM(CASE WHEN e.category = 'positive' THEN 1 ELSE 0 END) AS positive,
        SUM(CASE WHEN e.category = 'other' THEN 1 ELSE 0 END) AS other,
        SUM(CASE WHEN e.category = 'withdrawn' THEN 1 ELSE 0 END)
            AS withdrawn,
        SUM(CASE WHEN e.examined AND e.category != 'withdrawn'
            THEN 1 ELSE 0 END) AS examined,
        SUM(CASE WHEN e.examined AND e.category IN (
                'durable', 'transition', 'positive') THEN 1 ELSE 0 END)
            AS dynamic,
        SUM(e.path_days) AS path_days
    FROM insertion_exit e
    WHERE e.date >= %(from)s AND e.date <= %(to)s
    GROUP BY e.company),
s AS (
    SELECT m.company, people.people, people.entries, people.women,
        people.men, people.under_26, people.over_50, people.rsa, people.ass,
        people.aah, people.rqth, people.qpv, people.zrr,
        people.long_unemployed, people.below_cap, exits.exits,
        exits.durable, exits.transition, exits.positive, exits.other,
        exits.withdrawn, exits.examined, exits.dynamic, exits.path_days
    FROM hub_member m
    LEFT JOIN people ON people.company = m.company
    LEFT JOIN exits ON exits.company = m.company
    WHERE m.kind IN ('aci', 'ai', 'ei', 'eiti', 'etti'))
SELECT * FROM s
UNION ALL
SELECT NULL, SUM(people), SUM(entries), SUM(women), SUM(men),
    SUM(under_26), SUM(over_50), SUM(rsa), SUM(ass), SUM(aah), SUM(rqth),
    SUM(qpv), SUM(zrr), SUM(long_unemployed), SUM(below_cap), SUM(exits),
    SUM(durable), SUM(transition), SUM(positive), SUM(other),
    SUM(withdrawn), SUM(examined), SUM(dynamic), SUM(path_days)
FROM s
"""

# People: start spread over the 5 years; 3 in 7 get a renewal, so
# people + renewals = 10 000 contracts a year.
PEOPLE = CONTRACTS_PER_YEAR * YEARS * 7 // 10
GENERATE = """
INSERT INTO party_party (code, name, active, create_uid, create_date)
    SELECT 'BENCH' || n, 'Person ' || n, true, 0, now()
    FROM generate_series(1, %(people)s) n;
CREATE TEMP TABLE bench_people AS
    SELECT p.id AS party, substr(p.code, 6)::int AS n,
        %(start)s::date + ((substr(p.code, 6)::int * 7919)
            %% (%(years)s * 365 - 200)) AS start
    FROM party_party p WHERE p.code LIKE 'BENCH%%';
INSERT INTO company_employee (party, company, create_uid, create_date)
    SELECT b.party, (%(companies)s)[1 + b.n %% %(structures)s], 0, now()
    FROM bench_people b;
CREATE TEMP TABLE bench_employees AS
    SELECT e.id AS employee, e.company, b.n, b.start
    FROM company_employee e JOIN bench_people b ON b.party = e.party;
INSERT INTO insertion_employee_profile (company, employee, birth_date,
        eligibility_date, age, gender, rsa, ass, aah, very_long_unemployed,
        long_unemployed, rqth, qpv, zrr, ase, refugee, justice,
        education_level, situation, create_uid, create_date)
    SELECT company, employee, start - (18 + n %% 45) * 365, start,
        18 + n %% 45, CASE WHEN n %% 2 = 0 THEN 'female' ELSE 'male' END,
        n %% 3 = 0, n %% 11 = 0, n %% 13 = 0, n %% 7 = 0, n %% 5 = 0,
        n %% 9 = 0, n %% 4 = 0, n %% 17 = 0, false, false, false,
        (ARRAY['none', 'below_cap', 'cap', 'bac', 'higher'])[1 + n %% 5],
        'job_seeker', 0, now()
    FROM bench_employees;
INSERT INTO insertion_contract (company, employee, kind, start_date,
        planned_end_date, end_date, weekly_hours, hours, user_ordinary,
        create_uid, create_date)
    SELECT company, employee, 'cddi', start, start + 180,
        CASE WHEN n %% 7 >= 3 AND n %% 10 < 7 THEN start + 180 END,
        26, 670, true, 0, now()
    FROM bench_employees;
UPDATE insertion_contract SET first = id WHERE renewal_of IS NULL;
INSERT INTO insertion_contract (company, employee, kind, start_date,
        planned_end_date, end_date, weekly_hours, hours, user_ordinary,
        renewal_of, first, create_uid, create_date)
    SELECT c.company, c.employee, 'cddi', c.start_date + 181,
        c.start_date + 361,
        CASE WHEN b.n %% 10 < 7 THEN c.start_date + 361 END,
        26, 670, true, c.id, c.id, 0, now()
    FROM insertion_contract c JOIN bench_employees b
        ON b.employee = c.employee
    WHERE b.n %% 7 < 3;
INSERT INTO insertion_exit (company, employee, date, destination, category,
        entry_date, path_days, hours, examined, create_uid, create_date)
    SELECT b.company, b.employee, MAX(c.end_date),
        (ARRAY['cdi', 'cdd_long', 'business', 'cdd_short', 'subsidised',
            'training', 'other_siae', 'job_seeker', 'inactive', 'other',
            'withdrawn'])[1 + b.n %% 11],
        (ARRAY['durable', 'durable', 'durable', 'transition', 'transition',
            'positive', 'positive', 'other', 'other', 'other',
            'withdrawn'])[1 + b.n %% 11],
        b.start, MAX(c.end_date) - b.start + 1, SUM(c.hours), true, 0, now()
    FROM bench_employees b JOIN insertion_contract c
        ON c.employee = b.employee
    WHERE b.n %% 10 < 7
    GROUP BY b.company, b.employee, b.n, b.start;
"""


def main():
    pool = fresh_database('bench_insertion', 'insertion')
    runs = int(os.environ.get('BENCH_RUNS', 5))
    first_year = dt.date.today().year - YEARS + 1
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction

    started = time.monotonic()
    with Transaction().start(DB_NAME, 0) as transaction:
        companies = build_structures(pool)
        cursor = transaction.connection.cursor()
        parameters = {
            'people': PEOPLE, 'start': dt.date(first_year, 1, 1),
            'years': YEARS, 'companies': companies,
            'structures': STRUCTURES}
        for statement in GENERATE.split(';'):
            if statement.strip():
                cursor.execute(statement, parameters)
        transaction.commit()
    with Transaction().start(DB_NAME, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT COUNT(*) FROM insertion_contract')
        contracts, = cursor.fetchone()
        cursor.execute('SELECT COUNT(*) FROM insertion_exit')
        exits, = cursor.fetchone()
    log('%s contracts, %s exits generated in %.0fs' % (
            contracts, exits, time.monotonic() - started))

    results = []
    for year in range(first_year, first_year + YEARS):
        period = {'from': dt.date(year, 1, 1), 'to': dt.date(year, 12, 31)}
        orm_times, raw_times = [], []
        for _ in range(runs):
            orm_time, orm_rows = time_orm(pool, DB_NAME, period)
            raw_time, raw_rows = time_raw(DB_NAME, period)
            orm_times.append(orm_time)
            raw_times.append(raw_time)
        assert orm_rows == raw_rows, (orm_rows, raw_rows)
        orm, raw = statistics.median(orm_times), statistics.median(raw_times)
        results.append({
                'year': year, 'rows': len(orm_rows),
                'people': orm_rows[None][0], 'exits': orm_rows[None][14],
                'orm_ms': round(orm * 1000, 1), 'raw_ms': round(raw * 1000, 1),
                'ratio': round(orm / raw, 2)})

    print('%-6s %6s %8s %10s %10s %7s' % (
            'year', 'people', 'exits', 'ORM ms', 'raw SQL ms', 'ratio'))
    for r in results:
        print('%-6s %6s %8s %10.1f %10.1f %7.2f' % (
                r['year'], r['people'], r['exits'], r['orm_ms'], r['raw_ms'],
                r['ratio']))
    worst = max(r['ratio'] for r in results)
    print('worst ratio %.2f (target <= %.1f): %s' % (
            worst, TARGET_RATIO, 'ok' if worst <= TARGET_RATIO else 'MISSED'))
    write_result('insertion', {
                'contracts': contracts, 'exits': exits, 'runs': runs,
                'target_ratio': TARGET_RATIO, 'worst_ratio': worst,
                'years': results})
    return 0 if worst <= TARGET_RATIO else 1


def build_structures(pool):
    Company = pool.get('company.company')
    Currency = pool.get('currency.currency')
    Member = pool.get('hub.member')
    Party = pool.get('party.party')
    euro = Currency(name="Euro", code='EUR', symbol='€')
    euro.save()
    from stdnum.fr import siret as stdnum_siret
    # Establishments of one valid SIREN (Luhn on the SIRET too)
    sirets = [n for n in ('412345027%05d' % i
            for i in range(2000)) if stdnum_siret.is_valid(n)][:STRUCTURES]
    kinds = ['aci', 'ai', 'ei', 'aci', 'etti']
    companies = []
    for i in range(STRUCTURES):
        party = Party(name='Structure %s' % i)
        party.save()
        company = Company(party=party, currency=euro)
        company.save()
        Member(company=company, kind=kinds[i], siret=sirets[i],
            joined=dt.date(2020, 1, 1)).save()
        companies.append(company.id)
    return companies


COLUMNS = [
    'people', 'entries', 'women', 'men', 'under_26', 'over_50', 'rsa', 'ass',
    'aah', 'rqth', 'qpv', 'zrr', 'long_unemployed', 'below_cap', 'exits',
    'exits_durable', 'exits_transition', 'exits_positive', 'exits_other',
    'exits_withdrawn', 'exits_examined', 'exits_dynamic', 'path_days']


def time_orm(pool, database, period):
    "What a client does: search the indicators, then read them"
    from trytond.transaction import Transaction
    started = time.perf_counter()
    with Transaction().start(database, 0, readonly=True, context={
                'from_date': period['from'], 'to_date': period['to']}):
        Indicator = pool.get('insertion.indicator')
        ids = [i.id for i in Indicator.search([])]
        rows = Indicator.read(
            ids, ['company'] + COLUMNS + ['dynamic_rate', 'average_path'])
    elapsed = time.perf_counter() - started
    return elapsed, {
        r['company']: tuple(r[c] for c in COLUMNS) for r in rows}


def time_raw(database, period):
    "The floor: the same aggregates in one hand-written statement"
    from trytond.transaction import Transaction
    started = time.perf_counter()
    with Transaction().start(database, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(RAW, period)
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    return elapsed, {
        r[0]: tuple(int(v or 0) for v in r[1:]) for r in rows}


if __name__ == '__main__':
    sys.exit(main())

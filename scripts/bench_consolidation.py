"""Benchmark of the combined statements on PostgreSQL.

Builds a database with hub_consolidation: two members onboarded for real
(one on the association chart, one on the PCG), and the other members made
cheaply: company and fiscal year through the onboarding's own steps, the
chart copied in SQL from one of the two (types and accounts, with their
links to the consolidation tree).  Then, with INSERT ... SELECT, posted
moves of two lines over the year in every member's books, one in ten
between members (flagged with consolidation_company).

For the income statement of the year and the balance sheet at its end it
times, each in a new transaction:

* the combined statement (Consolidation.hub_combined: the one query and the
  sums up the tree, every column);
* the raw SQL floor: the same GROUP BY (account, company) over
  account_move_line, with the eliminated part;
* stock account_consolidation's amounts of the whole tree for the same
  companies (its own get_amount, which counts linked parent types twice).

Prints a ratio table and writes var/bench/consolidation.json.

Usage: scripts/bench consolidation, or
scripts/bench_consolidation.py --members 20 --lines 100000 (lines per member)
(TRYTOND_DATABASE_URI, default postgresql://postgres@127.0.0.1:5432/;
BENCH_RUNS, default 5)
"""
import argparse
import datetime as dt
import os
import statistics
import time

from benchlib import fresh_database, log, write_result

TARGET_RATIO = 1.5
OFFSET = 1000000  # ids of the copied charts: source id + k * OFFSET
ACCOUNTS = 300  # the accounts of each member that get lines


def columns(cursor, table):
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s", (table,))
    return [c for c, in cursor]


def copy_chart(cursor, source, target, k, span):
    """Copy the types and accounts of company source to company target; the
    nested set of the copy k is shifted by k * span"""
    offset = k * OFFSET
    shifted = {
        'account_account_type': {'id', 'parent'},
        'account_account': {
            'id', 'parent', 'type', 'debit_type', 'credit_type',
            'replaced_by'},
        }
    for table, refs in shifted.items():
        names = columns(cursor, table)
        values = []
        for name in names:
            if name == 'company':
                values.append('%d' % target)
            elif name in refs:
                values.append('"%s" + %d' % (name, offset))
            elif name in {'left', 'right'}:
                values.append('"%s" + %d' % (name, span * k))
            else:
                values.append('"%s"' % name)
        cursor.execute('INSERT INTO "%s" (%s) SELECT %s FROM "%s" '
            'WHERE company = %d' % (
                table, ', '.join('"%s"' % n for n in names),
                ', '.join(values), table, source))
        cursor.execute("SELECT setval('%s_id_seq', (SELECT MAX(id) FROM %s))"
            % (table, table))


GENERATE = """
CREATE TEMP TABLE bench_accounts AS
    SELECT company, id, n FROM (
        SELECT a.company, a.id,
            ROW_NUMBER() OVER (PARTITION BY a.company ORDER BY a.code) AS n
        FROM account_account a
        JOIN account_account_type t ON t.id = a.type
        WHERE a.company = ANY(%(companies)s) AND NOT a.closed
            AND NOT a.party_required AND t.statement IS NOT NULL) s
    WHERE n <= %(accounts)s;
CREATE INDEX ON bench_accounts (company, n);
ANALYZE bench_accounts;
INSERT INTO account_move (company, journal, period, date, post_date,
        number, state, consolidation_company, create_uid, create_date)
    SELECT c.company, %(journal)s, p.id, d.date, d.date,
        'B' || c.k || '-' || g.n, 'posted',
        CASE WHEN g.n %% 10 = 0
            THEN (%(companies)s)[1 + (c.k + 1) %% %(members)s] END,
        0, now()
    FROM unnest(%(companies)s) WITH ORDINALITY AS c(company, k)
    CROSS JOIN generate_series(1, %(moves)s) g(n)
    CROSS JOIN LATERAL (SELECT %(start)s::date + (g.n * 7919) %% 365
        AS date) d
    JOIN account_fiscalyear f ON f.company = c.company
    JOIN account_period p ON p.fiscalyear = f.id AND p.type = 'standard'
        AND p.start_date <= d.date AND p.end_date >= d.date;
INSERT INTO account_move_line (move, account, debit, credit, state,
        create_uid, create_date)
    SELECT m.id, a.id,
        CASE WHEN s.side = 0 THEN ((m.id * 37) %% 100000) / 100.0 ELSE 0 END,
        CASE WHEN s.side = 1 THEN ((m.id * 37) %% 100000) / 100.0 ELSE 0 END,
        'valid', 0, now()
    FROM account_move m
    CROSS JOIN (VALUES (0), (1)) s(side)
    JOIN bench_accounts a ON a.company = m.company
        AND a.n = 1 + (m.id * (3 + s.side * 14) + s.side) %% %(accounts)s
    WHERE m.number LIKE 'B%%';
ANALYZE account_move;
ANALYZE account_move_line;
"""

RAW = """
SELECT l.account, m.company, SUM(l.debit - l.credit),
    SUM(CASE WHEN m.consolidation_company = ANY(%(companies)s)
        THEN l.debit - l.credit ELSE 0 END)
FROM account_move_line l JOIN account_move m ON m.id = l.move
WHERE m.company = ANY(%(companies)s) AND m.state = 'posted'
    AND m.date <= %(end)s AND (%(start)s::date IS NULL OR m.date >= %(start)s)
GROUP BY l.account, m.company
"""


def build(pool, database, members, lines, year):
    from stdnum.fr import siret as stdnum_siret

    from trytond.transaction import Transaction
    Member = pool.get('hub.member')
    ModelData = pool.get('ir.model.data')
    Template = pool.get('account.account.template')
    Journal = pool.get('account.journal')
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sirets = [n for n in ('412345027%05d' % i for i in range(5000))
        if stdnum_siret.is_valid(n)]
    from trytond.modules.hub.member import ONBOARDING_LOCK_TABLES
    extras = {'_lock_tables': ONBOARDING_LOCK_TABLES + [
            'account_journal_period']}
    with Transaction().start(database, 0, **extras) as transaction:
        charts = [
            Template(ModelData.get_id('account_fr_association', 'root')),
            Template(ModelData.get_id('account_fr', 'root')),
            ]
        companies = []
        for i, chart in enumerate(charts):
            member = Member.onboard("Membre %s" % i, sirets[i], 'aci', chart,
                start, end)
            companies.append(member.company.id)
            log('member %s onboarded' % i)
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT MAX("right") + 1 FROM account_account')
        span, = cursor.fetchone()
        for i in range(2, members):
            company = Member._onboard_company(
                "Membre %s" % i, sirets[i], None, None, None, None)
            copy_chart(cursor, companies[i % 2], company.id, i, span)
            Member._onboard_fiscalyear(company, start, end)
            Member(company=company, kind='aci', siret=sirets[i],
                vat_liable=False, account_template=charts[i % 2],
                joined=start).save()
            companies.append(company.id)
        log('%s members made' % members)
        admin = pool.get('res.user')(1)
        pool.get('res.user').write([admin], {
                'companies': [('add', companies)],
                'company': companies[0]})
        journal, = Journal.search([('type', '=', 'general')], limit=1)
        started = time.monotonic()
        parameters = {
            'companies': companies, 'members': members, 'journal': journal.id,
            'moves': lines // 2, 'start': start, 'accounts': ACCOUNTS}
        for statement in GENERATE.split(';'):
            if statement.strip():
                cursor.execute(statement, parameters)
        cursor.execute('SELECT COUNT(*) FROM account_move_line')
        count, = cursor.fetchone()
        log('%s lines generated in %.0fs' % (
                count, time.monotonic() - started))
        transaction.commit()
    return companies, count


def timed(database, func):
    from trytond.transaction import Transaction
    with Transaction().start(database, 1, readonly=True, context={
                'company': None}):
        started = time.perf_counter()
        result = func()
        return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--members', type=int, default=20)
    parser.add_argument('--lines', type=int, default=100000,
        help="posted lines per member")
    args = parser.parse_args()
    runs = int(os.environ.get('BENCH_RUNS', 5))
    year = dt.date.today().year
    pool = fresh_database(
        'bench_consolidation', ['hub_consolidation', 'hub_invoicing'])
    from trytond.modules.account_consolidation.account import (
        Consolidation as StockConsolidation)
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    companies, count = build(pool, DB_NAME, args.members, args.lines, year)
    Consolidation = pool.get('account.consolidation')
    stock_get_amount = StockConsolidation.__dict__['get_amount'].__func__

    statements = {
        'income': (dt.date(year, 1, 1), dt.date(year, 12, 31)),
        'balance': (None, dt.date(year, 12, 31)),
        }
    results = []
    for statement, (start, end) in statements.items():
        ours, raw, stock = [], [], []

        def combined():
            return Consolidation.hub_combined(companies, [(start, end)])

        def floor():
            cursor = Transaction().connection.cursor()
            cursor.execute(RAW, {
                    'companies': companies, 'start': start, 'end': end})
            return cursor.fetchall()

        def stock_amounts():
            context = {'companies': companies, 'posted': True}
            if statement == 'income':
                context.update(from_date=start, to_date=end)
            else:
                context.update(date=end, cumulate=True)
            with Transaction().set_context(context):
                nodes = Consolidation.search([('hub_template', '!=', None)])
                return stock_get_amount(Consolidation, nodes, 'amount')
        for _ in range(runs):
            ours.append(timed(DB_NAME, combined)[0])
            raw.append(timed(DB_NAME, floor)[0])
        for _ in range(max(1, runs // 2)):
            stock.append(timed(DB_NAME, stock_amounts)[0])
        ours_s, raw_s, stock_s = map(statistics.median, (ours, raw, stock))
        results.append({
                'statement': statement, 'members': args.members,
                'lines': count,
                'combined_ms': round(ours_s * 1000, 1),
                'raw_ms': round(raw_s * 1000, 1),
                'stock_ms': round(stock_s * 1000, 1),
                'ratio_raw': round(ours_s / raw_s, 2),
                'ratio_stock': round(ours_s / stock_s, 2),
                })
    print('%-10s %8s %9s %12s %10s %10s %9s %11s' % (
            'statement', 'members', 'lines', 'combined ms', 'raw ms',
            'stock ms', 'vs raw', 'vs stock'))
    for r in results:
        print('%-10s %8s %9s %12.1f %10.1f %10.1f %9.2f %11.2f' % (
                r['statement'], r['members'], r['lines'], r['combined_ms'],
                r['raw_ms'], r['stock_ms'], r['ratio_raw'],
                r['ratio_stock']))
    worst = max(r['ratio_raw'] for r in results)
    print('worst ratio to the raw SQL floor %.2f (target <= %.1f): %s' % (
            worst, TARGET_RATIO, 'ok' if worst <= TARGET_RATIO else 'MISSED'))
    print('faster than stock account_consolidation: %s' % (
            'yes' if all(r['ratio_stock'] < 1 for r in results) else 'NO'))
    write_result('consolidation', {
            'target_ratio': TARGET_RATIO, 'runs': runs, 'results': results})


if __name__ == '__main__':
    main()

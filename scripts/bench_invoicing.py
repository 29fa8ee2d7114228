"""Benchmark of the shared-services billing run on PostgreSQL, on synthetic
data at scale (a benchmark, not a timed test: it prints a table of ratios
and writes JSON).

  scripts/bench_invoicing.py [--members 50] [--services 5] [--json var/bench/invoicing.json]

Needs a PostgreSQL server: TRYTOND_DATABASE_URI (default
postgresql://postgres@127.0.0.1:5432/).  Drops and creates the database
pole_bench (--database) with hub_invoicing activated, by scripts/benchlib
(from its cache of activated databases).

billing_run: a shared-services billing run for N members x S services (one
invoice per member from the collective, posted and mirrored, posted, in the
member's books: 2N invoices of S lines), as a ratio per invoice produced to
creating and posting the same invoices with stock Tryton in one
transaction (N customer invoices of the collective and N supplier invoices
of the members, S lines each).  Target: <= 1.2.

Run through the dispatcher: scripts/bench invoicing
"""
import argparse
import datetime as dt
import json
import pathlib
import time
from decimal import Decimal

from benchlib import fresh_database, log, run_restarted

parser = argparse.ArgumentParser()
parser.add_argument('--members', type=int, default=50)
parser.add_argument('--services', type=int, default=5)
parser.add_argument('--json', default='var/bench/invoicing.json')
parser.add_argument('--database', default='pole_bench')
parser.add_argument('--profile', action='store_true',
    help="write cProfile statistics of both runs under var/bench/")
args = parser.parse_args()

t0 = time.perf_counter()
# A fresh database with hub_invoicing, from the benchmarks' cache (keyed by
# the content of modules/) when it has it
fresh_database(args.database, 'hub_invoicing')
log("database ready in %.0f s" % (time.perf_counter() - t0))
from trytond.pool import Pool  # noqa: E402
from trytond.tests.test_tryton import DB_NAME as DB, USER  # noqa: E402
from trytond.transaction import Transaction  # noqa: E402


def in_transaction(func, *args):
    "Run func(*args) as the administrator, restarted to take its locks"
    return run_restarted(DB, USER, func, *args)


START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
N, S = args.members, args.services


def siret(n):
    from stdnum import luhn
    base = '%09d' % (400000000 + n)
    while not luhn.is_valid(base):
        base = '%09d' % (int(base) + 1)
    head = base + '%04d' % 1
    return head + luhn.calc_check_digit(head)


def setup():
    pool = Pool(DB)
    Member = pool.get('hub.member')
    ModelData = pool.get('ir.model.data')
    Template = pool.get('account.account.template')
    Account = pool.get('account.account')
    Mapping = pool.get('hub.invoicing.mapping')
    Service = pool.get('hub.service')
    Share = pool.get('hub.service.share')
    Party = pool.get('party.party')
    template = Template(ModelData.get_id('account_fr', 'root'))
    sirens = set()

    def new_siret():
        n = len(sirens) * 7 + 1
        value = siret(n)
        while value[:9] in sirens:
            n += 1
            value = siret(n)
        sirens.add(value[:9])
        return value
    collective = Member.onboard(
        "Collectif", new_siret(), 'other', template, START, END,
        collective=True)
    members = [Member.onboard(
            "Membre %02d" % i, new_siret(), 'aci', template, START, END)
        for i in range(N)]

    def account(member, kind):
        code = {'revenue': '706', 'expense': '604'}[kind]
        return Account.search([
                ('company', '=', member.company.id),
                ('code', '=', code)], limit=1)[0]
    # Onboarding made each member's default mapping (604): posted at once
    Mapping.write(Mapping.search([('target', 'in', [m.id for m in members])]),
        {'mirror_state': 'posted'})
    services = []
    for s in range(S):
        service = Service(name="Service %d" % s, company=collective.company,
            cost=Decimal('1000.00') + s, key='fixed', periodicity='month',
            account=account(collective, 'revenue'))
        service.shares = [Share(member=m, share=Decimal(i % 3 + 1))
            for i, m in enumerate(members)]
        services.append(service)
    Service.save(services)
    Address = pool.get('party.address')
    customers = [Party(name="Client %02d" % i, addresses=[Address()])
        for i in range(N)]
    Party.save(customers)
    return collective, members, customers


def stock_invoices(collective, members, customers):
    "N customer invoices of the collective, N supplier invoices of members"
    pool = Pool(DB)
    Invoice = pool.get('account.invoice')
    Line = pool.get('account.invoice.line')
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Party = pool.get('party.party')
    revenue, = Journal.search([('type', '=', 'revenue')], limit=1)
    expense, = Journal.search([('type', '=', 'expense')], limit=1)
    transaction = Transaction()
    out = []
    with transaction.set_context(company=collective.company.id):
        income = Account.search([
                ('company', '=', collective.company.id),
                ('code', '=', '706')], limit=1)[0]
        for customer in customers:
            customer = Party(customer.id)
            invoice = Invoice(company=collective.company, type='out',
                party=customer, journal=revenue,
                currency=collective.company.currency,
                invoice_date=dt.date(2026, 2, 28),
                account=customer.account_receivable_used,
                invoice_address=customer.address_get())
            invoice.lines = [Line(type='line', quantity=1,
                    unit_price=Decimal('200.00') + s, account=income,
                    description="Service %d" % s)
                for s in range(S)]
            out.append(invoice)
        Invoice.save(out)
        Invoice.post(out)
    in_ = []
    for member, supplier in zip(members, customers):
        with transaction.set_context(company=member.company.id):
            supplier = Party(supplier.id)
            charge = Account.search([
                    ('company', '=', member.company.id),
                    ('code', '=', '604')], limit=1)[0]
            invoice = Invoice(company=member.company, type='in',
                party=supplier, journal=expense,
                currency=member.company.currency,
                invoice_date=dt.date(2026, 2, 28), reference="X",
                account=supplier.account_payable_used,
                invoice_address=supplier.address_get())
            invoice.lines = [Line(type='line', quantity=1,
                    unit_price=Decimal('200.00') + s, account=charge,
                    description="Service %d" % s)
                for s in range(S)]
            in_.append(invoice)
    # Saved at once like the mirrors; posted one company at a time (stock
    # 8.0 cannot post the moves of several companies in one call)
    Invoice.save(in_)
    for invoice in in_:
        with transaction.set_context(company=invoice.company.id):
            Invoice.post([invoice])
    return len(out) + len(in_)


def billing_run(collective):
    pool = Pool(DB)
    Run = pool.get('hub.billing.run')
    with Transaction().set_context(
            company=collective.company.id, _skip_warnings=True):
        run = Run.get_run(collective.company, 'month', dt.date(2026, 3, 1))
        Run.process([run])
        run = Run(run.id)
        return sum(1 + len(i.mirrors) for i in run.invoices)




def setup_ids():
    collective, members, customers = setup()
    return collective.id, [m.id for m in members], [c.id for c in customers]


def timed(name, func, *func_args):
    "Return func's result and its duration (profiled with --profile)"
    if args.profile:
        import cProfile
        profile = cProfile.Profile()
        profile.enable()
    t0 = time.perf_counter()
    try:
        result = func(*func_args)
    finally:
        duration = time.perf_counter() - t0
        if args.profile:
            # The last attempt's profile is the one left in the file
            profile.disable()
            profile.dump_stats('var/bench/invoicing-%s.prof' % name)
    return result, duration


def run_stock(ids):
    Member = Pool(DB).get('hub.member')
    Party = Pool(DB).get('party.party')
    return timed('stock', stock_invoices,
        Member(ids[0]), Member.browse(ids[1]), Party.browse(ids[2]))


def run_billing(ids):
    Member = Pool(DB).get('hub.member')
    return timed('billing', billing_run, Member(ids[0]))


t0 = time.perf_counter()
ids = in_transaction(setup_ids)
print("%d members onboarded in %.0f s" % (N + 1, time.perf_counter() - t0))
results = {}
# A restarted transaction counts only its last, complete attempt
n_stock, stock = in_transaction(run_stock, ids)
n_run, run = in_transaction(run_billing, ids)

ratio = (run / n_run) / (stock / n_stock)
results['billing_run'] = {
    'members': N, 'services': S,
    'invoices_produced': n_run, 'seconds': round(run, 3),
    'stock_invoices': n_stock, 'stock_seconds': round(stock, 3),
    'ratio_per_invoice': round(ratio, 3), 'target': 1.2,
    }
print()
print("%-14s %10s %10s %10s %10s %8s %8s" % (
        "benchmark", "invoices", "seconds", "stock inv", "stock s",
        "ratio", "target"))
for name, r in results.items():
    print("%-14s %10d %10.2f %10d %10.2f %8.2f %8.2f" % (
            name, r['invoices_produced'], r['seconds'], r['stock_invoices'],
            r['stock_seconds'], r['ratio_per_invoice'], r['target']))
path = pathlib.Path(args.json)
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(results, indent=2))
print("\nwritten", path)

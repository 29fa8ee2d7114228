"""Our own wizards, reports and buttons seen from real clients: JSON-RPC to
a live trytond.

Tryton runs a wizard's transitions without access checks and takes a
report's data as the client sends it: whatever company, member, period or
record they name is checked by our code.  Two members, A (Jardins Alpha)
and B (Recyclerie Bêta, the collective), with their books: a posted
invoice from A to B (mirrored in B), a payroll file of B, B's annexe
financière with a payment of the aide au poste, a billing run of B not
processed yet.  A's director, the board and A's counsellor call each of
them with B's company, records or ids and get Tryton's access error, and
nothing is written (rows counted in SQL); the collective's accountant
working in A only (company filter "One") is refused B's books too, and does
everything once working in every member (filter "All").

The database is built server-side in a subprocess (`python
tests/test_our_access_rpc.py build IN OUT`).  SQLite by default, PostgreSQL
when TRYTOND_DATABASE_URI is set.
"""
import contextlib
import sqlite3
from decimal import Decimal

import pytest

from live import (
    RPCError, _pg_connect, build_lock_tables, build_main, connect, create_users,
    encode_scalar, read, search, serve_built)

MEMBERS = {
    'a': {'name': "Jardins Alpha", 'siret': '41234501900019'},
    'b': {'name': "Recyclerie Bêta", 'siret': '41234502700012'},
    }
USERS = {
    'director_a': ('a', 'role_director'),
    'board': (['a', 'b'], 'role_board'),
    'counsellor_a': ('a', 'insertion.role_counsellor'),
    # Created with A: the role gives the accountant every member
    'comptable': ('a', 'role_accountant'),
    }
OUTSIDERS = ['director_a', 'board', 'counsellor_a']
ACCESS_ERROR = 'You are not allowed to access'
READ_RULE_ERROR = 'You are not allowed to read records'
WIZARD_ERROR = 'You are not allowed to execute wizard'
REPORT_ERROR = 'You are not allowed to execute report'
BUTTON_ERROR = 'Calling button'
HEADER = ('mois;matricule;heures_payees;heures_travaillees;brut;'
    'cotisations_salariales;cotisations_patronales;net;impot_preleve\n')


# --- Server side: run in a subprocess, never imported by pytest's process


def _populate(pool, spec):
    from trytond.transaction import Transaction

    Account = pool.get('account.account')
    Agreement = pool.get('insertion.agreement')
    Consolidation = pool.get('account.consolidation')
    Contract = pool.get('insertion.contract')
    Date = pool.get('ir.date')
    Employee = pool.get('company.employee')
    FiscalYear = pool.get('account.fiscalyear')
    Import = pool.get('insertion.payroll.import')
    Invoice = pool.get('account.invoice')
    InvoiceLine = pool.get('account.invoice.line')
    Journal = pool.get('account.journal')
    Mapping = pool.get('hub.invoicing.mapping')
    Member = pool.get('hub.member')
    ModelData = pool.get('ir.model.data')
    Party = pool.get('party.party')
    PaymentMethod = pool.get('account.invoice.payment.method')
    Period = pool.get('account.period')
    Rate = pool.get('insertion.aid.rate')
    Run = pool.get('hub.billing.run')
    Service = pool.get('hub.service')
    Share = pool.get('hub.service.share')
    Template = pool.get('account.account.template')

    today = Date.today()
    year_start = today.replace(month=1, day=1)
    # A month of the year already begun: the last one, or January
    month = (today.replace(day=1, month=today.month - 1)
        if today.month > 1 else year_start)
    template = Template(ModelData.get_id('account_fr', 'root'))
    members, companies, result = {}, {}, {'members': {}}
    for key, value in sorted(spec['members'].items()):
        members[key] = member = Member.onboard(
            value['name'], value['siret'], 'aci', template, year_start,
            today.replace(month=12, day=31), collective=key == 'b')
        companies[key] = member.company

    def account(key, code):
        account, = Account.search([
                ('company', '=', companies[key].id), ('code', '=', code)])
        return account

    cash, = Journal.search([('type', '=', 'cash')], limit=1)
    revenue_journal, = Journal.search([('type', '=', 'revenue')], limit=1)
    for key, member in members.items():
        # Onboarding made the default mapping (604): posted at once
        Mapping.write(Mapping.search([('target', '=', member.id)]),
            {'mirror_state': 'posted'})
        method = PaymentMethod(name="Clearing", company=companies[key],
            journal=cash, debit_account=account(key, '5121'),
            credit_account=account(key, '5121'))
        method.save()
        member.clearing_method = method
        member.save()

    # A invoices B 1 000.00 on its 706: mirrored and posted in B
    with Transaction().set_context(company=companies['a'].id):
        party = Party(companies['b'].party.id)
        invoice = Invoice(company=companies['a'], type='out', party=party,
            invoice_address=party.address_get(type='invoice'),
            currency=companies['a'].currency, journal=revenue_journal,
            account=party.account_receivable_used, invoice_date=month,
            description="Entretien des espaces verts",
            lines=[InvoiceLine(company=companies['a'],
                    currency=companies['a'].currency, type='line',
                    account=account('a', '706'), quantity=1,
                    unit_price=Decimal('1000.00'),
                    description="Entretien des espaces verts")])
        invoice.save()
        Invoice.post([invoice])
    mirror, = invoice.mirrors

    # One permanent employee in each; B's payroll of the month imported
    employees = {}
    for key, code in [('a', 'A1'), ('b', 'B1')]:
        with Transaction().set_context(
                company=companies[key].id, companies=[companies[key].id]):
            employee = Employee(company=companies[key],
                party=Party(name="Salarié %s" % code, code=code))
            employee.party.save()
            employee.save()
            Contract(company=companies[key], employee=employee, kind='cdi',
                start_date=year_start, weekly_hours=Decimal(35)).save()
            employees[key] = employee
    import_ = Import.import_file(companies['b'], (HEADER
            + '%s;B1;151,67;147;1791,22;394,07;128,00;1397,15;0\n'
            % month.strftime('%Y-%m')).encode(), 'b.csv')

    # B's annexe financière and the ASP's payment of the month:
    # 12 ETP x 24 000.00 / 12 = 24 000.00
    Rate(measure='aci', start_date=year_start, amount=Decimal(24000),
        confirmed=True, reference_hours=Decimal(1820)).save()
    agreement = Agreement(company=companies['b'], number='ACI051260014A0M0',
        measure='aci', start_date=year_start,
        end_date=today.replace(month=12, day=31), etp=Decimal(12),
        reference_hours=Decimal(1820), modulation=Decimal(0))
    agreement.save()
    Agreement.validate_agreement([agreement])
    payment = agreement.record_monthly_payment(month)

    # The collective (B) bills A 300.00 a month for its accounting; the run
    # of the month is not processed yet
    with Transaction().set_context(company=companies['b'].id):
        Service(name="Comptabilité", company=companies['b'],
            cost=Decimal('300.00'), key='fixed', periodicity='month',
            account=account('b', '706'),
            shares=[Share(member=members['a'], share=Decimal(1))]).save()
        run = Run.get_run(companies['b'], 'month', month)

    for key in members:
        company = companies[key]
        period = Period.find(company, date=month)
        fiscalyear, = FiscalYear.search([('company', '=', company.id)])
        result['members'][key] = {
            'member': members[key].id,
            'company': company.id,
            'name': company.rec_name,
            'period': period.id,
            'fiscalyear': fiscalyear.id,
            'employee': employees[key].id,
            }
    result.update({
            'month': month.isoformat(),
            'invoice': invoice.id,
            'mirror': mirror.id,
            'import': import_.id,
            'lines': [l.id for l in import_.lines],
            'payment': payment.id,
            'run': run.id,
            'income': Consolidation.hub_roots('income')[0].id,
            # The clients send the action of a report in its data
            'reports': {
                name: ModelData.get_id(module, xml_id)
                for name, module, xml_id in [
                    ('trial_balance', 'hub_bookkeeping',
                        'report_trial_balance'),
                    ('statement', 'hub_bookkeeping', 'report_statement'),
                    ('consolidation', 'hub_consolidation',
                        'report_statement'),
                    ]},
            })
    result['users'] = create_users(spec, companies)
    return result


# --- Client side: the tests

@pytest.fixture(scope='module')
def live(tmp_path_factory):
    yield from serve_built(
        tmp_path_factory.mktemp('our_access_rpc'), 'ouracc', __file__,
        MEMBERS, USERS)


@pytest.fixture(scope='module')
def clients(live):
    return {login: connect(live, login) for login in USERS}


@contextlib.contextmanager
def sql(live):
    "A cursor on the live database, beside the server"
    database = live['server'].database
    if database.backend == 'sqlite':
        connection = sqlite3.connect(
            str(database.path / (database.name + '.sqlite')))
    else:
        connection = _pg_connect(database.uri, database.name)
    try:
        yield connection.cursor()
    finally:
        connection.close()


def rows(live, table, where=''):
    "The rows of table, as a sorted list, counted in SQL"
    with sql(live) as cursor:
        cursor.execute('SELECT * FROM "%s" %s ORDER BY id' % (table, where))
        return [tuple(r) for r in cursor.fetchall()]


def count(live, table):
    with sql(live) as cursor:
        cursor.execute('SELECT COUNT(*) FROM "%s"' % table)
        return cursor.fetchone()[0]


def refused(call, expected):
    with pytest.raises(RPCError) as info:
        call()
    assert info.value.kind == 'UserError', info.value.error
    assert expected in info.value.message, info.value.error
    return info.value.message


def rpc_date(iso):
    year, month, day = map(int, iso.split('-'))
    return {'__class__': 'date', 'year': year, 'month': month, 'day': day}


def rpc_decimal(value):
    return {'__class__': 'Decimal', 'decimal': value}


def rpc_bytes(data):
    return encode_scalar(data)


def working_in(client, company, company_filter='one'):
    "The company switcher and filter of the client's preferences"
    client.call('model.res.user.set_preferences', [
            {'company': company, 'company_filter': company_filter},
            client.ctx])
    client.load_context()


def run_wizard(client, name, state, data, context=None):
    "Create the wizard's session and run the state with the form's data"
    context = dict(client.ctx, **(context or {}))
    session, _, _ = client.call('wizard.%s.create' % name, [context])
    try:
        return client.call(
            'wizard.%s.execute' % name, [session, data, state, context])
    finally:
        client.call('wizard.%s.delete' % name, [session, context])


def payroll_file(live, code, gross='1791.22'):
    month = live['month'][:7]
    return rpc_bytes((HEADER + '%s;%s;151,67;147;%s;394,07;128,00;%s;0\n' % (
                month, code, gross.replace('.', ','),
                str(Decimal(gross) - Decimal('394.07')).replace('.', ','))
            ).encode())


# Every wizard of our modules that an outsider must not run
OUR_WIZARDS = [
    'insertion.payroll.import.wizard', 'hub.bookkeeping.batch',
    'hub.bookkeeping.trial_balance.print', 'hub.bookkeeping.statement.print',
    'hub.consolidation.update_tree',
    ]


@pytest.mark.parametrize('login', OUTSIDERS)
def test_outsiders_run_no_accountant_wizard(live, clients, login):
    "Payroll import, bookkeeping and the tree: for the accountants only"
    client = clients[login]
    for name in OUR_WIZARDS:
        refused(lambda: client.call('wizard.%s.create' % name, [client.ctx]),
            WIZARD_ERROR)
    b, reports = live['members']['b'], live['reports']
    refused(lambda: client.call(
            'report.hub.bookkeeping.trial_balance.execute',
            [[b['member']], {'id': b['member'], 'period': b['period'],
                    'action_id': reports['trial_balance']},
                client.ctx]), REPORT_ERROR)
    refused(lambda: client.call(
            'report.hub.bookkeeping.statement.execute',
            [[b['member']], {'id': b['member'],
                    'fiscalyear': b['fiscalyear'], 'period': None,
                    'action_id': reports['statement']},
                client.ctx]), REPORT_ERROR)


def test_payroll_import(live, clients):
    """The accountant working in A is refused B's payroll file, nothing
    imported; working in every member, she imports A's"""
    a, b = live['members']['a'], live['members']['b']
    comptable = clients['comptable']
    working_in(comptable, a['company'])
    before = (count(live, 'insertion_payroll_import'),
        count(live, 'insertion_payroll_line'))
    message = refused(lambda: run_wizard(comptable,
            'insertion.payroll.import.wizard', 'import_', {'start': {
                    'company': b['company'],
                    'file': payroll_file(live, 'B1', '1800.00'),
                    'filename': 'autre.csv'}}), 'You are not allowed to import')
    assert '"%s"' % b['name'] in message
    # No employee of B is named to her
    assert 'B1' not in message and 'Salarié' not in message
    assert (count(live, 'insertion_payroll_import'),
        count(live, 'insertion_payroll_line')) == before

    working_in(comptable, a['company'], 'all')
    run_wizard(comptable, 'insertion.payroll.import.wizard', 'import_', {
            'start': {'company': a['company'],
                'file': payroll_file(live, 'A1'), 'filename': 'a.csv'}})
    line, = read(comptable, 'insertion.payroll.line', search(
            comptable, 'insertion.payroll.line',
            [('company', '=', a['company'])]),
        ['employee', 'gross', 'net', 'state'])
    # 1 791.22 - 394.07 - 0 = 1 397.15
    assert (line['employee'], line['gross'], line['net'], line['state']) == (
        a['employee'], Decimal('1791.22'), Decimal('1397.15'), 'draft')


@pytest.mark.parametrize('login', OUTSIDERS)
def test_no_payroll_line(live, clients, login):
    "Per-person salaries: no line, no import, not even by a name"
    client = clients[login]
    for model in ['insertion.payroll.line', 'insertion.payroll.import']:
        refused(lambda: search(client, model), ACCESS_ERROR)
    refused(lambda: search(client, 'insertion.payroll.line',
            [('employee.rec_name', 'ilike', '%Salarié%')]), ACCESS_ERROR)
    refused(lambda: read(client, 'insertion.payroll.line', live['lines'],
            ['gross']), ACCESS_ERROR)
    refused(lambda: client.model('insertion.payroll.line', 'create',
            [{'company': live['members']['a']['company']}]), ACCESS_ERROR)


def test_aid_payment(live, clients):
    """B's payment of the aide au poste: A's director may neither read nor
    rewrite nor delete it; nor may the accountant working in A"""
    payment = live['payment']
    before = rows(live, 'insertion_payroll_aid_payment')
    director = clients['director_a']
    assert search(director, 'insertion.payroll.aid.payment') == []
    refused(lambda: read(director, 'insertion.payroll.aid.payment',
            [payment], ['amount']), READ_RULE_ERROR)
    for call in [
            lambda: director.model('insertion.payroll.aid.payment', 'write',
                [payment], {'amount': rpc_decimal('1.00')}),
            lambda: director.model(
                'insertion.payroll.aid.payment', 'delete', [payment]),
            ]:
        refused(call, ACCESS_ERROR)
    comptable = clients['comptable']
    working_in(comptable, live['members']['a']['company'])
    for call in [
            lambda: comptable.model('insertion.payroll.aid.payment', 'write',
                [payment], {'amount': rpc_decimal('1.00')}),
            lambda: comptable.model(
                'insertion.payroll.aid.payment', 'delete', [payment]),
            ]:
        refused(call, 'You are not allowed to')
    assert rows(live, 'insertion_payroll_aid_payment') == before
    # The board reads it working in both: a figure of a structure,
    # 12 x 24 000.00 / 12
    board = clients['board']
    working_in(board, live['members']['a']['company'], 'all')
    figures, = read(board, 'insertion.payroll.aid.payment', [payment],
        ['amount'])
    assert figures['amount'] == Decimal('24000.00')


def test_clearing(live, clients):
    """Clearing A's invoice to B: refused to A's director (the button's
    group) and to the accountant working in A (B's side), nothing posted;
    done once she works in both"""
    a, b = live['members']['a'], live['members']['b']
    invoice, mirror = live['invoice'], live['mirror']
    moves = count(live, 'account_move')
    for login in OUTSIDERS:
        client = clients[login]
        refused(lambda: client.model(
                'account.invoice', 'hub_clear', [invoice]),
            BUTTON_ERROR if login == 'director_a' else ACCESS_ERROR)
        refused(lambda: client.call('wizard.hub.invoicing.clear.create', [
                    dict(client.ctx, active_model='account.invoice',
                        active_id=invoice, active_ids=[invoice])]),
            ACCESS_ERROR if login != 'director_a' else WIZARD_ERROR)
    comptable = clients['comptable']
    working_in(comptable, a['company'])
    context = {'active_model': 'account.invoice', 'active_id': invoice,
        'active_ids': [invoice]}
    for call in [
            lambda: comptable.model('account.invoice', 'hub_clear',
                [invoice], rpc_date(live['month'])),
            lambda: run_wizard(comptable, 'hub.invoicing.clear', 'clear',
                {'start': {'date': rpc_date(live['month'])}}, context),
            ]:
        message = refused(call, 'You are not allowed to clear')
        assert '"%s"' % b['name'] in message
    assert count(live, 'account_move') == moves

    working_in(comptable, a['company'], 'all')
    run_wizard(comptable, 'hub.invoicing.clear', 'clear',
        {'start': {'date': rpc_date(live['month'])}}, context)
    states = read(comptable, 'account.invoice', [invoice, mirror],
        ['state', 'amount_to_pay'])
    assert [(s['state'], s['amount_to_pay']) for s in states] == [
        ('paid', Decimal('0.00')), ('paid', Decimal('0.00'))]
    # A payment move on each side
    assert count(live, 'account_move') == moves + 2


def test_trial_balance(live, clients):
    """The trial balance and statements take only a member given to the
    user, whatever the current company, with its own period and fiscal
    year"""
    a, b = live['members']['a'], live['members']['b']
    director = clients['director_a']
    message = refused(lambda: director.model(
            'hub.member', 'trial_balance', b['period']),
        'You have no access to the books of')
    assert b['name'] in message
    comptable = clients['comptable']
    working_in(comptable, a['company'])
    # Given both members, she prints B's from A's books (issue 21): the
    # wizard takes B's period, the report is B's
    result = run_wizard(comptable, 'hub.bookkeeping.trial_balance.print',
        'print_', {'start': {'member': b['member'], 'period': b['period']}})
    assert result['actions'], result
    report = comptable.call('report.hub.bookkeeping.trial_balance.execute',
        [[b['member']], {'id': b['member'], 'period': b['period']},
            comptable.ctx])
    assert report[0] == 'odt' and b['name'] in report[3], report[3]
    # A member with another member's period: in a wizard's form, refused
    # first by hub's check of the values (read in A's books); the report
    # names the mismatch
    data = {'member': a['member'], 'period': b['period']}
    refused(lambda: run_wizard(comptable,
            'hub.bookkeeping.trial_balance.print', 'print_',
            {'start': data}), READ_RULE_ERROR)
    refused(lambda: comptable.call(
            'report.hub.bookkeeping.trial_balance.execute',
            [[a['member']], {'id': a['member'], 'period': b['period']},
                comptable.ctx]),
        'is not in the books of "%s"' % a['name'])
    refused(lambda: comptable.call('report.hub.bookkeeping.statement.execute',
            [[a['member']], {'id': a['member'],
                    'fiscalyear': b['fiscalyear'], 'period': None},
                comptable.ctx]), 'is not in the books of')
    refused(lambda: run_wizard(comptable, 'hub.bookkeeping.statement.print',
            'print_', {'start': {'member': a['member'],
                    'fiscalyear': a['fiscalyear'], 'period': b['period']}}),
        READ_RULE_ERROR)
    # Her own member's: the invoice to B, 1 000.00 credited on 706
    rows = comptable.model('hub.member', 'trial_balance', a['period'])
    sales, = [r for r in rows if r['code'] == '706']
    assert (sales['debit'], sales['credit']) == (
        Decimal('0.00'), Decimal('1000.00'))
    report = comptable.call('report.hub.bookkeeping.trial_balance.execute',
        [[a['member']], {'id': a['member'], 'period': a['period']},
            comptable.ctx])
    assert report[0] == 'odt'


def test_batch_other_member(live, clients):
    "The batch over members names only members whose books she was given"
    comptable = clients['comptable']
    working_in(comptable, live['members']['a']['company'])
    # Given both members: the batch closes nothing in the future and
    # reports each member
    result = run_wizard(comptable, 'hub.bookkeeping.batch', 'run', {
            'start': {'action': 'lock_fiscalyear',
                'date': rpc_date('2000-01-01'),
                'members': [live['members']['b']['member']]}})
    results = result['view']['defaults']['results']
    assert results == (
        '%s: Lock the fiscal year: failed: "%s" has no fiscal year '
        'containing 01/01/2000.' % ((live['members']['b']['name'],) * 2))


def test_consolidation(live, clients):
    """The drill-down takes a member the user works in; the counsellor and
    the board run no drill-down, the counsellor no combined figures"""
    a, b = live['members']['a'], live['members']['b']
    month = live['month']
    start = {'consolidation': live['income'], 'eliminations': False,
        'from_date': rpc_date(month[:4] + '-01-01'),
        'to_date': rpc_date(month)}
    director = clients['director_a']
    refused(lambda: run_wizard(director, 'hub.consolidation.open_lines',
            'open_', {'start': dict(start, member=b['member'])}),
        'You are not allowed to open the move lines of "%s"' % b['name'])
    result = run_wizard(director, 'hub.consolidation.open_lines', 'open_',
        {'start': dict(start, member=a['member'])})
    (action, _), = result['actions']
    assert action['res_model'] == 'account.move.line'
    for login in ['board', 'counsellor_a']:
        client = clients[login]
        refused(lambda: client.call(
                'wizard.hub.consolidation.open_lines.create', [client.ctx]),
            WIZARD_ERROR)
    counsellor = clients['counsellor_a']
    for name in ['hub.consolidation.statement.print',
            'hub.consolidation.dashboard.open']:
        refused(lambda: counsellor.call(
                'wizard.%s.create' % name, [counsellor.ctx]), WIZARD_ERROR)
    refused(lambda: counsellor.call(
            'report.hub.consolidation.statement.execute', [[], {
                    'from_date': rpc_date(month), 'to_date': rpc_date(month),
                    'members': [],
                    'action_id': live['reports']['consolidation']},
                counsellor.ctx]), REPORT_ERROR)
    refused(lambda: counsellor.model(
            'account.consolidation', 'hub_dashboard', None),
        'Only the collective')


def test_billing_run(live, clients):
    """B's billing run: refused to the outsiders and to the accountant
    working in A, nothing invoiced; she runs it working in B"""
    run = live['run']
    invoices = count(live, 'account_invoice')
    for login in OUTSIDERS:
        client = clients[login]
        refused(lambda: client.model('hub.billing.run', 'process', [run]),
            ACCESS_ERROR)
    comptable = clients['comptable']
    working_in(comptable, live['members']['a']['company'])
    refused(lambda: comptable.model('hub.billing.run', 'process', [run]),
        READ_RULE_ERROR)
    assert count(live, 'account_invoice') == invoices

    working_in(comptable, live['members']['b']['company'])
    comptable.model('hub.billing.run', 'process', [run])
    figures, = read(comptable, 'hub.billing.run', [run],
        ['state', 'invoices'])
    assert figures['state'] == 'done'
    invoice, = read(comptable, 'account.invoice', figures['invoices'],
        ['party', 'total_amount', 'state'])
    # 300.00 for the only member billed, A; mirrored in A's books
    assert invoice['total_amount'] == Decimal('300.00')
    assert invoice['state'] == 'posted'
    assert count(live, 'account_invoice') == invoices + 2


if __name__ == '__main__':
    build_main(['insertion_payroll', 'hub_invoicing', 'hub_consolidation',
            'hub_bookkeeping'], _populate,
        lock_tables=build_lock_tables)

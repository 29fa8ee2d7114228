"""Insertion data seen from real clients: JSON-RPC to a live trytond.

Three ACI.  A: six people hired on a CDDI on 6 January 2025 — Alice, Agathe,
Anna, Aude and Ariane (women), Arthur (a man); Alice and Agathe on RSA,
everyone but Arthur in a QPV; all born in 1990 (35 at eligibility),
education CAP.  Alice works 15 hours a week under a derogation for a health
reason, her PASS IAE has a suspension (contract suspended) and a
prolongation for RQTH, she has an address and a mobile number, and she left to a CDI on 5
July 2025 (181 days, examined).  B: Bruno, a man in a QPV, the same path and exit.  C: five men,
no criterion, no exit.  Sam is a permanent employee of both A and B; the
Mairie de Reims is an ordinary party.

Over JSON-RPC, for A's director, board member and counsellor, B's director
and the collective's accountant:

- no profile field for anyone but the counsellor (read, search, count,
  export, views); the reasons of suspensions, prolongations and derogations
  for the counsellor only;
- no person at all for the board member;
- the parties of A's people: read by A's users (but the board member),
  written by A's counsellor, not by A's director; unknown to B's director;
  the shared Sam read by both directors;
- the indicators: whole months only, each user's own structures and the
  pôle, under statistical secrecy (hand-worked below) but for A's
  counsellor, who reads A exact.

The database is built server-side in a subprocess (`python
tests/test_insertion_rpc.py build IN OUT`), without charts of accounts.
SQLite by default, PostgreSQL when TRYTOND_DATABASE_URI is set.
"""
import datetime as dt
from decimal import Decimal

import pytest

from live import (
    RPCError, build_main, connect, create_users, read, search,
    serve_built)

# name, gender, RSA, QPV, exit destination
MEMBERS = {
    'a': {'name': "Jardins Alpha", 'siret': '41234501900019', 'people': [
            ("Alice Martin", 'female', True, True, 'cdi'),
            ("Agathe Morel", 'female', True, True, None),
            ("Anna Roux", 'female', False, True, None),
            ("Aude Blanc", 'female', False, True, None),
            ("Ariane Noël", 'female', False, True, None),
            ("Arthur Vidal", 'male', False, False, None),
            ]},
    'b': {'name': "Jardins Bêta", 'siret': '41234502700012', 'people': [
            ("Bruno Petit", 'male', False, True, 'cdi'),
            ]},
    'c': {'name': "Jardins Gamma", 'siret': '41234503500015', 'people': [
            ("Cyril Hugo", 'male', False, False, None),
            ("Cédric Faure", 'male', False, False, None),
            ("Clément Roy", 'male', False, False, None),
            ("Côme Perrin", 'male', False, False, None),
            ("Cyprien Leroy", 'male', False, False, None),
            ]},
    }
# login: (members, role xml id)
USERS = {
    'board_a': ('a', 'role_board'),
    'counsellor_a': ('a', 'insertion.role_counsellor'),
    'director_a': ('a', 'role_director'),
    'director_b': ('b', 'role_director'),
    'comptable': (['a'], 'role_accountant'),
    }
READ_RULE_ERROR = 'You are not allowed to read records'
WRITE_RULE_ERROR = 'You are not allowed to write to records'
CREATE_RULE_ERROR = 'You are not allowed to create records'
ACCESS_ERROR = 'You are not allowed to access'
PERSONAL = ['birth_date', 'gender', 'rsa', 'qpv', 'education_level']
PROFILE_FIELDS = [
    'company', 'employee', 'birth_date', 'gender', 'eligibility_date', 'age',
    'rsa', 'ass', 'aah', 'very_long_unemployed', 'long_unemployed', 'rqth',
    'qpv', 'zrr', 'ase', 'refugee', 'justice', 'single_parent', 'homeless',
    'french_level', 'mobility', 'education_level', 'situation', 'eligible',
    'eligibility']
COUNTS = [
    'people', 'entries', 'women', 'men', 'under_26', 'over_50', 'rsa', 'ass',
    'aah', 'rqth', 'qpv', 'zrr', 'long_unemployed', 'below_cap',
    'exits', 'exits_durable', 'exits_transition', 'exits_positive',
    'exits_other', 'exits_withdrawn', 'exits_examined', 'exits_dynamic',
    'path_days']
TEXTS = [c + '_text' for c in COUNTS + ['dynamic_rate', 'average_path']]


# --- Server side: run in a subprocess, never imported by pytest's process


def _populate(pool, spec):
    from trytond.transaction import Transaction

    Address = pool.get('party.address')
    Company = pool.get('company.company')
    ContactMechanism = pool.get('party.contact_mechanism')
    Contract = pool.get('insertion.contract')
    Currency = pool.get('currency.currency')
    Date = pool.get('ir.date')
    Employee = pool.get('company.employee')
    Exit = pool.get('insertion.exit')
    Member = pool.get('hub.member')
    Party = pool.get('party.party')
    Pass = pool.get('insertion.pass')
    Profile = pool.get('insertion.employee.profile')
    Prolongation = pool.get('insertion.pass.prolongation')
    Suspension = pool.get('insertion.pass.suspension')

    euro, = Currency.search([('code', '=', 'EUR')]) or [None]
    if not euro:
        euro = Currency(name="Euro", code='EUR', symbol='€')
        euro.save()
    today = Date.today()
    result = {'members': {}, 'users': {}}
    companies = {}
    number = 0
    for key, value in sorted(spec['members'].items()):
        party = Party(name=value['name'])
        party.save()
        company = Company(party=party, currency=euro)
        company.save()
        Member(company=company, kind='aci', siret=value['siret'],
            joined=dt.date(2020, 1, 1)).save()
        companies[key] = company
        ids = result['members'][key] = {
            'company': company.id, 'party': party.id, 'people': {}}
        with Transaction().set_context(
                company=company.id, companies=[company.id]):
            for name, gender, rsa, qpv, destination in value['people']:
                number += 1
                person = Party(name=name)
                person.save()
                employee = Employee(company=company, party=person)
                employee.save()
                profile = Profile(company=company, employee=employee,
                    birth_date=dt.date(1990, 1, 1),
                    eligibility_date=dt.date(2025, 1, 1),
                    gender=gender, rsa=rsa, qpv=qpv, education_level='cap')
                profile.save()
                pass_ = Pass(party=employee.party,
                    number='99999%07d' % number,
                    start_date=dt.date(2025, 1, 1))
                pass_.save()
                alice = name == "Alice Martin"
                contract = Contract(company=company, employee=employee,
                    kind='cddi', start_date=dt.date(2025, 1, 6),
                    planned_end_date=dt.date(2025, 7, 5),
                    end_date=dt.date(2025, 7, 5) if destination else None,
                    weekly_hours=Decimal(15 if alice else 26),
                    derogation_reason="Raison de santé" if alice else None,
                    derogation_end_date=(
                        dt.date(2025, 3, 31) if alice else None))
                contract.save()
                person_ids = ids['people'][name] = {
                    'party': person.id,
                    'employee': employee.id,
                    'profile': profile.id,
                    'pass': pass_.id,
                    'contract': contract.id,
                    }
                if destination:
                    exit = Exit(company=company, employee=employee,
                        date=dt.date(2025, 7, 5), destination=destination)
                    exit.save()
                    person_ids['exit'] = exit.id
                if alice:
                    start = today - dt.timedelta(days=30)
                    suspension = Suspension(pass_=pass_,
                        reason='contract_suspended', start_date=start,
                        end_date=start + dt.timedelta(days=20))
                    suspension.save()
                    # A prolongation starts on the end of the PASS
                    end = Pass(pass_.id).end_date
                    prolongation = Prolongation(pass_=pass_, reason='rqth',
                        start_date=end, end_date=end + dt.timedelta(180))
                    prolongation.save()
                    address = Address(party=person, street="1 rue des Lilas",
                        postal_code='51100', city="Reims")
                    address.save()
                    phone = ContactMechanism(party=person, type='mobile',
                        value='+33612345678')
                    phone.save()
                    person_ids.update({
                            'suspension': suspension.id,
                            'prolongation': prolongation.id,
                            'address': address.id,
                            'phone': phone.id,
                            })

    Agreement = pool.get('insertion.agreement')
    Agreement(company=companies['a'], number='ACI051250001A0M0',
        measure='aci', start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31), etp=Decimal(4),
        reference_hours=Decimal(1820)).save()

    # Permanent staff of both A and B; an ordinary party
    sam = Party(name="Sam Partagé")
    sam.save()
    for key in ['a', 'b']:
        Employee(company=companies[key], party=sam).save()
    mairie = Party(name="Mairie de Reims")
    mairie.save()
    result['sam'], result['mairie'] = sam.id, mairie.id

    result['users'] = create_users(spec, companies)
    return result


# --- Client side: the tests

@pytest.fixture(scope='module')
def live(tmp_path_factory):
    yield from serve_built(
        tmp_path_factory.mktemp('insertion_rpc'), 'insrpc', __file__,
        MEMBERS, USERS)


def rpc_date(year, month, day):
    "A date as Tryton's JSON-RPC encodes it"
    return {'__class__': 'date', 'year': year, 'month': month, 'day': day}


def period(client, start=(2025, 1, 1), end=(2025, 12, 31)):
    return dict(client.ctx, from_date=rpc_date(*start), to_date=rpc_date(*end))


def refused(call, expected):
    with pytest.raises(RPCError) as info:
        call()
    assert info.value.kind == 'UserError', info.value.error
    assert expected in info.value.message, info.value.error


def person(live, key, name):
    return live['members'][key]['people'][name]


def open_views(client, model, view_types=('tree', 'form'), context=None):
    """What the client does to open a model: each view, then a read of the
    fields it asks for on what the user finds; return the fields"""
    names = set()
    for view_type in view_types:
        view = client.model(
            model, 'fields_view_get', None, view_type, context=context)
        ids = search(client, model, context=context)
        assert ids, (client.login_name, model)
        read(client, model, ids, list(view['fields']), context=context)
        names |= set(view['fields'])
    return names


def figures(client, ids, context):
    "{company: {text field: text}} of the indicators ids"
    rows = read(client, 'insertion.indicator', ids, ['company'] + TEXTS,
        context=context)
    return {r['company']: {f[:-len('_text')]: r[f] for f in TEXTS}
        for r in rows}


@pytest.fixture(scope='module')
def board_a(live):
    return connect(live, 'board_a')


@pytest.fixture(scope='module')
def counsellor_a(live):
    return connect(live, 'counsellor_a')


@pytest.fixture(scope='module')
def comptable(live):
    return connect(live, 'comptable')


@pytest.fixture(scope='module')
def director_a(live):
    return connect(live, 'director_a')


@pytest.fixture(scope='module')
def director_b(live):
    return connect(live, 'director_b')


# A's row for whoever is not A's counsellor, worked by hand from the people:
# Arthur is the only man (1: "< 5") so the 5 women are hidden too (one
# gender gives the other); 2 on RSA; 5 of 6 in a QPV: hidden since Arthur,
# left out, is alone; 1 exit, so every figure of the exits ("< 5", the 181
# days of the path "hidden"); no one under 26 nor 50 or more, no other
# criterion: 0, and 6 entries of 6.
A_SECRET = {
    'people': '6', 'entries': '6', 'women': 'hidden', 'men': '< 5',
    'under_26': '0', 'over_50': '0', 'rsa': '< 5', 'ass': '0', 'aah': '0',
    'rqth': '0', 'qpv': 'hidden', 'zrr': '0', 'long_unemployed': '0',
    'below_cap': '0', 'exits': '< 5', 'exits_durable': '< 5',
    'exits_transition': '< 5', 'exits_positive': '< 5',
    'exits_other': '< 5', 'exits_withdrawn': '< 5', 'exits_examined': '< 5',
    'exits_dynamic': '< 5', 'path_days': 'hidden', 'dynamic_rate': 'hidden',
    'average_path': 'hidden'}
# The pôle for A's users: 12 people (6 + 1 + 5), 5 women, 7 men, 2 on RSA
# ("< 5"), 6 in a QPV, hidden: the pôle minus A would be Bruno alone; the 2
# exits ("< 5") and everything of them.
POLE_FOR_A = dict(A_SECRET, people='12', entries='12', women='5', men='7')


def test_profile_counsellor_only(live, director_a, comptable, board_a):
    "No field of the profile for the director, the accountant, the board"
    alice = person(live, 'a', "Alice Martin")
    model = 'insertion.employee.profile'
    for client in [director_a, comptable, board_a]:
        refused(lambda: read(client, model, [alice['profile']], ['rsa']),
            ACCESS_ERROR)
        refused(lambda: search(client, model, [('gender', '=', 'female')]),
            ACCESS_ERROR)
        refused(lambda: client.model(model, 'search_count', []),
            ACCESS_ERROR)
        refused(lambda: client.model(
                model, 'export_data', [alice['profile']], ['birth_date']),
            ACCESS_ERROR)
        # Even the views show no field of it
        for view_type in ['form', 'tree']:
            view = client.model(model, 'fields_view_get', None, view_type)
            assert view['fields'] == {}, (client.login_name, view['fields'])
            assert not set(PROFILE_FIELDS) & set(
                    view['arch'].replace('"', ' ').split()), view['arch']


def test_director_reads_contracts_not_reasons(live, director_a):
    "The director reads the contracts, PASS and dates, not the reasons"
    alice = person(live, 'a', "Alice Martin")
    contract_view = director_a.model(
        'insertion.contract', 'fields_view_get', None, 'form')
    assert 'derogation_reason' not in contract_view['fields']
    assert 'derogation_end_date' in contract_view['fields']
    contract, = read(director_a, 'insertion.contract', [alice['contract']],
        list(contract_view['fields']))
    assert contract['weekly_hours'] == Decimal(15)
    assert contract['derogation_end_date'] == dt.date(2025, 3, 31)
    refused(lambda: read(director_a, 'insertion.contract',
            [alice['contract']], ['derogation_reason']), ACCESS_ERROR)
    refused(lambda: search(director_a, 'insertion.contract',
            [('derogation_reason', 'ilike', '%santé%')]), ACCESS_ERROR)
    refused(lambda: director_a.model('insertion.contract', 'export_data',
            [alice['contract']], ['derogation_reason']), ACCESS_ERROR)

    pass_view = director_a.model(
        'insertion.pass', 'fields_view_get', None, 'form')
    pass_, = read(director_a, 'insertion.pass', [alice['pass']],
        list(pass_view['fields']))
    assert pass_['suspensions'] == [alice['suspension']]
    assert pass_['prolongations'] == [alice['prolongation']]
    for model, key in [
            ('insertion.pass.suspension', 'suspension'),
            ('insertion.pass.prolongation', 'prolongation')]:
        view = director_a.model(model, 'fields_view_get', None, 'tree')
        assert 'reason' not in view['fields'], model
        row, = read(director_a, model, [alice[key]], list(view['fields']))
        assert row['days'] > 0
        refused(lambda: read(director_a, model, [alice[key]], ['reason']),
            ACCESS_ERROR)
        refused(lambda: search(director_a, model,
                [('reason', 'in', ['contract_suspended', 'rqth'])]), ACCESS_ERROR)
    exit, = read(director_a, 'insertion.exit', [alice['exit']],
        ['category', 'examined'])
    assert exit['category'] == 'durable'


def test_views_open(live, director_a, comptable, counsellor_a, board_a):
    "Each opens the lists and forms of their menus, without what they may not"
    for client, models in [
            (director_a, ['insertion.agreement', 'insertion.pass',
                    'insertion.pass.suspension', 'insertion.pass.prolongation',
                    'insertion.contract', 'insertion.exit']),
            (comptable, ['insertion.agreement', 'insertion.contract']),
            (counsellor_a, ['insertion.employee.profile', 'insertion.pass',
                    'insertion.pass.suspension', 'insertion.pass.prolongation',
                    'insertion.contract', 'insertion.exit']),
            (board_a, ['insertion.agreement']),
            ]:
        names = set()
        for model in models:
            names |= open_views(client, model)
        counsellor = client is counsellor_a
        assert ('reason' in names) == counsellor
        assert ('derogation_reason' in names) == counsellor
        assert 'derogation_end_date' in names or client is board_a
    for client in [director_a, board_a, counsellor_a, comptable]:
        open_views(client, 'insertion.indicator', ['tree', 'form', 'graph'],
            context=period(client))


def test_counsellor_reads_own_people(live, counsellor_a):
    "A's counsellor reads A's people, criteria and reasons, never B's"
    alice = person(live, 'a', "Alice Martin")
    bruno = person(live, 'b', "Bruno Petit")
    a = live['members']['a']
    profiles = search(counsellor_a, 'insertion.employee.profile')
    assert sorted(profiles) == sorted(
        p['profile'] for p in a['people'].values())
    profile, = read(counsellor_a, 'insertion.employee.profile',
        [alice['profile']], PERSONAL + ['employee.rec_name'])
    assert profile['employee.']['rec_name'] == "Alice Martin"
    assert (profile['gender'], profile['rsa']) == ('female', True)
    view = counsellor_a.model(
        'insertion.employee.profile', 'fields_view_get', None, 'form')
    assert set(view['fields']) - {'id'} == set(PROFILE_FIELDS)
    suspension, = read(counsellor_a, 'insertion.pass.suspension',
        [alice['suspension']], ['reason'])
    assert suspension['reason'] == 'contract_suspended'
    contract, = read(counsellor_a, 'insertion.contract', [alice['contract']],
        ['derogation_reason'])
    assert contract['derogation_reason'] == "Raison de santé"
    for model, key, fields in [
            ('insertion.employee.profile', 'profile', PERSONAL),
            ('company.employee', 'employee', ['party.name']),
            ('insertion.pass', 'pass', ['number']),
            ('insertion.contract', 'contract', ['employee']),
            ('insertion.exit', 'exit', ['destination']),
            ]:
        refused(lambda: read(counsellor_a, model, [bruno[key]], fields),
            READ_RULE_ERROR)
    # Asking for B in the context does not widen it
    context = dict(counsellor_a.ctx, company=live['members']['b']['company'],
        companies=[a['company'], live['members']['b']['company']])
    assert sorted(search(counsellor_a, 'insertion.employee.profile',
            context=context)) == sorted(profiles)


def test_accountant_reads_contracts_not_criteria(live, comptable):
    "The accountant has every structure's contracts, not the criteria"
    alice = person(live, 'a', "Alice Martin")
    bruno = person(live, 'b', "Bruno Petit")
    for key, someone in [('b', bruno), ('a', alice)]:
        # What the client's company switcher does
        comptable.call('model.res.user.set_preferences', [
                {'company': live['members'][key]['company']}, comptable.ctx])
        comptable.load_context()
        assert someone['contract'] in search(comptable, 'insertion.contract')
    contract, = read(comptable, 'insertion.contract', [alice['contract']],
        ['kind', 'start_date', 'end_date', 'weekly_hours'])
    assert contract['kind'] == 'cddi'
    assert contract['weekly_hours'] == Decimal(15)
    refused(lambda: read(comptable, 'insertion.contract',
            [alice['contract']], ['derogation_reason']), ACCESS_ERROR)
    refused(lambda: read(comptable, 'insertion.exit',
            [alice['exit']], ['destination']), ACCESS_ERROR)
    # The persons of the current company's people, and the ordinary parties
    parties = search(comptable, 'party.party')
    assert {alice['party'], live['sam'], live['mairie'],
        live['members']['b']['party']} <= set(parties)
    assert bruno['party'] not in parties
    party, = read(comptable, 'party.party', [alice['party']], ['name'])
    assert party['name'] == "Alice Martin"


def test_board_reads_no_person(live, board_a):
    "No person for the board: no search, no count, no read"
    alice = person(live, 'a', "Alice Martin")
    for domain in [[], [('party.name', 'ilike', 'Ali%')]]:
        assert search(board_a, 'company.employee', domain) == []
        assert board_a.model(
            'company.employee', 'search_count', domain) == 0
    refused(lambda: read(board_a, 'company.employee', [alice['employee']],
            ['party.name']), READ_RULE_ERROR)
    for model, key, fields in [
            ('insertion.employee.profile', 'profile', PERSONAL),
            ('insertion.pass', 'pass', ['number']),
            ('insertion.pass.suspension', 'suspension', ['start_date']),
            ('insertion.pass.prolongation', 'prolongation', ['start_date']),
            ('insertion.contract', 'contract', ['employee']),
            ('insertion.exit', 'exit', ['employee', 'destination']),
            ]:
        refused(lambda: search(board_a, model), ACCESS_ERROR)
        refused(lambda: search(board_a, model,
                [('employee.party.name', 'ilike', 'Ali%')]
                if 'employee' in fields else []), ACCESS_ERROR)
        refused(lambda: board_a.model(model, 'search_count', []),
            ACCESS_ERROR)
        refused(lambda: read(board_a, model, [alice[key]], fields),
            ACCESS_ERROR)
    # Nor their parties: the ordinary ones only
    parties = search(board_a, 'party.party')
    assert live['mairie'] in parties
    assert not {p['party'] for m in live['members'].values()
        for p in m['people'].values()} & set(parties)
    assert live['sam'] not in parties
    assert search(board_a, 'party.party', [('name', 'ilike', 'Ali%')]) == []
    assert board_a.model('party.party', 'search_count',
        [('name', 'ilike', 'Ali%')]) == 0
    refused(lambda: read(board_a, 'party.party', [alice['party']], ['name']),
        READ_RULE_ERROR)
    refused(lambda: read(board_a, 'party.address', [alice['address']],
            ['street']), READ_RULE_ERROR)
    refused(lambda: read(board_a, 'party.contact_mechanism',
            [alice['phone']], ['value']), READ_RULE_ERROR)
    assert search(board_a, 'party.contact_mechanism',
        [('value', 'like', '+336%')]) == []
    refused(lambda: board_a.model('party.party', 'export_data',
            [alice['party']], ['name']), READ_RULE_ERROR)
    # The annexes financières are figures of the State's agreements
    agreement, = read(board_a, 'insertion.agreement',
        search(board_a, 'insertion.agreement'), ['number', 'etp'])
    assert (agreement['number'], agreement['etp']) == (
        'ACI051250001A0M0', Decimal(4))


def test_persons_of_other_structures(live, director_b, counsellor_a):
    "B's director knows nothing of A's people, but of Sam who works in B"
    alice = person(live, 'a', "Alice Martin")
    bruno = person(live, 'b', "Bruno Petit")
    assert set(search(director_b, 'party.party', [
                ('name', 'in', ["Alice Martin", "Bruno Petit", "Sam Partagé"])
                ])) == {bruno['party'], live['sam']}
    refused(lambda: read(director_b, 'party.party', [alice['party']],
            ['name']), READ_RULE_ERROR)
    refused(lambda: read(director_b, 'party.address', [alice['address']],
            ['street']), READ_RULE_ERROR)
    refused(lambda: read(director_b, 'party.contact_mechanism',
            [alice['phone']], ['value']), READ_RULE_ERROR)
    refused(lambda: director_b.model('party.party', 'export_data',
            [alice['party']], ['name']), READ_RULE_ERROR)
    assert director_b.model('party.party', 'export_data',
        [live['sam'], live['mairie'], live['members']['a']['party']],
        ['name']) == [["Sam Partagé"], ["Mairie de Reims"], ["Jardins Alpha"]]
    # Who else employs a person is nobody's business
    refused(lambda: search(director_b, 'party.party',
            [('employers', 'in', [live['members']['a']['company']])]),
        ACCESS_ERROR)
    refused(lambda: read(counsellor_a, 'party.party', [live['sam']],
            ['employers']), ACCESS_ERROR)


def test_director_does_not_write_persons(live, director_a, counsellor_a):
    "A's director reads A's people's parties, only the counsellor writes"
    alice = person(live, 'a', "Alice Martin")
    party, = read(director_a, 'party.party', [alice['party']], ['name'])
    assert party['name'] == "Alice Martin"
    address, = read(director_a, 'party.address', [alice['address']],
        ['street'])
    assert address['street'] == "1 rue des Lilas"
    phone, = read(director_a, 'party.contact_mechanism', [alice['phone']],
        ['value'])
    assert phone['value'] == '+33612345678'
    refused(lambda: director_a.model('party.contact_mechanism', 'write',
            [alice['phone']], {'value': '+33600000000'}), WRITE_RULE_ERROR)
    refused(lambda: director_a.model('party.party', 'write',
            [alice['party']], {'name': "Alice Changée"}), WRITE_RULE_ERROR)
    refused(lambda: director_a.model('party.address', 'write',
            [alice['address']], {'street': "2 rue des Roses"}),
        WRITE_RULE_ERROR)
    refused(lambda: director_a.model('party.address', 'create',
            [{'party': alice['party'], 'street': "3 rue Neuve"}]),
        CREATE_RULE_ERROR)
    refused(lambda: director_a.model('party.party', 'delete',
            [alice['party']]), 'You are not allowed to delete')
    # Nothing written
    assert read(counsellor_a, 'party.party', [alice['party']],
        ['name', 'addresses'])[0] == {
        'id': alice['party'], 'name': "Alice Martin",
        'addresses': [alice['address']]}
    assert read(counsellor_a, 'party.contact_mechanism', [alice['phone']],
        ['value'])[0]['value'] == '+33612345678'
    # An ordinary party stays the directors' to change, as in Tryton
    director_a.model('party.party', 'write', [live['mairie']],
        {'name': "Mairie de Reims"})
    # The counsellor writes A's people
    counsellor_a.model('party.address', 'write', [alice['address']],
        {'street': "1 bis rue des Lilas"})
    address, = read(director_a, 'party.address', [alice['address']],
        ['street'])
    assert address['street'] == "1 bis rue des Lilas"


def test_indicators_own_structure_and_pole(
        live, director_a, board_a, director_b):
    "Each reads their structure and the pôle, never another structure"
    a, b = live['members']['a'], live['members']['b']
    for client, mine, other in [
            (director_a, a, b), (board_a, a, b), (director_b, b, a)]:
        context = period(client)
        assert search(client, 'insertion.indicator', context=context) == [
            1, mine['company'] * 2]
        refused(lambda: read(client, 'insertion.indicator',
                [other['company'] * 2], ['people_text'], context=context),
            READ_RULE_ERROR)


def test_indicators_secret(live, director_a, board_a, director_b):
    "Under 5 people: '< 5', and hidden what would give it back"
    a, b = live['members']['a'], live['members']['b']
    for client in [director_a, board_a]:
        context = period(client)
        rows = figures(client, [1, a['company'] * 2], context)
        assert rows[a['company']] == A_SECRET
        assert rows[None] == POLE_FOR_A
        # The numbers are None where secret: the graphs draw nothing
        row, = read(client, 'insertion.indicator', [a['company'] * 2],
            ['people', 'women', 'men', 'rsa', 'exits', 'dynamic_rate'],
            context=context)
        assert [row[f] for f in ['people', 'women', 'men', 'rsa', 'exits',
                'dynamic_rate']] == [6, None, None, None, None, None]
        graph = client.model(
            'insertion.indicator', 'fields_view_get', None, 'graph')
        assert set(graph['fields']) <= {'id', 'company', 'label'} | set(COUNTS)

    # Bruno alone in B: all of B is secret; the pôle minus B has 5 in a
    # QPV, so B's director sees the pôle's 6
    context = period(director_b)
    rows = figures(director_b, [1, b['company'] * 2], context)
    assert rows[b['company']] == {
        f: ('hidden' if f in {'path_days', 'dynamic_rate', 'average_path'}
            else '< 5') for f in A_SECRET}
    assert rows[None] == dict(POLE_FOR_A, qpv='6')


def test_indicators_counsellor_exact(live, counsellor_a):
    "A's counsellor reads A exact, the pôle as the others"
    a = live['members']['a']
    rows = figures(counsellor_a, [1, a['company'] * 2], period(counsellor_a))
    # 181 days / 1 exit / 30.4375 days a month = 5.9 months
    assert rows[a['company']] == {
        'people': '6', 'entries': '6', 'women': '5', 'men': '1',
        'under_26': '0', 'over_50': '0', 'rsa': '2', 'ass': '0', 'aah': '0',
        'rqth': '0', 'qpv': '5', 'zrr': '0', 'long_unemployed': '0',
        'below_cap': '0', 'exits': '1', 'exits_durable': '1',
        'exits_transition': '0', 'exits_positive': '0', 'exits_other': '0',
        'exits_withdrawn': '0', 'exits_examined': '1', 'exits_dynamic': '1',
        'path_days': '181', 'dynamic_rate': '100.0', 'average_path': '5.9'}
    assert rows[None] == POLE_FOR_A


def test_indicators_whole_months(
        live, director_a, board_a, counsellor_a, director_b):
    "A day, or a period not of whole months, is refused to everyone"
    for client, key in [(director_a, 'a'), (board_a, 'a'),
            (counsellor_a, 'a'), (director_b, 'b')]:
        row = live['members'][key]['company'] * 2
        for start, end in [
                ((2025, 1, 6), (2025, 1, 6)),
                ((2025, 1, 1), (2025, 1, 30)),
                ((2025, 1, 2), (2025, 2, 28))]:
            context = period(client, start, end)
            refused(lambda: search(client, 'insertion.indicator',
                    context=context), 'whole calendar months')
            refused(lambda: read(client, 'insertion.indicator',
                    [row], ['people_text'], context=context),
                'whole calendar months')
        # A month, a quarter: fine
        for start, end in [((2025, 2, 1), (2025, 2, 28)),
                ((2025, 1, 1), (2025, 3, 31))]:
            assert search(client, 'insertion.indicator',
                context=period(client, start, end))


def test_indicators_no_search_on_figures(live, board_a, counsellor_a):
    "A search or an order on a figure would give it back"
    for client in [board_a, counsellor_a]:
        context = period(client)
        for domain, order in [
                ([('rsa', '=', 2)], None),
                ([('company', '!=', None), ['OR', ('men', '<', 2)]], None),
                ([], [('women', 'ASC')])]:
            refused(lambda: client.model('insertion.indicator', 'search',
                    domain, 0, None, order, context=context),
                'found by structure only')
        assert client.model('insertion.indicator', 'search',
            [('company', '=', None)], 0, None, [('company', 'ASC')],
            context=context) == [1]


if __name__ == '__main__':
    build_main('insertion', _populate)

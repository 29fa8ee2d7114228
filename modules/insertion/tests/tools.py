# This file is part of Pôle.
"""What the insertion scenarios share (proteus): the structure, an ACI
member of the pôle, its ten people of 2024 and 2025 as
scenario_insertion_year counts them, and its users."""
import datetime as dt
from decimal import Decimal

from proteus import Model

from trytond.modules.company.tests.tools import create_company, get_company
from trytond.modules.currency.tests.tools import get_currency

# The people of Les Jardins du Val: contracts are CDDI of 26 hours a week;
# dates are (start, planned end, actual end); exit is (date, destination)
PEOPLE = [
    # name, gender, birth, eligibility (age), criteria, education,
    # contracts (each a renewal of the one before), exit
    ("Alice", 'female', (1990, 3, 1), (2024, 5, 20), ['rsa', 'qpv'],
        'below_cap',
        [((2024, 6, 1), (2024, 11, 30), None),
         ((2024, 12, 1), (2025, 5, 31), (2025, 5, 31))],
        ((2025, 5, 31), 'cdi')),
    ("Bruno", 'male', (2001, 5, 10), (2025, 1, 15),
        ['ass', 'long_unemployed'], 'cap',
        [((2025, 2, 1), (2025, 5, 31), None),
         ((2025, 6, 1), (2025, 11, 30), None)], None),
    ("Chloé", 'female', (1970, 1, 20), (2025, 3, 1), ['aah', 'rqth'],
        'cap', [((2025, 3, 1), (2025, 8, 31), (2025, 4, 15))],
        ((2025, 4, 15), 'job_seeker')),
    ("David", 'male', (1985, 6, 1), (2024, 9, 1),
        ['zrr', 'very_long_unemployed'], 'bac',
        [((2024, 9, 1), (2025, 2, 28), (2025, 2, 28))],
        ((2025, 2, 28), 'training')),
    ("Élodie", 'female', (1998, 7, 7), (2025, 1, 6), [], 'cap',
        [((2025, 1, 6), (2025, 7, 5), (2025, 7, 5))],
        ((2025, 7, 5), 'cdd_short')),
    ("Fatou", 'female', (1980, 2, 2), (2025, 4, 1), ['rsa'], 'cap',
        [((2025, 4, 1), (2025, 9, 30), (2025, 8, 20))],
        ((2025, 8, 20), 'withdrawn')),
    ("Georges", 'male', (1960, 2, 2), (2023, 10, 1), [], 'cap',
        [((2023, 10, 1), (2024, 9, 30), (2024, 9, 30))],
        ((2024, 9, 30), 'cdi')),
    ("Hugo", 'male', (2000, 1, 1), (2025, 10, 1), ['qpv'], 'none',
        [((2025, 10, 1), (2026, 1, 31), None)], None),
    ("Inès", 'female', (1975, 5, 5), (2025, 9, 1), [], 'bac',
        [((2025, 9, 1), (2025, 12, 31), (2025, 12, 31))],
        ((2025, 12, 31), 'cdd_long')),
    ("Karim", 'male', (1992, 8, 8), (2025, 1, 2), [], 'higher',
        [((2025, 1, 2), (2025, 6, 30), (2025, 6, 30))],
        ((2025, 6, 30), 'inactive')),
    ]


def structure():
    "Les Jardins du Val, an ACI member of the pôle: its company and member"
    Member = Model.get('hub.member')
    Party = Model.get('party.party')
    party = Party(name="Les Jardins du Val")
    party.save()
    create_company(party, currency=get_currency('EUR'))
    company = get_company()
    member = Member(company=company, kind='aci', siret='41234502700012',
        joined=dt.date(2020, 1, 1))
    member.save()
    return company, member


def user(company, login, name, role):
    "A user of the company alone with the role of this name"
    Company = Model.get('company.company')
    Role = Model.get('res.role')
    User = Model.get('res.user')
    role, = Role.find([('name', '=', role)])
    user = User(login=login, name=name)
    user.companies.append(Company(company.id))
    user.company = Company(company.id)
    user.roles.new(role=role)
    user.save()
    return user


def employ(people):
    "The people as employees of the current company (by the administrator)"
    Employee = Model.get('company.employee')
    Party = Model.get('party.party')
    employees = []
    for person in people:
        party = Party(name=person[0])
        party.save()
        employee = Employee(party=party)
        employee.save()
        employees.append(employee)
    return employees


def date(value):
    return dt.date(*value) if value else None


def record(people, employees):
    """Each person's profile, PASS IAE from the eligibility date, contracts
    and exit, as the counsellor records them: {name: exit}"""
    Contract = Model.get('insertion.contract')
    Employee = Model.get('company.employee')
    Exit = Model.get('insertion.exit')
    Pass = Model.get('insertion.pass')
    Profile = Model.get('insertion.employee.profile')
    exits = {}
    for i, (name, gender, birth, eligibility, criteria, education,
            contracts, exit) in enumerate(people):
        employee = Employee(employees[i].id)
        profile = Profile(employee=employee, gender=gender,
            birth_date=date(birth), eligibility_date=date(eligibility),
            education_level=education, situation='job_seeker')
        for criterion in criteria:
            setattr(profile, criterion, True)
        profile.save()
        pass_ = Pass(party=employee.party, number='99999%07d' % i,
            start_date=date(eligibility))
        pass_.save()
        previous = None
        for start, planned, end in contracts:
            contract = Contract(employee=employee, kind='cddi',
                start_date=date(start), planned_end_date=date(planned),
                end_date=date(end), weekly_hours=Decimal(26),
                renewal_of=previous)
            contract.save()
            previous = contract
        if exit:
            record = Exit(employee=employee, date=date(exit[0]),
                destination=exit[1])
            record.save()
            exits[name] = record
    return exits

# This file is part of Pôle.
"""Demo insertion data: people, PASS IAE, contracts, renewals, suspensions
and exits in the demo's ACI, AI and EI, deterministic (seeded) and built
once."""
import datetime as dt
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# A person's first name is drawn among those of the gender of the profile
FIRST_NAMES = {
    'female': [
        "Amina", "Chloé", "Élodie", "Fatou", "Hélène", "Julie", "Laura",
        "Nadia", "Pauline", "Sophie", "Inès", "Zoé", "Martine", "Céline",
        ],
    'male': [
        "Bernard", "David", "Georges", "Ibrahim", "Karim", "Mehdi",
        "Olivier", "Quentin", "Rachid", "Thierry", "Yannick", "Luc", "Samir",
        "Jordan",
        ],
    }
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
    "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel",
    "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Diallo",
    "Traoré", "Benali", "Nguyen", "Lambert", "Bonnet", "François",
    ]
DESTINATIONS = [
    'cdi', 'cdd_long', 'business', 'cdd_short', 'subsidised', 'training',
    'other_siae', 'job_seeker', 'inactive', 'other', 'withdrawn',
    ]


class Demo(metaclass=PoolMeta):
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        result = super().build(definition, today=today)
        today = today or Pool().get('ir.date').today()
        result['insertion'] = cls.build_insertion(
            result['members'], today,
            **definition.get('insertion', {}))
        return result

    @classmethod
    def build_insertion(cls, members, today, people=150, seed=26):
        """About `people` insertion employees over the year before today,
        spread over the members that are ACI, AI or EI; once."""
        pool = Pool()
        Contract = pool.get('insertion.contract')
        structures = [m for m in members.values()
            if m.kind in {'aci', 'ai', 'ei'}]
        if not structures:
            return {}
        companies = [m.company.id for m in structures]
        if Contract.search([('company', 'in', companies)], limit=1):
            return {'skipped': True}
        rng = random.Random(seed)
        cls._demo_rates({m.kind for m in structures}, today)
        done = {}
        for index, member in enumerate(structures):
            count = people // len(structures) + (
                1 if index < people % len(structures) else 0)
            with Transaction().set_context(
                    company=member.company.id,
                    companies=[member.company.id]):
                done[member.company.rec_name] = cls._build_structure(
                    member, count, today, rng)
        return done

    @classmethod
    def _demo_rates(cls, measures, today):
        """The rates not published yet (2025 for the ACI and the AI), up to
        today, get the last published amount, unconfirmed, so that every
        AF of the demo has its aid, accruals and receipts as a structure
        would record them provisionally"""
        Rate = Pool().get('insertion.aid.rate')
        for rate in Rate.search([
                    ('measure', 'in', list(measures)),
                    ('amount', '=', None),
                    ('start_date', '<=', today),
                    ], order=[('start_date', 'ASC')]):
            last = Rate.search([
                    ('measure', '=', rate.measure),
                    ('start_date', '<', rate.start_date),
                    ('amount', '!=', None),
                    ], order=[('start_date', 'DESC')], limit=1)
            if last:
                last, = last
                rate.amount = last.amount
                rate.confirmed = False
                rate.source = "Démo : montant du %s reporté, à confirmer" % (
                    last.start_date.strftime('%d/%m/%Y'))
                rate.save()

    @classmethod
    def _build_structure(cls, member, count, today, rng):
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        Contract = pool.get('insertion.contract')
        Employee = pool.get('company.employee')
        Exit = pool.get('insertion.exit')
        Party = pool.get('party.party')
        Pass = pool.get('insertion.pass')
        Profile = pool.get('insertion.employee.profile')
        Suspension = pool.get('insertion.pass.suspension')

        company = member.company
        year_start = today - relativedelta(years=1)
        # One AF per year: aid, ETP and the ASP's twelfths are yearly
        agreements = []
        for year in range(year_start.year, today.year + 1):
            agreement = Agreement(
                company=company, measure=member.kind,
                number='%s051%s%04dA0M0' % (
                    member.kind.upper(), str(year)[2:], company.id),
                start_date=dt.date(year, 1, 1),
                end_date=dt.date(year, 12, 31),
                etp=Decimal(max(count // 3, 1)), modulation=Decimal(5),
                reference_hours={'aci': 1820, 'ai': 1607, 'ei': 1505}[
                    member.kind])
            agreement.save()
            agreements.append(agreement)
        Agreement.validate_agreement(agreements)

        user = Party(name="Mairie de Reims")
        user.save()
        stats = {'people': 0, 'contracts': 0, 'renewals': 0,
            'suspensions': 0, 'exits': 0}
        for i in range(count):
            gender = rng.choice(['female', 'male'])
            name = '%s %s' % (
                rng.choice(FIRST_NAMES[gender]), rng.choice(LAST_NAMES))
            party = Party(name=name)
            party.save()
            employee = Employee(company=company, party=party)
            employee.save()
            start = year_start + dt.timedelta(days=rng.randrange(0, 300))
            birth = start - dt.timedelta(
                days=rng.randrange(18 * 365, 62 * 365))
            Profile(
                company=company, employee=employee, birth_date=birth,
                eligibility_date=start, gender=gender,
                rsa=rng.random() < 0.4, ass=rng.random() < 0.1,
                aah=rng.random() < 0.08, rqth=rng.random() < 0.12,
                qpv=rng.random() < 0.3, zrr=rng.random() < 0.1,
                long_unemployed=rng.random() < 0.3,
                very_long_unemployed=rng.random() < 0.2,
                education_level=rng.choice(
                    ['none', 'below_cap', 'cap', 'cap', 'bac', 'higher']),
                situation='job_seeker').save()
            pass_ = Pass(
                party=party,
                number='99999%07d' % (company.id * 10000 + i),
                start_date=start)
            pass_.save()
            stats['people'] += 1
            leaves = rng.random() < 0.45
            if member.kind == 'ai':
                contract = Contract(
                    company=company, employee=employee, kind='ai_placement',
                    start_date=start,
                    planned_end_date=start + relativedelta(months=4, days=-1),
                    weekly_hours=Decimal(rng.choice([10, 15, 20])),
                    hours=Decimal(rng.randrange(60, 400)), user_party=user,
                    user_ordinary=False)
            else:
                contract = Contract(
                    company=company, employee=employee, kind='cddi',
                    start_date=start,
                    planned_end_date=start + relativedelta(months=4, days=-1),
                    weekly_hours=Decimal(rng.choice([20, 24, 26, 30, 35])),
                    hours=Decimal(rng.randrange(300, 600)))
            contract.save()
            stats['contracts'] += 1
            last = contract
            if rng.random() < 0.5 and (
                    last.planned_end_date + relativedelta(months=6) < today):
                renewal = Contract(
                    company=company, employee=employee, kind=last.kind,
                    start_date=last.planned_end_date + dt.timedelta(days=1),
                    planned_end_date=last.planned_end_date + relativedelta(
                        months=6),
                    weekly_hours=last.weekly_hours,
                    hours=Decimal(rng.randrange(100, 600)),
                    user_party=last.user_party,
                    user_ordinary=last.user_ordinary, renewal_of=last)
                renewal.save()
                stats['renewals'] += 1
                last = renewal
            if rng.random() < 0.06:
                # From the last hiring on (a renewal is one), insertion's
                # earliest start (Suspension.minimum_start)
                suspension_start = max(last.start_date,
                    today - dt.timedelta(days=rng.randrange(20, 300)))
                Suspension(
                    pass_=pass_, reason='contract_suspended',
                    start_date=suspension_start,
                    end_date=suspension_start + dt.timedelta(days=20)).save()
                stats['suspensions'] += 1
            if leaves and last.planned_end_date < today:
                last.end_date = last.planned_end_date
                last.save()
                Exit(
                    company=company, employee=employee,
                    date=last.planned_end_date,
                    destination=DESTINATIONS[stats['exits'] % len(
                            DESTINATIONS)]).save()
                stats['exits'] += 1
        return stats

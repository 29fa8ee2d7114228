# This file is part of Pôle.
"""Demo inter-member invoicing: a mapping per member, the collective's
catalogue of shared services and the billing of the last complete month,
built once."""
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# Cost per month and the members' fixed shares (by member key of
# config/demo.json; a member not listed gets 1).
SERVICES = [
    ("Comptabilité", Decimal('4200.00'), {
            'jardins': 3, 'recyclerie': 2, 'batiment': 3, 'services': 2,
            'scop': 2, 'formation': 1}),
    ("Accueil", Decimal('1850.00'), {}),
    ("Appui administratif", Decimal('2300.00'), {
            'jardins': 2, 'recyclerie': 1, 'batiment': 2, 'services': 3,
            'scop': 1, 'formation': 1}),
    ("Animation informatique", Decimal('950.00'), {
            'jardins': 1, 'recyclerie': 1, 'batiment': 1, 'services': 2,
            'scop': 2, 'formation': 3}),
    ]


class Demo(metaclass=PoolMeta):
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        result = super().build(definition, today=today)
        today = today or Pool().get('ir.date').today()
        result['invoicing'] = cls.build_invoicing(result['members'], today)
        return result

    @classmethod
    def build_invoicing(cls, members, today):
        """Mappings (mirrors posted), the shared services with fixed shares
        and the billing run of the last complete month of the year; once"""
        pool = Pool()
        Account = pool.get('account.account')
        Configuration = pool.get('hub.configuration')
        Mapping = pool.get('hub.invoicing.mapping')
        Run = pool.get('hub.billing.run')
        Service = pool.get('hub.service')
        Share = pool.get('hub.service.share')

        collective = Configuration(1).collective
        if not collective:
            return {}
        others = {k: m for k, m in members.items()
            if m.company != collective}

        def account(company, code):
            accounts = Account.search([
                    ('company', '=', company.id), ('code', '=', code)],
                limit=1)
            return accounts[0] if accounts else None

        # Onboarding made each member's default mapping (drafts on 604):
        # the demo's mirrors are posted at once
        defaults = Mapping.search([
                ('source', '=', None),
                ('target', 'in', [m.id for m in others.values()]),
                ])
        Mapping.write(defaults, {'mirror_state': 'posted'})
        mapped = {m.target for m in defaults}
        Mapping.save([Mapping(target=m, mirror_state='posted',
                    expense_account=account(m.company, '604'))
                for m in others.values() if m not in mapped])

        with Transaction().set_context(company=collective.id):
            if not Service.search([('company', '=', collective.id)]):
                services = []
                for name, cost, shares in SERVICES:
                    service = Service(name=name, company=collective,
                        cost=cost, key='fixed', periodicity='month',
                        account=account(collective, '706'))
                    service.shares = [
                        Share(member=m, share=Decimal(shares.get(k, 1)))
                        for k, m in others.items()]
                    services.append(service)
                Service.save(services)
            # The last complete month, or the current one in January (the
            # demo's fiscal year is the calendar year)
            start = today.replace(day=1) - relativedelta(months=1)
            if start.year != today.year:
                start = today.replace(day=1)
            run = Run.get_run(collective, 'month', start)
            Run.process([run])
            run = Run(run.id)
            return {'run': run.rec_name, 'invoices': len(run.invoices)}

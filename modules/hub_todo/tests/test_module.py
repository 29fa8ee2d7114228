# This file is part of Pôle.
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.hub.tests.tools import onboard_member
from trytond.modules.insertion.tests import InsertionTestMixin
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

D = dt.date
START, END = D(2026, 1, 1), D(2026, 12, 31)
# The to-do is read on 15 June 2026: January to May are past periods
TODAY = D(2026, 6, 15)
IBAN_ATELIER = 'FR76 3000 6000 0112 3456 7890 189'


class HubTodoTestCase(InsertionTestMixin, ModuleTestCase):
    "Test Hub To-do module"
    module = 'hub_todo'
    extras = ['hub_bank', 'hub_bookkeeping', 'hub_invoicing',
        'insertion_payroll']

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('insertion.payroll.import.start', 'company'),
            }

    def onboard(self, name, siret, **kwargs):
        return onboard_member(name, siret, 'aci', START, END, **kwargs)

    def account(self, member, code):
        Account = Pool().get('account.account')
        account, = Account.search([
                ('company', '=', member.company.id), ('code', '=', code)])
        return account

    def close_periods(self, member, before):
        "Close the member's periods that start before the date"
        Period = Pool().get('account.period')
        Period.close(Period.search([
                    ('fiscalyear.company', '=', member.company.id),
                    ('start_date', '<', before)]))

    def rows(self):
        "{(member name, kind): (count, amount, oldest date)} read on TODAY"
        Todo = Pool().get('hub.todo')
        with Transaction().set_context(date=TODAY):
            return {(t.company.rec_name, t.kind): (t.count, t.amount, t.date)
                for t in Todo.search([])}

    def fec_rows(self):
        "The rows of FEC not produced"
        return {k: v for k, v in self.rows().items() if k[1] == 'fec_missing'}

    def two_members(self):
        """Atelier with work left, Jardins clean: Jardins invoices Atelier
        (mirrored in Atelier's books in draft, for review) and closes its
        past periods; Atelier closes January to April only"""
        pool = Pool()
        Mapping = pool.get('hub.invoicing.mapping')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Party = pool.get('party.party')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Journal = pool.get('account.journal')
        Period = pool.get('account.period')
        Statement = pool.get('account.statement')
        StatementJournal = pool.get('account.statement.journal')
        Origin = pool.get('account.statement.origin')
        transaction = Transaction()

        atelier = self.onboard(
            "Atelier", '41234502700012', iban=IBAN_ATELIER, bic='AGRIFRPP')
        jardins = self.onboard("Jardins", '41234503500015')
        # (onboarding made Atelier's default mapping: drafts on 604)
        mapping, = Mapping.search([('target', '=', atelier.id)])
        self.assertEqual(
            (mapping.mirror_state, mapping.expense_account.code),
            ('draft', '604'))

        # Jardins invoices Atelier 300.00 on 10 March: the mirror waits
        # in Atelier's books
        with transaction.set_context(company=jardins.company.id):
            party = Party(atelier.company.party.id)
            invoice = Invoice(company=jardins.company, type='out',
                party=party, invoice_date=D(2026, 3, 10),
                currency=jardins.company.currency)
            invoice.on_change_party()
            invoice.on_change_type()
            invoice.lines = [InvoiceLine(type='line',
                    company=jardins.company,
                    currency=jardins.company.currency, invoice_type='out',
                    party=party, description="Chantier", quantity=1,
                    unit_price=Decimal('300.00'),
                    account=self.account(jardins, '706'))]
            invoice.save()
            Invoice.post([invoice])
        mirror, = invoice.mirrors
        self.assertEqual(mirror.state, 'draft')
        self.close_periods(jardins, TODAY.replace(day=1))
        self.close_periods(atelier, D(2026, 5, 1))

        # Atelier: a draft move of 120.00 on 12 May
        with transaction.set_context(company=atelier.company.id):
            journal, = Journal.search([('type', '=', 'general')], limit=1)
            period = Period.find(atelier.company, date=D(2026, 5, 12))
            move = Move(company=atelier.company, journal=journal,
                period=period, date=D(2026, 5, 12), description="Essence",
                lines=[
                    MoveLine(account=self.account(atelier, '6061'),
                        debit=Decimal('120.00'), credit=Decimal(0)),
                    MoveLine(account=self.account(atelier, '5121'),
                        debit=Decimal(0), credit=Decimal('120.00')),
                    ])
            move.save()

            # A bank operation of 150.00 on 20 May, not matched yet
            statement_journal, = StatementJournal.search(
                [('company', '=', atelier.company.id)])
            statement = Statement(company=atelier.company,
                journal=statement_journal, name="Relevé 5",
                date=D(2026, 5, 31), start_balance=Decimal(0),
                end_balance=Decimal('150.00'))
            statement.save()
            Origin(statement=statement, date=D(2026, 5, 20),
                amount=Decimal('150.00'), description="Virement ASP").save()

        # A CDDI since 1 May: May has no payroll line
        employee, _ = self.person(
            atelier.company, "Salarié A1", pass_start=D(2026, 5, 1))
        self.contract(employee, D(2026, 5, 1), D(2026, 12, 31))
        return atelier, jardins, move

    @with_transaction()
    def test_rows(self):
        """Atelier's rows, worked by hand; Jardins has none; posting the
        draft move removes its row"""
        Move = Pool().get('account.move')
        atelier, jardins, move = self.two_members()
        self.assertEqual(self.rows(), {
                # one draft move, 120.00 debit, of 12 May
                ("Atelier", 'move_draft'): (1, Decimal('120.00'),
                    D(2026, 5, 12)),
                # May (1 to 31) ended before 15 June and is open
                ("Atelier", 'period_open'): (1, None, D(2026, 5, 1)),
                # 150.00 received, no statement line made from it
                ("Atelier", 'statement_origin'): (1, Decimal('150.00'),
                    D(2026, 5, 20)),
                # Jardins' 300.00 invoice of 10 March, mirror in draft
                ("Atelier", 'invoice_mirror'): (1, Decimal('300.00'),
                    D(2026, 3, 10)),
                # the CDDI's May; June has not ended
                ("Atelier", 'payroll_missing'): (1, None, D(2026, 5, 1)),
                })

        Move.post([move])
        rows = self.rows()
        self.assertNotIn(("Atelier", 'move_draft'), rows)
        self.assertEqual(len(rows), 4)

    @with_transaction()
    def test_open(self):
        """Ouvrir gives the list of the row's records, in its member"""
        pool = Pool()
        Todo = pool.get('hub.todo')
        Move = pool.get('account.move')
        Contract = pool.get('insertion.contract')
        Exception_ = pool.get('hub.invoicing.exception')
        atelier, jardins, move = self.two_members()
        decoder = PYSONDecoder()
        with Transaction().set_context(date=TODAY):
            todos = {t.kind: t for t in Todo.search([])}
            for kind, model, expected in [
                    ('move_draft', Move, [move]),
                    ('payroll_missing', Contract, Contract.search([])),
                    ('invoice_mirror', Exception_, Exception_.search([])),
                    ]:
                action = Todo.open_([todos[kind]])
                self.assertEqual(action['res_model'], model.__name__)
                self.assertEqual(decoder.decode(action['pyson_context']),
                    {'company': atelier.company.id})
                self.assertEqual(
                    model.search(decoder.decode(action['pyson_domain'])),
                    expected, kind)
                self.assertIn("Atelier", action['name'])

    @with_transaction()
    def test_aid_and_vat(self):
        """A VAT-liable member with its past periods closed: March's VAT
        posted and not settled; March's aid 1 000.00 received for 400.00,
        April's 1 000.00 not yet late (ended 46 days before 15 June, the
        delay is 60)"""
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        Accrual = pool.get('insertion.payroll.aid.accrual')
        Payment = pool.get('insertion.payroll.aid.payment')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Journal = pool.get('account.journal')
        Period = pool.get('account.period')
        scop = self.onboard("Scop", '41234504300019', vat_liable=True)
        with Transaction().set_context(company=scop.company.id):
            journal, = Journal.search([('type', '=', 'general')], limit=1)
            # A cash sale of 100.00 + 20.00 VAT on 5 March, posted
            move = Move(company=scop.company, journal=journal,
                period=Period.find(scop.company, date=D(2026, 3, 5)),
                date=D(2026, 3, 5), lines=[
                    MoveLine(account=self.account(scop, '5121'),
                        debit=Decimal('120.00'), credit=Decimal(0)),
                    MoveLine(account=self.account(scop, '706'),
                        debit=Decimal(0), credit=Decimal('100.00')),
                    MoveLine(account=self.account(scop, '44571'),
                        debit=Decimal(0), credit=Decimal('20.00')),
                    ])
            move.save()
            Move.post([move])
        self.close_periods(scop, TODAY.replace(day=1))
        agreement = Agreement(company=scop.company,
            number='ACI051260013A0M0', measure='aci', start_date=START,
            end_date=END, etp=Decimal(8), reference_hours=Decimal(1820),
            modulation=Decimal(5))
        agreement.save()
        for month in [D(2026, 3, 1), D(2026, 4, 1)]:
            Accrual(agreement=agreement, month=month,
                amount=Decimal('1000.00')).save()
        Payment(agreement=agreement, date=D(2026, 4, 10),
            month=D(2026, 3, 1), amount=Decimal('400.00')).save()

        self.assertEqual(self.rows(), {
                ("Scop", 'vat_unsettled'): (1, None, D(2026, 3, 1)),
                # 1 000.00 - 400.00 of March
                ("Scop", 'aid_pending'): (1, Decimal('600.00'),
                    D(2026, 3, 1)),
                })

    @with_transaction()
    def test_fec_missing(self):
        """FEC not produced: 2025 (ended before 15 June 2026) with a posted
        move and no FEC is a row; its FEC made, no row; a move of 2025
        written after the FEC, the row is back; 2026 (open, not ended) is
        never one"""
        pool = Pool()
        Todo = pool.get('hub.todo')
        Member = pool.get('hub.member')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Journal = pool.get('account.journal')
        Period = pool.get('account.period')
        FiscalYear = pool.get('account.fiscalyear')
        Run = pool.get('hub.bookkeeping.fec')
        atelier = self.onboard("Atelier", '41234502700012')
        company = atelier.company
        Member.ensure_fiscalyears(company, [D(2025, 6, 1)])
        fy2025, = FiscalYear.search([
                ('company', '=', company.id), ('name', '=', '2025')])
        with Transaction().set_context(company=company.id):
            journal, = Journal.search([('type', '=', 'general')], limit=1)
            move = Move(company=company, journal=journal,
                period=Period.find(company, date=D(2025, 9, 1)),
                date=D(2025, 9, 1), description="Dons", lines=[
                    MoveLine(account=self.account(atelier, '5121'),
                        debit=Decimal('50.00'), credit=Decimal(0)),
                    MoveLine(account=self.account(atelier, '706'),
                        debit=Decimal(0), credit=Decimal('50.00')),
                    ])
            move.save()
            Move.post([move])
        # 2025 from 1 January, one year (its periods, open, are rows of
        # their own kind)
        self.assertEqual(self.fec_rows(), {
                ("Atelier", 'fec_missing'): (1, None, D(2025, 1, 1))})
        with Transaction().set_context(date=TODAY):
            todo, = Todo.search([('kind', '=', 'fec_missing')])
            action = Todo.open_([todo])
        self.assertEqual(FiscalYear.search(
                PYSONDecoder().decode(action['pyson_domain'])), [fy2025])

        # The FEC of 2025 (provisional: not locked) is made and recorded:
        # 2 lines, by admin
        files = []
        with Transaction().set_context(company=company.id):
            Member._generate_fec(atelier, D(2025, 12, 31), files, True)
        run, = Run.search([])
        self.assertEqual((run.fiscalyear, run.lines, run.provisional,
                run.filename, run.user.login), (fy2025, 2, True,
                '412345027FEC20251231-provisoire.csv', 'admin'))
        self.assertEqual(files[0][0], run.filename)
        self.assertEqual(self.fec_rows(), {})

        # Made the day before (the move was last written in this
        # transaction, at the time of the record): missing again
        table = Run.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.create_date],
                [run.create_date - dt.timedelta(days=1)]))
        self.assertEqual(self.fec_rows(), {
                ("Atelier", 'fec_missing'): (1, None, D(2025, 1, 1))})

    @with_transaction()
    def test_snapshot(self):
        """The day's snapshot copies the to-do's rows (taken twice, once);
        a later day after the draft move is posted has one row less; the
        graph draws a line per kind"""
        pool = Pool()
        Snapshot = pool.get('hub.todo.snapshot')
        Move = pool.get('account.move')
        atelier, jardins, move = self.two_members()
        rows = self.rows()
        self.assertEqual(Snapshot.take(TODAY), 5)
        self.assertEqual(Snapshot.take(TODAY), 5)
        Move.post([move])
        later = TODAY + dt.timedelta(days=1)
        self.assertEqual(Snapshot.take(later), 4)
        snapshots = Snapshot.search([])
        self.assertEqual(
            {(s.company.rec_name, s.kind): (s.count, s.amount, None)
                for s in snapshots if s.date == TODAY},
            {k: (count, amount, None)
                for k, (count, amount, _) in rows.items()})
        self.assertEqual(len(snapshots), 5 + 4)
        self.assertEqual(
            {s.kind for s in snapshots if s.date == TODAY}
            - {s.kind for s in snapshots if s.date == later},
            {'move_draft'})

        arch = Snapshot.fields_view_get(view_type='graph')['arch']
        for kind, _ in Snapshot.get_kinds():
            self.assertIn('key="%s"' % kind, arch)
        self.assertNotIn('key="kinds"', arch)

    @with_transaction()
    def test_access(self):
        """A director of Atelier reads Atelier's rows only, a director of
        Jardins none; the board member and the counsellor may not read"""
        Todo = Pool().get('hub.todo')
        atelier, jardins, move = self.two_members()
        for login, role, member, expected in [
                ('dir_a', 'role_director', atelier, 5),
                ('dir_j', 'role_director', jardins, 0),
                ('compta', 'role_accountant', atelier, 5),
                ]:
            user = self.user(login, role, [member.company])
            with self.as_user(user), Transaction().set_context(date=TODAY):
                todos = Todo.search([])
                self.assertEqual(len(todos), expected, login)
                self.assertEqual({t.company for t in todos},
                    {atelier.company} if expected else set(), login)
        for login, role in [('ca', 'role_board'),
                ('cip', 'insertion.role_counsellor')]:
            user = self.user(login, role, [atelier.company])
            with self.as_user(user):
                with self.assertRaises(AccessError):
                    Todo.search([])

    def user(self, login, role, companies):
        "A user of the role working in companies"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        UserRole = pool.get('res.user.role')
        user = User(login=login, name=login, companies=companies,
            company=companies[0], company_filter='all',
            roles=[UserRole(role=ModelData.get_id(*(
                            role.split('.') if '.' in role
                            else ('hub', role))))])
        user.save()
        return user

    @contextmanager
    def as_user(self, user):
        "As a client of user: its preferences' context, access checked"
        transaction = Transaction()
        User = Pool().get('res.user')
        with transaction.set_user(user.id):
            context = User.get_preferences(context_only=True)
            with transaction.set_context(_check_access=True, **context):
                yield


del ModuleTestCase

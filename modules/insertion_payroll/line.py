# This file is part of Pôle.
"""Payroll lines: a contract's month, validated then posted to the books"""
from decimal import Decimal

from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .common import CENT, as_date, month_end
from .exceptions import PayrollLineError, PayrollPostError


class PayrollLine(Workflow, ModelSQL, ModelView):
    "Payroll line"
    __name__ = 'insertion.payroll.line'

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    contract = fields.Many2One(
        'insertion.contract', "Contract", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    month = fields.Date(
        "Month", required=True, states=_states,
        help="The first day of the month paid.")
    correction = fields.Boolean(
        "Correction", states=_states,
        help="Corrects a month already posted: its figures add to it.")
    hours_paid = fields.Numeric(
        "Hours Paid", digits=(16, 2), required=True, states=_states)
    hours_worked = fields.Numeric(
        "Hours Worked", digits=(16, 2), required=True, states=_states)
    gross = fields.Numeric(
        "Gross", digits=(16, 2), required=True, states=_states)
    employee_contributions = fields.Numeric(
        "Employee Contributions", digits=(16, 2), required=True,
        states=_states)
    employer_contributions = fields.Numeric(
        "Employer Contributions", digits=(16, 2), required=True,
        states=_states)
    net = fields.Numeric(
        "Net Pay", digits=(16, 2), required=True, states=_states)
    tax = fields.Numeric(
        "Income Tax Withheld", digits=(16, 2), required=True, states=_states)
    bonuses = fields.Numeric(
        "Bonuses", digits=(16, 2), required=True, states=_states,
        help="The part of the gross paid as bonuses.")
    other_contributions = fields.Numeric(
        "Contributions to Other Bodies", digits=(16, 2), required=True,
        states=_states,
        help="The part of the employee and employer contributions due to "
        "bodies other than the URSSAF (pension, unemployment, provident): "
        "credited to 437x instead of 431.")
    action = fields.Many2One(
        'analytic_account.account', "Action", states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'normal'),
            ])
    import_ = fields.Many2One(
        'insertion.payroll.import', "Import", readonly=True,
        ondelete='CASCADE')
    move = fields.Many2One('account.move', "Move", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('validated', "Validated"),
            ('posted', "Posted"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()), (t.month, Index.Range())),
                Index(t, (t.contract, Index.Range()),
                    (t.month, Index.Range())),
                })
        cls._order = [('month', 'DESC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'validated'), ('validated', 'draft'),
            ('validated', 'posted'),
            }
        cls._buttons.update({
                'draft': {'invisible': Eval('state') != 'validated'},
                'validate_line': {'invisible': Eval('state') != 'draft'},
                'post': {'invisible': Eval('state') != 'validated'},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_correction():
        return False

    @classmethod
    def default_bonuses(cls):
        return Decimal(0)

    @classmethod
    def default_other_contributions(cls):
        return Decimal(0)

    @fields.depends('contract')
    def on_change_contract(self):
        if self.contract:
            self.employee = self.contract.employee

    def get_rec_name(self, name):
        return '%s %s' % (self.employee.rec_name, self.month.strftime('%m/%Y'))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names and not field_names & {
                'month', 'gross', 'employee_contributions', 'tax', 'net'}:
            return
        for line in lines:
            if line.month.day != 1:
                raise PayrollLineError(gettext(
                        'insertion_payroll.msg_line_month_first',
                        line=line.rec_name))
            # to the cent: a cent off would post an unbalanced move
            if (line.gross - line.employee_contributions - line.tax
                    != line.net):
                raise PayrollLineError(gettext(
                        'insertion_payroll.msg_line_net',
                        line=line.rec_name))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if mode == 'delete':
            for line in lines:
                if line.state != 'draft':
                    raise PayrollLineError(gettext(
                            'insertion_payroll.msg_line_delete_draft',
                            **line.lock_names()))
        elif mode == 'write':
            # The lock: a line out of draft changes only its state, along
            # the workflow, and gets its move when posted
            allowed = {'state'}
            if values.get('state') == 'posted':
                allowed.add('move')
            for line in lines:
                state = values.get('state', line.state)
                if line.state != 'draft' and (set(values) - allowed
                        or (state != line.state
                            and (line.state, state)
                            not in cls._transitions)):
                    raise PayrollLineError(gettext(
                            'insertion_payroll.msg_line_modify_draft',
                            **line.lock_names()))

    def lock_names(self):
        "The line named by its employee, month and gross, for the lock"
        Lang = Pool().get('ir.lang')
        return {
            'employee': self.employee.rec_name,
            'month': self.month.strftime('%m/%Y'),
            'amount': Lang.get().currency(
                self.gross, self.company.currency, grouping=True),
            }

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, lines):
        pass

    @classmethod
    @ModelView.button
    def validate_line(cls, lines):
        cls.validate_ids([l.id for l in lines])

    @classmethod
    def validate_ids(cls, ids):
        "Validate the draft lines of ids"
        cls._set_state(ids, 'draft', 'validated')

    @classmethod
    @ModelView.button
    def post(cls, lines):
        cls.post_ids([l.id for l in lines])

    @classmethod
    def post_ids(cls, ids):
        """Post the months of the lines of ids: one grouped move per
        structure and month, with every validated line of that month"""
        pool = Pool()
        Company = pool.get('company.company')
        Move = pool.get('account.move')
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        groups = set()
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*line.select(line.company, line.month,
                    where=fields.SQL_OPERATORS['in'](line.id, sub_ids),
                    group_by=[line.company, line.month]))
            groups.update((c, as_date(m)) for c, m in cursor)
        to_post = []
        for company_id, month in sorted(groups):
            company = Company(company_id)
            where = (line.company == company_id) & (line.month == month)
            cursor.execute(*line.select(line.id,
                    where=where & (line.state == 'posted'), limit=1))
            if cursor.fetchone():
                raise PayrollPostError(gettext(
                        'insertion_payroll.msg_post_month_posted',
                        company=company.rec_name,
                        month=month.strftime('%m/%Y')))
            cursor.execute(*line.select(line.id,
                    where=where & (line.state == 'validated')))
            month_ids = [i for i, in cursor]
            if month_ids:
                to_post.append((month_ids, cls.get_move(company, month)))
        moves = [m for _, m in to_post]
        Move.save(moves)
        Move.post(moves)
        for month_ids, move in to_post:
            cls._set_state(month_ids, 'validated', 'posted', move=move.id)

    @classmethod
    def _set_state(cls, ids, from_state, to_state, **values):
        """Move the lines of ids in from_state to to_state (with the
        values): the lines are selected in SQL and written at once by the
        ORM's write (one UPDATE of them all, the caches cleared by it, the
        lock of check_modification applied), Tryton's supported way; no
        raw UPDATE touching the transaction's counter and caches.  One
        write, not one per line.  validate_fields skips the
        figures, checked at the import, when only the state changes.  Who
        changed them and when stays on each line (write_uid, write_date)."""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        ModelAccess.check(cls.__name__, 'write')
        changed = []
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(table.id,
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)
                    & (table.state == from_state)))
            changed.extend(i for i, in cursor)
        if changed:
            cls.write(cls.browse(changed), {'state': to_state, **values})
        return changed

    @classmethod
    def totals(cls, company, month):
        "Totals of the validated lines of the month per action, in SQL"
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(
                line.action,
                Sum(line.gross - line.bonuses), Sum(line.bonuses),
                Sum(line.employer_contributions), Sum(line.net),
                Sum(line.employee_contributions), Sum(line.tax),
                Sum(line.other_contributions),
                where=(line.company == company.id) & (line.month == month)
                & (line.state == 'validated'),
                group_by=[line.action]))
        # SQLite sums numerics as floats
        return [(row[0], *(Decimal(str(v or 0)).quantize(CENT)
                    for v in row[1:]))
            for row in cursor]

    @classmethod
    def get_move(cls, company, month):
        "The grouped payroll move of the company and month (not saved)"
        pool = Pool()
        Configuration = pool.get('insertion.payroll.configuration')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        Period = pool.get('account.period')
        config = Configuration.get(company)
        date = month_end(month)
        with Transaction().set_context(company=company.id):
            period = Period.find(company, date=date)
        description = gettext(
            'insertion_payroll.msg_move_description',
            Pool().get('hub.member').books_language(company),
            month=month.strftime('%m/%Y'))
        lines = []
        credits = {
            config.account_net: Decimal(0),
            config.account_social: Decimal(0),
            config.account_tax: Decimal(0),
            }
        others = Decimal(0)

        def debit(account, amount, action):
            if not amount:
                return
            line = MoveLine(account=account, description=description,
                debit=max(amount, 0), credit=max(-amount, 0))
            if action:
                line.analytic_lines = [AnalyticLine(
                        account=action, date=date,
                        debit=line.debit, credit=line.credit)]
            lines.append(line)

        for (action, salary, bonus, employer, net, employee_c,
                tax, other) in cls.totals(company, month):
            debit(config.account_salary, salary, action)
            debit(config.account_bonus, bonus, action)
            debit(config.account_employer, employer, action)
            credits[config.account_net] += net
            credits[config.account_social] += employee_c + employer - other
            credits[config.account_tax] += tax
            others += other
        if others:
            # pension, unemployment, provident: 437x, not the URSSAF
            if not config.account_other_social:
                raise PayrollPostError(gettext(
                        'insertion_payroll.msg_configuration_other_missing',
                        company=company.rec_name,
                        month=month.strftime('%m/%Y')))
            account = config.account_other_social
            credits[account] = credits.get(account, Decimal(0)) + others
        for account, amount in credits.items():
            if amount:
                lines.append(MoveLine(account=account,
                        description=description,
                        debit=max(-amount, 0), credit=max(amount, 0)))
        return Move(company=company, journal=config.journal, period=period,
            date=date, description=description, lines=lines,
            origin=None)

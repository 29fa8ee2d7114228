# This file is part of Pôle.
"""The accountant's to-do across members: one row per member and kind of
work left (draft moves, past periods still open...), computed by one SQL
query over every member the user may see.

Each kind is a query grouped by company giving (company, count, amount,
date); the modules activated add their kinds in their [register X]
sections by extending `_kinds` and `_open_domain`."""
from sql import Cast, Literal, Null, Union
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.transaction import Transaction

# No kind code reaches this: a row's id is company * KIND_SPAN + code
KIND_SPAN = 100


def today():
    "The date of the to-do: the context's, else today"
    return (Transaction().context.get('date')
        or Pool().get('ir.date').today())


class Todo(ModelSQL, ModelView):
    "Accountant's To-do"
    __name__ = 'hub.todo'

    company = fields.Many2One('company.company', "Member")
    kind = fields.Selection([
            ('move_draft', "Draft moves"),
            ('period_open', "Past periods still open"),
            ], "Kind", sort=False)
    kind_string = kind.translated('kind')
    count = fields.Integer("Count")
    amount = fields.Numeric(
        "Amount", digits=(16, 2),
        help="The total of the records, where it makes sense.")
    date = fields.Date("Oldest Date", help="The date of the oldest record.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('id', 'ASC')]
        cls._buttons.update({
                'open_': {},
                })

    @classmethod
    def _null_amount(cls):
        "The amount of a kind without one: a typed NULL for the union"
        return Cast(Null, cls.amount.sql_type().base)

    @classmethod
    def _kinds(cls):
        """{kind: query} of the kinds known: each query gives the columns
        company, count, amount (a Numeric or NULL) and date, one row per
        company with work left"""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        FiscalYear = pool.get('account.fiscalyear')
        move, line = Move.__table__(), Line.__table__()
        period, fiscalyear = Period.__table__(), FiscalYear.__table__()
        date = today()
        return {
            'move_draft': move
            .join(line, 'LEFT', condition=line.move == move.id)
            .select(
                move.company.as_('company'),
                Count(move.id, distinct=True).as_('count'),
                Sum(Coalesce(line.debit, 0)).as_('amount'),
                Min(move.date).as_('date'),
                where=move.state == 'draft',
                group_by=[move.company]),
            'period_open': period
            .join(fiscalyear, condition=period.fiscalyear == fiscalyear.id)
            .select(
                fiscalyear.company.as_('company'),
                Count(period.id).as_('count'),
                cls._null_amount().as_('amount'),
                Min(period.start_date).as_('date'),
                where=(period.state == 'open')
                & (period.type == 'standard')
                & (period.end_date < date),
                group_by=[fiscalyear.company]),
            }

    @classmethod
    def table_query(cls):
        codes = {k: i for i, (k, _) in enumerate(cls.kind.selection)}
        kinds = cls._kinds()
        assert len(codes) < KIND_SPAN and set(kinds) <= set(codes)
        queries = [
            query.select(
                (query.company * KIND_SPAN + codes[kind]).as_('id'),
                query.company.as_('company'),
                Literal(kind).as_('kind'),
                query.count.as_('count'),
                query.amount.as_('amount'),
                query.date.as_('date'))
            for kind, query in sorted(
                kinds.items(), key=lambda k: codes[k[0]])]
        union = Union(*queries, all_=True)
        return union.select(
            union.id, union.company, union.kind, union.count, union.amount,
            union.date,
            Literal(0).as_('create_uid'),
            Literal(None).as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            where=union.count > 0)

    def _open_action(self):
        """(XML id of the act_window, domain) that list the records of the
        row, in its member"""
        company = self.company.id
        if self.kind == 'move_draft':
            return 'account.act_move_form', [
                ('company', '=', company), ('state', '=', 'draft')]
        elif self.kind == 'period_open':
            return 'account.act_period_form', [
                ('fiscalyear.company', '=', company),
                ('state', '=', 'open'), ('type', '=', 'standard'),
                ('end_date', '<', today())]

    @classmethod
    @ModelView.button
    def open_(cls, todos):
        "Open the records of the first row, in its member's company"
        pool = Pool()
        Action = pool.get('ir.action')
        ModelData = pool.get('ir.model.data')
        if not todos:
            return
        todo = todos[0]
        xml_id, domain = todo._open_action()
        module, name = xml_id.split('.')
        action, = Action.get_action_values('ir.action.act_window',
            [ModelData.get_id(module, name)])
        encoder = PYSONEncoder()
        action['pyson_domain'] = encoder.encode(domain)
        action['pyson_context'] = encoder.encode({
                'company': todo.company.id})
        action['name'] = gettext('hub_todo.msg_open_name',
            kind=todo.kind_string, member=todo.company.rec_name)
        # No tab filters: the domain says what is left
        action['domains'] = []
        return action

# This file is part of Pôle.
"""The backlog over time: the to-do's rows (member, kind, count, amount)
copied each day by a cron task into snapshots dated that day, which a
graph draws, a line per kind."""
from lxml import etree

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, PYSONEncoder
from trytond.transaction import Transaction

from .todo import today


class Snapshot(ModelSQL, ModelView):
    "The to-do of a day"
    __name__ = 'hub.todo.snapshot'
    __string__ = "To-do Snapshot"

    date = fields.Date("Date", required=True, readonly=True)
    company = fields.Many2One('company.company', "Member", required=True,
        readonly=True, ondelete='CASCADE')
    kind = fields.Selection('get_kinds', "Kind", readonly=True, sort=False)
    kind_string = kind.translated('kind')
    count = fields.Integer("Count", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('company', 'ASC'), ('kind', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def get_kinds(cls):
        "The to-do's kinds, those of the modules activated"
        return Pool().get('hub.todo').kind.selection

    @classmethod
    def take(cls, date=None):
        """Copy the to-do of date (default today) for every member into
        its snapshots, replacing those of that date: safe to run twice"""
        pool = Pool()
        Todo = pool.get('hub.todo')
        date = date or pool.get('ir.date').today()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        with transaction.set_context(date=date):
            query = Todo.table_query()
        cursor.execute(*query.select(
                query.company, query.kind, query.count, query.amount))
        rows = cursor.fetchall()
        cls.delete(cls.search([('date', '=', date)]))
        cls.create([{
                    'date': date, 'company': company, 'kind': kind,
                    'count': count, 'amount': amount,
                    } for company, kind, count, amount in rows])
        return len(rows)

    @classmethod
    def take_cron(cls):
        "The cron task: today's snapshot"
        cls.take(today())

    @classmethod
    def parse_view(cls, tree, type, *args, **kwargs):
        """The graph has a line per kind: the count of each kind known in
        place of its field keyed kinds"""
        if type == 'graph':
            encoder = PYSONEncoder()
            # The kinds in the user's language
            kinds = Pool().get('hub.todo').fields_get(
                ['kind'])['kind']['selection']
            for field in tree.xpath('//y/field[@key="kinds"]'):
                for kind, string in kinds:
                    field.addprevious(etree.Element('field', {
                                'name': 'count',
                                'key': kind,
                                'string': string,
                                'domain': encoder.encode(
                                    Eval('kind') == kind),
                                }))
                field.getparent().remove(field)
        return super().parse_view(tree, type, *args, **kwargs)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('hub.todo.snapshot|take_cron', "Snapshot the To-do"))

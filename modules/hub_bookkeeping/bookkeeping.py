# This file is part of Pôle.
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.company import CompanyReport
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateReport, StateTransition, StateView, \
    Wizard

from .member import sum_rows

ACTIONS = [
    ('open_fiscalyear', "Open the next fiscal year"),
    ('close_period', "Close the period"),
    ('lock_fiscalyear', "Lock the fiscal year"),
    ('fec', "Generate the FEC"),
    ('close_year', "Close the year (result to 120/129) and lock it"),
    ('allocate', "Allocate the result (all to retained earnings)"),
    ('settle_vat', "Settle the VAT"),
    ]


class BatchStart(ModelView):
    "Bookkeeping batch over members"
    __name__ = 'hub.bookkeeping.batch.start'

    action = fields.Selection(ACTIONS, "Action", required=True, sort=False)
    date = fields.Date(
        "Date", required=True,
        help="Opening: the next fiscal year after the one containing this "
        "date.\n"
        "Closing: the period containing this date.\n"
        "Locking, FEC, year-end and allocation: the fiscal year "
        "containing this date.")
    members = fields.Many2Many(
        'hub.member', None, None, "Members",
        help="Leave empty to run on every active member.")
    provisional = fields.Boolean(
        "Provisional",
        states={
            'invisible': Eval('action') != 'fec',
            },
        help="Make the FEC of a fiscal year not locked yet, "
        "as a provisional file.")

    @classmethod
    def default_action(cls):
        return 'open_fiscalyear'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_members(cls):
        context = Transaction().context
        if context.get('active_model') == 'hub.member':
            return list(context.get('active_ids') or [])
        return []


class BatchResult(ModelView):
    "Bookkeeping batch over members"
    __name__ = 'hub.bookkeeping.batch.result'

    results = fields.Text("Results", readonly=True)
    file = fields.Binary("Archive", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)


class Batch(Wizard):
    "Bookkeeping batch over members"
    __name__ = 'hub.bookkeeping.batch'

    start = StateView('hub.bookkeeping.batch.start',
        'hub_bookkeeping.batch_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Run", 'run', 'tryton-ok', default=True),
            ])
    run = StateTransition()
    result = StateView('hub.bookkeeping.batch.result',
        'hub_bookkeeping.batch_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_run(self):
        Member = Pool().get('hub.member')
        members = list(self.start.members) or None
        date = self.start.date
        action = self.start.action
        file_ = filename = None
        if action == 'open_fiscalyear':
            results = Member.open_next_fiscalyears(date, members)
        elif action == 'close_period':
            results = Member.close_periods(date, members)
        elif action == 'lock_fiscalyear':
            results = Member.lock_fiscalyears(date, members)
        elif action == 'fec':
            results, file_, filename = Member.generate_fecs(
                date, members, provisional=self.start.provisional)
        elif action == 'close_year':
            results = Member.close_years(date, members)
        elif action == 'allocate':
            results = Member.allocate_results(date, members)
        elif action == 'settle_vat':
            results = Member.settle_vats(date, members)
        self.result.results = format_results(results)
        self.result.file = file_
        self.result.filename = filename if file_ else None
        return 'result'

    def default_result(self, fields):
        file_ = self.result.file
        self.result.file = None  # No need to store it in the session
        return {
            'results': self.result.results,
            'file': file_,
            'filename': self.result.filename,
            }


def format_results(results):
    "One line per member: name, action, done / skipped / failed and why"
    BatchStart = Pool().get('hub.bookkeeping.batch.start')
    labels = dict(BatchStart.fields_get(['action'])['action']['selection'])
    lines = []
    for result in results:
        lines.append(gettext(
                'hub_bookkeeping.msg_result_%s' % result['status'],
                member=result['member'],
                action=labels.get(result['action'], result['action']),
                detail=result['detail']))
    return '\n'.join(lines)


class MemberReportStartMixin:
    "The member of a report, by default the one the report is opened from"
    __slots__ = ()

    member = fields.Many2One('hub.member', "Member", required=True)
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')

    @classmethod
    def default_member(cls):
        context = Transaction().context
        if (context.get('active_model') == 'hub.member'
                and context.get('active_id')):
            return context['active_id']

    @fields.depends('member')
    def on_change_with_company(self, name=None):
        return self.member.company if self.member else None


class TrialBalanceStart(MemberReportStartMixin, ModelView):
    "Trial balance of a member"
    __name__ = 'hub.bookkeeping.trial_balance.start'

    period = fields.Many2One(
        'account.period', "Period", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'standard'),
            ],
        # searched in the member's books, whatever the current company
        context={'hub_company': Eval('company', -1)}, depends={'company'},
        help="Shown beside the period just before it.")
    format = fields.Selection([
            ('ods', "Spreadsheet (ODS)"),
            ('odt', "Text (ODT)"),
            ], "Format", required=True,
        help="The spreadsheet: each account's opening balance, debit, "
        "credit and closing balance.\n"
        "The text: the period beside the period just before it.")

    @classmethod
    def default_format(cls):
        return 'ods'


class MemberPeriodPrintMixin:
    "Print a report of a member's period: both checked before"

    def do_print_(self, action):
        Member = Pool().get('hub.member')
        Member.check_report_access(self.start.member, period=self.start.period)
        return action, {
            'id': self.start.member.id,
            'ids': [self.start.member.id],
            'period': self.start.period.id,
            }


class TrialBalancePrint(MemberPeriodPrintMixin, Wizard):
    "Trial balance of a member"
    __name__ = 'hub.bookkeeping.trial_balance.print'

    start = StateView('hub.bookkeeping.trial_balance.start',
        'hub_bookkeeping.trial_balance_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hub.bookkeeping.trial_balance')

    def do_print_(self, action):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActionReport = pool.get('ir.action.report')
        _, data = super().do_print_(action)
        # Two actions print this report, the spreadsheet and the text: the
        # clients take the one returned (its id becomes data's action_id)
        report = ActionReport(ModelData.get_id('hub_bookkeeping',
                'report_trial_balance_ods' if self.start.format == 'ods'
                else 'report_trial_balance'))
        data['action_id'] = report.id
        return report.action.get_action_value(), data


class MemberReport(CompanyReport):
    """A report of a member's books (data['id'] the member): its records
    are read in its books (hub_company), whatever the current company, as
    the form's fields pointing there read them; get_context checks the
    user's access to the member first"""

    @classmethod
    def execute(cls, ids, data):
        Member = Pool().get('hub.member')
        context = {}
        member_id = (data or {}).get('id')
        if isinstance(member_id, int):
            with without_check_access():
                members = Member.search([('id', '=', member_id)])
            if members:
                context['hub_company'] = members[0].company.id
        with Transaction().set_context(context):
            return super().execute(ids, data)


class TrialBalance(MemberReport):
    "Trial balance of a member for a period beside the previous period"
    __name__ = 'hub.bookkeeping.trial_balance'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Member = pool.get('hub.member')
        Period = pool.get('account.period')
        ModelData = pool.get('ir.model.data')
        context = super().get_context(records, header, data)
        # data comes from the client: the member and its period are checked
        member = Member(data['id'])
        period = Period(data['period'])
        Member.check_report_access(member, period=period)
        context['member'] = member
        context['period'] = period
        context['previous'] = Member.previous_period(period)
        # The spreadsheet: opening and closing balances of every account
        # with a balance or a movement
        opening = data.get('action_id') == ModelData.get_id(
            'hub_bookkeeping', 'report_trial_balance_ods')
        context['rows'] = rows = Member.trial_balance(
            period.id, opening=opening)
        context['total'] = sum_rows(rows)
        context['currency'] = period.company.currency
        return context

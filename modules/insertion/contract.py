# This file is part of Pôle.
"""Insertion contracts (CDDI, AI placements, missions, CDI inclusion) and
the path rules."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Null

from trytond.i18n import gettext
from trytond.model import Check, Index, ModelSQL, ModelView, fields
from trytond.modules.hub.format import format_amount, format_date
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .limit import limit, limit_int, shown
from .exceptions import ContractError
from .common import (CDDI_EXEMPTION_REASONS, CONTRACT_KINDS, HOURS_RULE_KINDS,
    INSERTION_KINDS, SUSPENSION_LEGACY_REASONS, _company_domain, current_path)


class Contract(ModelSQL, ModelView):
    "Insertion contract"
    __name__ = 'insertion.contract'

    company = fields.Many2One('company.company', "Company", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=_company_domain())
    kind = fields.Selection(CONTRACT_KINDS, "Kind", required=True)
    insertion = fields.Function(
        fields.Boolean("Insertion"), 'on_change_with_insertion')
    start_date = fields.Date("Start Date", required=True)
    planned_end_date = fields.Date(
        "Planned End Date",
        states={'required': Eval('kind').in_(
                ['cddi', 'ai_placement', 'etti_mission', 'cdd'])},
        domain=[If(Eval('planned_end_date') & Eval('start_date'),
                ('planned_end_date', '>=', Eval('start_date')), ())])
    end_date = fields.Date(
        "Actual End Date",
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    weekly_hours = fields.Numeric(
        "Weekly Hours", digits=(4, 2), required=True)
    hours = fields.Numeric(
        "Hours Worked", digits=(16, 2),
        help="The hours worked under the contract (AI and ETTI exits are "
        "examined from 150 hours).")
    renewal_of = fields.Many2One(
        'insertion.contract', "Renewal of",
        domain=[
            ('employee', '=', Eval('employee', -1)),
            ('kind', '=', Eval('kind')),
            ('id', '!=', Eval('id', -1)),
            ])
    first = fields.Many2One(
        'insertion.contract', "First Contract", readonly=True,
        help="The contract that started the path (itself when not a "
        "renewal).")
    user_party = fields.Many2One(
        'party.party', "User",
        context={'company': Eval('company', -1)}, depends={'company'},
        states={
            'invisible': Eval('kind') != 'ai_placement',
            'required': Eval('kind') == 'ai_placement',
            },
        help="The company where the person is placed.")
    user_ordinary = fields.Boolean(
        "Ordinary Employer",
        states={'invisible': Eval('kind') != 'ai_placement'},
        help="Placements with an ordinary company are limited to 480 hours "
        "over 24 months.")
    # Read by the counsellors only (insertion.xml): the reason is often a
    # health one.  The end date depends on no unreadable field, so that the
    # directors' views keep it.
    derogation_reason = fields.Char(
        "Hours Derogation",
        help="Why the weekly hours may be under 20 hours.")
    derogation_end_date = fields.Date(
        "Derogation End",
        help="Required with a derogation reason.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('planned_dates', Check(t, (t.planned_end_date == Null)
                    | (t.planned_end_date >= t.start_date)),
                'insertion.msg_contract_dates'),
            ('dates', Check(t, (t.end_date == Null)
                    | (t.end_date >= t.start_date)),
                'insertion.msg_contract_dates'),
            ('weekly_hours_positive', Check(t, t.weekly_hours > 0),
                'insertion.msg_contract_weekly_hours_positive'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.start_date, Index.Range())),
                Index(t, (t.employee, Index.Range())),
                })
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_user_ordinary():
        return True

    @fields.depends('kind')
    def on_change_with_insertion(self, name=None):
        return self.kind in INSERTION_KINDS

    @property
    def last_date(self):
        "The last day of the contract, None if open-ended"
        return self.end_date or self.planned_end_date

    def get_rec_name(self, name):
        kind = dict(self.fields_get(['kind'])['kind']['selection'])[self.kind]
        return '%s, %s (%s)' % (
            self.employee.rec_name, kind, self.start_date)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    def compute_fields(self, field_names=None):
        "Chain the renewals to the first contract"
        values = super().compute_fields(field_names=field_names)
        if not field_names or 'renewal_of' in field_names:
            first = self.first_of_path()
            if self.first != first:
                values['first'] = first.id
        return values

    @classmethod
    def validate_fields(cls, contracts, field_names):
        super().validate_fields(contracts, field_names)
        if field_names and not field_names & {
                'company', 'employee', 'kind', 'start_date',
                'planned_end_date', 'end_date', 'weekly_hours', 'hours',
                'renewal_of', 'user_party', 'user_ordinary',
                'derogation_reason', 'derogation_end_date'}:
            return
        for contract in contracts:
            if contract.derogation_reason and not contract.derogation_end_date:
                raise ContractError(gettext(
                        'insertion.msg_contract_derogation_end',
                        **contract._error_values()))
            if contract.kind not in INSERTION_KINDS:
                continue
            contract.check_pass()
            contract.check_overlap()
            if contract.kind == 'cddi':
                contract.check_cddi()
            if contract.kind in HOURS_RULE_KINDS:
                contract.check_weekly_hours()
            if contract.kind == 'ai_placement':
                contract.check_ai_hours()
            if contract.kind == 'cdi_inclusion':
                contract.check_cdi_inclusion()

    @classmethod
    def on_modification(cls, mode, contracts, field_names=None):
        super().on_modification(mode, contracts, field_names=field_names)
        if mode == 'create':
            for contract in contracts:
                if contract.kind in INSERTION_KINDS:
                    contract.unsuspend_pass()

    def unsuspend_pass(self):
        """A hiring during a suspension of the person's PASS IAE ends the
        suspension the day before, or removes it when it starts that day
        (les-emplois Approval.unsuspend, when a hiring is accepted): the PASS
        end is pushed only by the days not worked.  A suspension with a
        reason kept for history stays (REASONS_ALLOWING_UNSUSPEND)."""
        pool = Pool()
        Suspension = pool.get('insertion.pass.suspension')
        with without_check_access():
            suspensions = Suspension.search([
                    ('pass_.party', '=', self.employee.party.id),
                    ('start_date', '<=', self.start_date),
                    ('end_date', '>=', self.start_date),
                    ('reason', 'not in', sorted(SUSPENSION_LEGACY_REASONS)),
                    ])
            removed = [s for s in suspensions
                if s.start_date == self.start_date]
            ended = [s for s in suspensions if s not in removed]
            if removed:
                Suspension.delete(removed)
            if ended:
                # Its start was checked when it was recorded
                with Transaction().set_context(_insertion_unsuspend=True):
                    Suspension.write(ended, {
                            'end_date': self.start_date - dt.timedelta(1),
                            })

    def _error_values(self):
        return {
            'employee': self.employee.rec_name,
            'start': format_date(self.start_date),
            }

    def check_pass(self):
        pool = Pool()
        Pass = pool.get('insertion.pass')
        # The PASS belongs to the person: one recorded by another structure
        # of the pôle counts (a person keeps it when moving)
        with without_check_access():
            passes = Pass.search([
                    ('party', '=', self.employee.party.id),
                    ('start_date', '<=', self.start_date),
                    ])
            covered = any(p.covers(self.start_date) for p in passes)
        if not covered:
            raise ContractError(gettext(
                    'insertion.msg_contract_no_pass', **self._error_values()))

    def check_overlap(self):
        end = self.last_date or dt.date.max
        domain = [
            ('id', '!=', self.id),
            ('company', '=', self.company.id),
            ('employee', '=', self.employee.id),
            ('kind', 'in', INSERTION_KINDS),
            ('start_date', '<=', end),
            ['OR',
                [('end_date', '=', None), ('planned_end_date', '=', None)],
                [('end_date', '!=', None),
                    ('end_date', '>=', self.start_date)],
                [('end_date', '=', None),
                    ('planned_end_date', '>=', self.start_date)],
                ],
            ]
        others = self.search(domain, limit=1)
        if others:
            other, = others
            raise ContractError(gettext(
                    'insertion.msg_contract_overlap',
                    other=other.rec_name, **self._error_values()))

    def check_cddi(self):
        values = self._error_values()
        minimum = limit_int('cddi_min_months', self.start_date)
        if self.planned_end_date < self.start_date + relativedelta(
                months=minimum, days=-1):
            raise ContractError(gettext(
                    'insertion.msg_contract_cddi_too_short',
                    months=minimum, **values))
        start = self.path_start()
        months = limit_int('path_max_months', start)
        last_day = start + relativedelta(months=months, days=-1)
        last = self.last_date or dt.date.max
        if last > last_day:
            last_day, reason = self.exemption_limit(start)
            if last > last_day:
                raise ContractError(gettext(
                        'insertion.msg_contract_path_too_long',
                        months=months, first=format_date(start),
                        limit=format_date(last_day),
                        **values))

    def path_start(self):
        "The start of the current path of CDDI in the structure"
        contracts = current_path(
            self.company, self.employee.party, self.start_date, [self.kind],
            exclude=self)
        return min([c.start_date for c in contracts] + [self.start_date])

    def exemption_limit(self, start):
        """The last day a CDDI path from start may reach with the
        exemption of a prolongation of the PASS IAE (Code du travail
        L5132-15-1): 50 or more, RQTH or particular difficulties up to
        60 months, a training until it ends; never after the prolongation's
        end.  (limit, reason), the 24-month limit when none applies"""
        pool = Pool()
        Pass = pool.get('insertion.pass')
        last_day = start + relativedelta(
            months=limit_int('path_max_months', start), days=-1)
        reason = None
        with without_check_access():
            passes = Pass.search([
                    ('party', '=', self.employee.party.id),
                    ])
        for pass_ in passes:
            for prolongation in pass_.prolongations:
                if prolongation.reason not in CDDI_EXEMPTION_REASONS:
                    continue
                # None: until the end of the prolongation (a training)
                months = limit_int(
                    'cddi_exemption_%s' % prolongation.reason, start)
                end = prolongation.end_date
                if months is not None:
                    end = min(end, start + relativedelta(
                            months=months, days=-1))
                if end > last_day:
                    last_day, reason = end, prolongation.reason
        return last_day, reason

    def first_of_path(self):
        first, seen = self, {self}
        while first.renewal_of and first.renewal_of not in seen:
            first = first.renewal_of
            seen.add(first)
        return first

    def check_weekly_hours(self):
        hours = self.weekly_hours
        maximum = limit('max_weekly_hours', self.start_date)
        minimum = limit('min_weekly_hours', self.start_date)
        if hours > maximum:
            raise ContractError(gettext(
                    'insertion.msg_contract_hours_too_many',
                    hours=shown(hours), maximum=shown(maximum),
                    **self._error_values()))
        if hours < minimum and not (
                self.derogation_reason
                and self.derogation_end_date
                and self.derogation_end_date >= self.start_date):
            raise ContractError(gettext(
                    'insertion.msg_contract_hours_too_few',
                    hours=shown(hours), minimum=shown(minimum),
                    **self._error_values()))

    def check_ai_hours(self):
        """At most 480 h with one ordinary user over any 24 months: every
        placement with the user, before and after this one, counts"""
        if not self.user_ordinary or not self.user_party:
            return
        window = relativedelta(
            months=limit_int('ai_window_months', self.start_date))
        maximum = limit('ai_max_hours', self.start_date)
        placements = self.search([
                ('employee', '=', self.employee.id),
                ('kind', '=', 'ai_placement'),
                ('user_party', '=', self.user_party.id),
                ('user_ordinary', '=', True),
                ('start_date', '>', self.start_date - window),
                ('start_date', '<', self.start_date + window),
                ])
        placements = set(placements) | {self}
        for first in placements:
            total = sum((p.hours or 0 for p in placements
                    if first.start_date <= p.start_date
                    < first.start_date + window), Decimal(0))
            if total > maximum:
                raise ContractError(gettext(
                        'insertion.msg_contract_ai_hours',
                        hours=shown(total), maximum=shown(maximum),
                        user=self.user_party.rec_name,
                        **self._error_values()))

    def check_cdi_inclusion(self):
        "CDI inclusion in ETP at most 20 % of the conventioned ETP"
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        values = self._error_values()
        agreement = Agreement.valid_at(self.company, 'aci', self.start_date)
        if not agreement:
            raise ContractError(gettext(
                    'insertion.msg_contract_cdi_inclusion_no_agreement',
                    **values))
        contracts = self.search([
                ('company', '=', self.company.id),
                ('kind', '=', 'cdi_inclusion'),
                ('start_date', '<=', self.start_date),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', self.start_date),
                    ],
                ])
        contracts = set(contracts) | {self}
        etp = sum(c.weekly_hours for c in contracts) / limit(
            'max_weekly_hours', self.start_date)
        maximum = agreement.etp * limit(
            'cdi_inclusion_share', self.start_date)
        if etp > maximum:
            raise ContractError(gettext(
                    'insertion.msg_contract_cdi_inclusion_share',
                    etp=format_amount(etp), maximum=format_amount(maximum),
                    agreement=agreement.number, **values))

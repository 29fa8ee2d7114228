# This file is part of Pôle.
"""The State's agreements (annexes financières) and the aide au poste's
rates."""
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Null

from trytond.i18n import gettext
from trytond.model import Check, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hub.format import format_date
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import AgreementError
from .common import AGREEMENT_NUMBER, MEASURES


class AidRate(ModelSQL, ModelView):
    "Aide au poste rate"
    __name__ = 'insertion.aid.rate'

    measure = fields.Selection(MEASURES, "Measure", required=True)
    start_date = fields.Date("Start Date", required=True)
    amount = fields.Numeric(
        "Amount per ETP", digits=(16, 2),
        states={'required': Eval('confirmed', False)},
        help="The base aid for one ETP and one year.\n"
        "Empty while the rate is not published.")
    confirmed = fields.Boolean(
        "Confirmed", help="Whether the rate is taken from a published arrêté.")
    reference_hours = fields.Numeric(
        "Reference Hours", digits=(16, 2),
        help="The annual hours of one ETP of the measure from this date, "
        "proposed to the new AF (each AF keeps its own).")
    source = fields.Char("Source")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('measure_date_unique', Unique(t, t.measure, t.start_date),
                'insertion.msg_aid_rate_unique'),
            ('amount_positive', Check(t, (t.amount == Null) | (t.amount >= 0)),
                'insertion.msg_aid_rate_positive'),
            ]
        cls._order = [
            ('measure', 'ASC'), ('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_confirmed():
        return False

    def get_rec_name(self, name):
        return '%s %s' % (self.measure.upper(), self.start_date)

    @classmethod
    def get_rate(cls, measure, date):
        "The rate in force for the measure at the date, or None"
        rates = cls.search([
                ('measure', '=', measure),
                ('start_date', '<=', date),
                ], order=[('start_date', 'DESC')], limit=1)
        return rates[0] if rates else None

    @classmethod
    def get_reference_hours(cls, measure, date):
        "The reference hours in force for the measure at the date, or None"
        rates = cls.search([
                ('measure', '=', measure),
                ('start_date', '<=', date),
                ('reference_hours', '!=', None),
                ], order=[('start_date', 'DESC')], limit=1)
        return rates[0].reference_hours if rates else None


# What a valid or closed AF may no longer change
LOCKED_AGREEMENT_FIELDS = {
    'company', 'number', 'measure', 'start_date', 'end_date', 'etp',
    'reference_hours', 'modulation', 'departement_amount'}
# Its figures frozen at validation: cleared only by its way back to draft
FROZEN_AGREEMENT_FIELDS = {
    'frozen_base_aid', 'frozen_total_aid', 'frozen_rate_confirmed',
    'frozen_rates'}


class Agreement(Workflow, ModelSQL, ModelView):
    "Annexe financière"
    __name__ = 'insertion.agreement'
    _rec_name = 'number'

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    number = fields.Char(
        "Number", required=True, strip=True, states=_states,
        help="Like ACI051170013A0M1: measure, département, year, "
        "sequence, avenant and modification.")
    measure = fields.Selection(
        MEASURES, "Measure", required=True, states=_states)
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date("End Date", required=True, states=_states)
    etp = fields.Numeric(
        "ETP Conventioned", digits=(16, 2), required=True, states=_states)
    reference_hours = fields.Numeric(
        "Reference Hours", digits=(16, 0), required=True, states=_states,
        help="The annual hours of one ETP.")
    base_aid = fields.Function(fields.Numeric(
            "Base Aid per ETP", digits=(16, 4),
            help="The rate of each month of the AF, averaged (each month's "
            "aid takes its own month's rate)."), 'get_rate')
    rate_confirmed = fields.Function(
        fields.Boolean("Rate Confirmed"), 'get_rate')
    modulation = fields.Numeric(
        "Modulated Part (%)", digits=(4, 2), required=True, states=_states,
        help="Between 0 and 10 % of the base aid.")
    departement_amount = fields.Numeric(
        "Département Co-financing", digits=(16, 2), states=_states)
    total_aid = fields.Function(fields.Numeric(
            "State Aid", digits=(16, 2)), 'get_rate')
    # Frozen at validation: a rate edited later changes no valid AF
    frozen_base_aid = fields.Numeric(
        "Frozen Base Aid", digits=(16, 4), readonly=True)
    frozen_total_aid = fields.Numeric(
        "Frozen State Aid", digits=(16, 2), readonly=True)
    frozen_rate_confirmed = fields.Boolean(
        "Frozen Rate Confirmed", readonly=True)
    # Each month's aid takes its month's rate, frozen with the others
    frozen_rates = fields.One2Many(
        'insertion.agreement.rate', 'agreement', "Frozen Rates",
        readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('valid', "Valid"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.number),
                'insertion.msg_agreement_number_unique'),
            ('dates', Check(t, t.end_date >= t.start_date),
                'insertion.msg_agreement_dates'),
            ('etp_positive', Check(t, t.etp >= 0),
                'insertion.msg_agreement_etp_positive'),
            ]
        cls._order = [
            ('start_date', 'DESC'), ('number', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'valid'), ('valid', 'draft'), ('valid', 'closed'),
            }
        cls._buttons.update({
                'draft': {'invisible': Eval('state') != 'valid'},
                'validate_agreement': {'invisible': Eval('state') != 'draft'},
                'close': {'invisible': Eval('state') != 'valid'},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_modulation():
        return Decimal(0)

    @fields.depends('measure', 'start_date', 'reference_hours')
    def on_change_measure(self):
        pool = Pool()
        Rate = pool.get('insertion.aid.rate')
        Date = pool.get('ir.date')
        if self.measure:
            hours = Rate.get_reference_hours(
                self.measure, self.start_date or Date.today())
            if hours is not None:
                self.reference_hours = hours

    @fields.depends(methods=['on_change_measure'])
    def on_change_start_date(self):
        self.on_change_measure()

    def months(self):
        "The first day of each month of the AF"
        month = self.start_date.replace(day=1)
        while month <= self.end_date:
            yield month
            month += relativedelta(months=1)

    def table_rates(self):
        """{month: (amount, confirmed)} read from the rate table: the rate
        in force on the first day of each month of the AF (23 921 for an
        ACI from 2024-11-01); amount None when the month has none"""
        Rate = Pool().get('insertion.aid.rate')
        result = {}
        for month in self.months():
            rate = Rate.get_rate(self.measure, month)
            if rate:
                result[month] = (rate.amount, bool(rate.confirmed))
            else:
                result[month] = (None, False)
        return result

    def month_rates(self):
        """{month: (amount, confirmed)}: frozen once validated, from the
        table while draft (or while a month had no rate at validation)"""
        if self.state == 'draft' or self.frozen_total_aid is None:
            return self.table_rates()
        if self.frozen_rates:
            return {r.month: (r.amount, bool(r.confirmed))
                for r in self.frozen_rates}
        # Validated before the rates were frozen by month: its average
        return {m: (self.frozen_base_aid, bool(self.frozen_rate_confirmed))
            for m in self.months()}

    def base_aid_of(self, month):
        "The base aid per ETP and year of the month, or None"
        amount, _ = self.month_rates().get(month, (None, False))
        return amount

    @classmethod
    def conventioned_aid_of(cls, etp, modulation, months, amount):
        """The aid of a month for the conventioned ETP: its share of the
        year at its own rate, rounded to the cent as the ASP pays it"""
        if amount is None:
            return None
        return (etp * amount * (1 + modulation / 100) / months).quantize(
            Decimal('0.01'))

    def compute_rate(self, rates=None):
        """(base aid per ETP and year, confirmed, total aid) of the month
        rates (the table's by default): the total is the sum of each
        month's aid at its month's rate, the base their average, shown as
        information; None when a month has no amount"""
        if rates is None:
            rates = self.table_rates()
        if not rates or any(a is None for a, _ in rates.values()):
            return None, False, None
        amounts = [a for a, _ in rates.values()]
        confirmed = all(c for _, c in rates.values())
        base = sum(amounts) / len(amounts)
        total = sum(self.conventioned_aid_of(
                self.etp, self.modulation, len(amounts), a) for a in amounts)
        return base.quantize(Decimal('0.0001')), confirmed, total

    @classmethod
    def get_rate(cls, agreements, names):
        result = {n: {} for n in names}
        for agreement in agreements:
            if agreement.state == 'draft' or (
                    agreement.frozen_total_aid is None):
                base, confirmed, total = agreement.compute_rate()
            else:
                base = agreement.frozen_base_aid
                confirmed = agreement.frozen_rate_confirmed
                total = agreement.frozen_total_aid
            result_ = {
                'base_aid': base,
                'rate_confirmed': bool(confirmed),
                'total_aid': total,
                }
            for name in names:
                result[name][agreement.id] = result_[name]
        return result

    @classmethod
    def check_modification(cls, mode, agreements, values=None,
            external=False):
        super().check_modification(
            mode, agreements, values=values, external=external)
        if mode == 'delete':
            locked = agreements
        elif mode == 'write':
            locked = [a for a in agreements
                if not cls._may_write_locked(a, values)]
        else:
            locked = []
        for agreement in locked:
            if agreement.state != 'draft':
                raise AgreementError(gettext(
                        'insertion.msg_agreement_locked',
                        number=agreement.number))

    @classmethod
    def _may_write_locked(cls, agreement, values):
        """Whether the values may be written on the agreement out of draft:
        none of its locked nor frozen fields, but the frozen figures
        cleared by its transition back to draft"""
        names = set(values)
        if not names & (LOCKED_AGREEMENT_FIELDS | FROZEN_AGREEMENT_FIELDS):
            return True
        return (values.get('state') == 'draft'
            and (agreement.state, 'draft') in cls._transitions
            and names <= FROZEN_AGREEMENT_FIELDS | {'state'}
            and 'frozen_rates' not in names
            and all(values[n] is None for n in names - {'state'}))

    @classmethod
    def validate_fields(cls, agreements, field_names):
        super().validate_fields(agreements, field_names)
        if field_names and not {
                'number', 'measure', 'modulation', 'start_date',
                'end_date'} & field_names:
            return
        for agreement in agreements:
            if not (0 <= agreement.modulation <= 10):
                raise AgreementError(gettext(
                        'insertion.msg_agreement_modulation',
                        number=agreement.number,
                        modulation=agreement.modulation))
            if agreement.start_date.year != agreement.end_date.year:
                # Aid, ETP and the ASP's twelfths are yearly
                raise AgreementError(gettext(
                        'insertion.msg_agreement_one_year',
                        number=agreement.number,
                        start=format_date(agreement.start_date),
                        end=format_date(agreement.end_date)))
            match = AGREEMENT_NUMBER.match(agreement.number)
            if not match:
                raise AgreementError(gettext(
                        'insertion.msg_agreement_number_format',
                        number=agreement.number))
            if match.group(1).lower() != agreement.measure:
                raise AgreementError(gettext(
                        'insertion.msg_agreement_number_measure',
                        number=agreement.number,
                        measure=agreement.measure.upper()))

    @classmethod
    def valid_at(cls, company, measure, date):
        "The valid agreement of the company and measure at date, or None"
        agreements = cls.search([
                ('company', '=', company.id),
                ('measure', '=', measure),
                ('state', 'in', ['valid', 'closed']),
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=1)
        return agreements[0] if agreements else None

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, agreements):
        AgreementRate = Pool().get('insertion.agreement.rate')
        rates = [r for a in agreements for r in a.frozen_rates]
        # Draft first, the frozen figures cleared with it: the lock of
        # check_modification lets only this write clear them
        cls.write(agreements, {
                'state': 'draft',
                'frozen_base_aid': None,
                'frozen_total_aid': None,
                'frozen_rate_confirmed': None,
                })
        # as the transition would, which finds them draft already
        cls.log(agreements, 'transition', 'state:draft')
        AgreementRate.delete(rates)

    @classmethod
    @ModelView.button
    @Workflow.transition('valid')
    def validate_agreement(cls, agreements):
        AgreementRate = Pool().get('insertion.agreement.rate')
        AgreementRate.delete(
            [r for a in agreements for r in a.frozen_rates])
        to_create = []
        for agreement in agreements:
            rates = agreement.table_rates()
            base, confirmed, total = agreement.compute_rate(rates)
            cls.write([agreement], {
                    'frozen_base_aid': base,
                    'frozen_total_aid': total,
                    'frozen_rate_confirmed': confirmed,
                    })
            to_create.extend({
                    'agreement': agreement.id,
                    'month': month,
                    'amount': amount,
                    'confirmed': confirmed_,
                    } for month, (amount, confirmed_) in sorted(
                    rates.items()))
        AgreementRate.create(to_create)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, agreements):
        pass


class AgreementRate(ModelSQL, ModelView):
    "Annexe financière rate of a month"
    __name__ = 'insertion.agreement.rate'

    agreement = fields.Many2One(
        'insertion.agreement', "Annexe Financière", required=True,
        ondelete='CASCADE', readonly=True)
    month = fields.Date("Month", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount per ETP", digits=(16, 2), readonly=True,
        help="The rate in force on the first day of the month when the AF "
        "was validated.")
    confirmed = fields.Boolean("Confirmed", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('agreement_month_unique', Unique(t, t.agreement, t.month),
                'insertion.msg_agreement_rate_unique'),
            ]
        cls._order = [('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_modification(cls, mode, rates, values=None, external=False):
        super().check_modification(
            mode, rates, values=values, external=external)
        Agreement = Pool().get('insertion.agreement')
        # The rates of a valid or closed AF are its frozen figures
        agreements = {r.agreement for r in rates}
        if mode == 'write' and values.get('agreement') is not None:
            agreements.add(Agreement(values['agreement']))
        for agreement in sorted(agreements, key=lambda a: a.id):
            if agreement.state != 'draft':
                raise AgreementError(gettext(
                        'insertion.msg_agreement_locked',
                        number=agreement.number))

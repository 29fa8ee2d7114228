# This file is part of Pôle.
"""What the insertion models share: the State's lists (measures, reasons,
contract kinds, exit destinations) and the rules over a person's path.
Rules from the State's platform (les-emplois) and the Code du travail."""
import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from trytond.pool import Pool
from trytond.pyson import Eval

from .limit import limit_int

MEASURES = [
    ('aci', "ACI"),
    ('ai', "AI"),
    ('ei', "EI"),
    ('eiti', "EITI"),
    ('etti', "ETTI"),
    ]
# Reference annual hours of one ETP, a setting of each AF (domain.md).
# ACI051170013A0M1: measure, département, year, sequence, avenant, change.
AGREEMENT_NUMBER = re.compile(
    r'^(ACI|AI|EITI|EI|ETTI)(\d{2}[0-9AB])(\d{2})(\d{4})A(\d)M(\d)$')
# 5-character ASP prefix and 7 digits.
PASS_NUMBER = re.compile(r'^[0-9A-Z]{5}\d{7}$')
SUSPENSION_REASONS = [
    ('contract_suspended', "Contract suspended for more than 15 days"),
    ('contract_broken', "Contract broken off"),
    ('contract_finished', "Contract finished"),
    ('cta_agreement', "Agreement of the CTA members"),
    ('contrat_passerelle', "Contrat passerelle experiment (ACI, EI)"),
    # Kept for history (les-emplois: old reasons, no longer offered)
    ('sickness', "Sickness"),
    ('maternity', "Maternity"),
    ('incarceration', "Incarceration"),
    ('trial', "Trial period outside the IAE"),
    ('detoxification', "Detoxification"),
    ('force_majeure', "Force majeure"),
    ]
SUSPENSION_LEGACY_REASONS = {
    'sickness', 'maternity', 'incarceration', 'trial', 'detoxification',
    'force_majeure'}
SUSPENSION_REASON_KINDS = {'contrat_passerelle': {'aci', 'ei'}}

PROLONGATION_REASONS = [
    ('senior', "Aged 50 or more"),
    ('rqth', "Disabled worker (RQTH)"),
    ('training', "Completing a training"),
    ('difficulties', "Particular difficulties (AI, ACI)"),
    ('senior_cdi', "CDI inclusion, aged 57 or more"),
    ('health_context', "Health context (until 2021-11-30)"),
    ]
# The reasons that lift the 24-month CDDI path (Code du travail L5132-15-1)
CDDI_EXEMPTION_REASONS = {'senior', 'rqth', 'difficulties', 'training'}
PROLONGATION_LEGACY_REASONS = {'health_context'}
PROLONGATION_REASON_KINDS = {'difficulties': {'ai', 'aci'}}

CONTRACT_KINDS = [
    ('cddi', "CDDI (insertion fixed-term contract)"),
    ('ai_placement', "AI placement (mise à disposition)"),
    ('etti_mission', "ETTI mission"),
    ('cdi_inclusion', "CDI inclusion"),
    ('cdi', "Permanent staff CDI"),
    ('cdd', "Permanent staff CDD"),
    ]
INSERTION_KINDS = ('cddi', 'ai_placement', 'etti_mission', 'cdi_inclusion')
HOURS_RULE_KINDS = ('cddi', 'cdi_inclusion')
# The State's caps and path lengths (CDDI 4 to 24 months, 20 to 35 hours a
# week, AI 480 hours over 24 months...) are dated rows of insertion.limit
# (limit.xml), read at the date each rule checks.

EXIT_DESTINATIONS = [
    ('cdi', "CDI"),
    ('cdd_long', "CDD or temporary work of 6 months or more"),
    ('public_post', "Public-service post"),
    ('business', "Business creation"),
    ('cdd_short', "CDD or temporary work under 6 months"),
    ('subsidised', "Subsidised contract with an ordinary employer"),
    ('training', "Qualifying training"),
    ('other_siae', "Hired by another SIAE"),
    ('job_seeker', "Job seeker"),
    ('inactive', "Inactivity"),
    ('other', "Other"),
    ('withdrawn', "Withdrawn (dismissal for serious misconduct, death, "
        "moving away…)"),
    ]
EXIT_CATEGORIES = [
    ('durable', "Durable employment"),
    ('transition', "Transitional employment"),
    ('positive', "Positive exit"),
    ('other', "Other exit"),
    ('withdrawn', "Withdrawn"),
    ]
DESTINATION_CATEGORY = {
    'cdi': 'durable', 'cdd_long': 'durable', 'public_post': 'durable',
    'business': 'durable',
    'cdd_short': 'transition', 'subsidised': 'transition',
    'training': 'positive', 'other_siae': 'positive',
    'job_seeker': 'other', 'inactive': 'other', 'other': 'other',
    'withdrawn': 'withdrawn',
    }


def structure_kind(company):
    "The hub.member kind of the company, None when it is not a member"
    Member = Pool().get('hub.member')
    members = Member.search([
            ('company', '=', int(company)),
            ('active', 'in', [True, False]),
            ], limit=1)
    return members[0].kind if members else None


def current_path(
        company, party, date, kinds, exclude=None, exit_domain=None):
    """The person's contracts of kinds in the structure that make the path
    going on at date, whatever "renewal of" says: those started on or
    before date, after the person's last exit recorded before date (an exit
    closes a path), chained without a break longer than the limit
    path_break_months (the waiting period after which the State issues a
    new PASS IAE, hence a new path: les-emplois
    Approval.WAITING_PERIOD_YEARS)"""
    pool = Pool()
    Contract = pool.get('insertion.contract')
    Exit = pool.get('insertion.exit')
    domain = [
        ('company', '=', company.id),
        ('employee.party', '=', party.id),
        ('kind', 'in', kinds),
        ('start_date', '<=', date),
        ]
    if exclude and exclude.id is not None and exclude.id >= 0:
        domain.append(('id', '!=', exclude.id))
    exits = Exit.search([
            ('company', '=', company.id),
            ('employee.party', '=', party.id),
            ('date', '<', date),
            ] + (exit_domain or []), order=[('date', 'DESC')], limit=1)
    if exits:
        domain.append(('start_date', '>', exits[0].date))
    contracts = Contract.search(domain, order=[('start_date', 'DESC')])
    path, start = [], date
    months = limit_int('path_break_months', date)
    for contract in contracts:
        last = contract.last_date or dt.date.max
        if last != dt.date.max and last + relativedelta(
                months=months) < start:
            break
        path.append(contract)
        start = min(start, contract.start_date)
    return path


def _company_domain():
    return [
        ('company', '=', Eval('company', -1)),
        ]

# This file is part of Pôle.
"""The DSN (déclaration sociale nominative, norme NEODeS) read as a payroll
file: one rubric a line, ``S21.G00.51.013,'1330.63'``.  It is turned into
the same rows as the CSV file (one per individual: matricule, month,
figures), then matched, checked and created by the CSV's own steps
(import_.py).  The rubrics read and their sources: doc/index.rst (DSN)."""
import datetime as dt
import re
from decimal import Decimal

from trytond.modules.hub.format import format_amount

# A line: the rubric (S21.G00.51.013), a comma, the value in single quotes
LINE = re.compile(r'^(S\d{2}\.G\d{2}\.\d{2}\.\d{3}),(.*)$', re.ASCII)
QUOTED = re.compile(r"^'(.*)'$", re.DOTALL)
# NEODeS numbers: digits, a point and the decimals (1330.63, -120.00)
AMOUNT = re.compile(r'^(-?\d{1,10})(\.\d{1,2})?$', re.ASCII)
DATE = re.compile(r'^(\d{2})(\d{2})(\d{4})$', re.ASCII)
SIRET = re.compile(r'^\d{14}$', re.ASCII)
MAX_VALUE = 256
# The blocks of an individual (S21.G00.30 and its children)
INDIVIDUAL = 30

# The rubric the errors name for each figure of a row
NAMES = {
    'month': 'S20.G00.05.005',
    'code': 'S21.G00.30.019',
    'action': 'S21.G00.30.019',  # a DSN gives no action
    'gross': 'S21.G00.51.013',
    'hours_paid': 'S21.G00.53.002',
    'hours_worked': 'S21.G00.53.002',
    'net': 'S21.G00.50.004',
    'tax': 'S21.G00.50.009',
    'bonuses': 'S21.G00.52.002',
    'employee_contributions': 'S21.G00.50.004',
    'employer_contributions': 'S21.G00.81.004',
    'other_contributions': 'S21.G00.81.004',
    }
GROSS = '001'  # S21.G00.51.011: rémunération brute non plafonnée
UNEMPLOYMENT_GROSS = '002'  # salaire brut chômage, carries the activity
PAID_WORK = '01'  # S21.G00.53.001: travail rémunéré
HOUR = '10'  # S21.G00.53.003: heure
FOUND_GROSS = 'S21.G00.51.011 = 001'
FOUND_HOURS = 'S21.G00.53.001 = 01 (S21.G00.51.011 = 002)'
# The blocks each individual must have: a contract, a payment, the gross,
# the hours paid (a CSV row without them is refused too)
REQUIRED = ['S21.G00.40', 'S21.G00.50', FOUND_GROSS, FOUND_HOURS]


def is_dsn(raw):
    "Whether the file is a DSN: its first rubric is S10.G00.00"
    start = raw.lstrip(b'\xef\xbb\xbf \t\r\n')
    return start.startswith(b'S10.G00.00.')


class Block:
    "One occurrence of a block: its rubrics {number: (line, value)}"

    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.rubrics = {}
        self.last = ''

    def get(self, number):
        return self.rubrics.get(number, (self.line, ''))


class Individual:
    "The figures of one S21.G00.30 and its blocks, summed"

    def __init__(self, block):
        self.line = block.line
        self.code = block.get('019')[1]
        self.name = ' '.join(
            v for v in [block.get('004')[1], block.get('002')[1]] if v)
        # the blocks found, that each individual must have
        self.found = set()
        self.wrong = False
        self.remuneration = None  # the type of the last S21.G00.51
        self.figures = {n: Decimal(0) for n in [
                'gross', 'hours', 'net', 'tax', 'bonuses', 'contributions',
                'other_contributions']}


def lines_of(text):
    "[(line number, text)]: LF, CR LF or CR alone end a line"
    return list(enumerate(re.split(r'\r\n|\r|\n', text), 1))


def parse(raw, siret, month=None):
    """The rows of the DSN [(line number, values, parsed)] as the CSV's
    (see PayrollImport.match) and the errors.  siret: the importing
    structure's; month: the month the DSN must declare, if given."""
    # import_ imports this module: its helpers are taken when called
    from .import_ import MAX_FILE_SIZE, Errors, decode, refuse
    if len(raw) > MAX_FILE_SIZE:
        refuse('msg_import_too_big', size=len(raw) // (1024 * 1024),
            maximum=MAX_FILE_SIZE // (1024 * 1024))
    text = decode(raw).lstrip('\ufeff')
    errors = Errors()
    errors.cell = 'insertion_payroll.msg_import_rubric'

    blocks = []
    count = 0  # rubrics in the file, for S90.G00.90.001
    last_line = 1
    for number, line in lines_of(text):
        if not line.strip():
            continue
        last_line = number
        match = LINE.match(line.strip())
        if not match:
            errors.add(number, 'msg_dsn_bad_line', text=line.strip()[:40])
            continue
        rubric, value = match.groups()
        quoted = QUOTED.match(value)
        if not quoted:
            errors.add(number, 'msg_dsn_unquoted', column=rubric,
                value=value[:40])
            continue
        value = quoted.group(1).strip()
        if len(value) > MAX_VALUE:
            errors.add(number, 'msg_import_cell_size', column=rubric,
                size=len(value), maximum=MAX_VALUE)
            continue
        count += 1
        name, rubric_number = rubric[:10], rubric[11:]
        # a block starts again when its rubrics' numbers start again
        if (not blocks or blocks[-1].name != name
                or rubric_number <= blocks[-1].last):
            blocks.append(Block(name, number))
        blocks[-1].rubrics[rubric_number] = (number, value)
        blocks[-1].last = rubric_number

    def amount(block, number, default=None):
        "The Decimal of the rubric, None when missing or wrong"
        line, value = block.get(number)
        rubric = '%s.%s' % (block.name, number)
        if not value:
            if default is not None:
                return default
            errors.add(line, 'msg_dsn_missing_in_block', column=rubric)
            return None
        match = AMOUNT.match(value)
        if not match:
            errors.add(line, 'msg_dsn_bad_amount', column=rubric,
                value=value)
            return None
        return Decimal(value)

    def date(block, number):
        "The date of the rubric (JJMMAAAA), None when missing or wrong"
        line, value = block.get(number)
        rubric = '%s.%s' % (block.name, number)
        match = DATE.match(value)
        try:
            day, month_, year = (int(v) for v in match.groups())
            return dt.date(year, month_, day)
        except (AttributeError, ValueError):
            errors.add(line, 'msg_dsn_bad_date', column=rubric, value=value)
            return None

    declared = siren = None
    establishments = 0
    individuals = []
    individual = None
    end = None
    for block in blocks:
        if end:
            errors.add(block.line, 'msg_dsn_after_end', column=block.name)
            break
        kind, group = block.name[:3], int(block.name[8:10])
        if block.name == 'S20.G00.05':
            declared = date(block, '005')
            line, value = block.get('005')
            if declared and declared.day != 1:
                errors.add(line, 'msg_dsn_month_day', column=block.name
                    + '.005', value=value)
                declared = None
            if declared and month and declared != month.replace(day=1):
                errors.add(line, 'msg_dsn_month', column=block.name + '.005',
                    month=declared.strftime('%m/%Y'),
                    expected=month.strftime('%m/%Y'))
                declared = None
        elif block.name == 'S21.G00.06':
            siren = block.get('001')[1]
        elif block.name == 'S21.G00.11':
            establishments += 1
            line, nic = block.get('001')
            if siren is None:
                errors.add(line, 'msg_dsn_out_of_order', column=block.name,
                    parent='S21.G00.06')
            elif siren + nic != siret:
                errors.add(line, 'msg_dsn_siret', column=block.name + '.001',
                    siret=siren + nic, expected=siret)
        elif block.name == 'S90.G00.90':
            end = block
            line, value = block.get('001')
            if value != str(count):
                errors.add(line, 'msg_dsn_total', column=block.name + '.001',
                    declared=value, count=count)
        elif block.name == 'S21.G00.30':
            individual = Individual(block)
            individuals.append(individual)
        elif kind == 'S21' and group > INDIVIDUAL and not individual:
            errors.add(block.line, 'msg_dsn_out_of_order', column=block.name,
                parent='S21.G00.30')
        elif individual:
            before = len(errors.items)
            read(block, individual, amount, date, errors)
            if len(errors.items) > before:
                individual.wrong = True
    if not end:
        errors.add(last_line, 'msg_dsn_truncated')
    if declared is None and not any(
            b.name == 'S20.G00.05' for b in blocks):
        errors.add(last_line, 'msg_dsn_missing', rubric='S20.G00.05.005')
    if siren is None:
        errors.add(last_line, 'msg_dsn_missing', rubric='S21.G00.06.001')
    if not individuals and not errors:
        refuse('msg_dsn_no_individual')

    if establishments == 0 and siren is not None:
        errors.add(last_line, 'msg_dsn_missing', rubric='S21.G00.11.001')
    rows = []
    for individual in individuals:
        for block in REQUIRED:
            if block not in individual.found:
                errors.add(individual.line, 'msg_dsn_no_block',
                    column='S21.G00.30', name=individual.name, block=block)
                individual.wrong = True
        parsed = None
        if not individual.wrong and declared:
            parsed = figures_of(individual, declared, errors)
        rows.append((individual.line, {'code': individual.code}, parsed))
    return rows, errors


def read(block, individual, amount, date, errors):
    "Add the figures of a block of the individual"
    figures = individual.figures
    if block.name in {'S21.G00.40', 'S21.G00.50'}:
        individual.found.add(block.name)
    if block.name == 'S21.G00.40':
        date(block, '001')
    elif block.name == 'S21.G00.50':
        for name, number, default in [
                ('net', '004', None), ('tax', '009', Decimal(0))]:
            value = amount(block, number, default)
            if value is not None:
                figures[name] += value
    elif block.name == 'S21.G00.51':
        individual.remuneration = block.get('011')[1]
        value = amount(block, '013')
        if individual.remuneration == GROSS:
            individual.found.add(FOUND_GROSS)
            if value is not None:
                figures['gross'] += value
    elif block.name == 'S21.G00.52':
        value = amount(block, '002')
        if value is not None:
            figures['bonuses'] += value
    elif block.name == 'S21.G00.53':
        if individual.remuneration is None:
            errors.add(block.line, 'msg_dsn_out_of_order',
                column=block.name, parent='S21.G00.51')
            return
        value = amount(block, '002')
        # the hours paid: the paid work, in hours, of the remuneration
        # "salaire brut chômage" (type 002), see doc/index.rst
        if (individual.remuneration == UNEMPLOYMENT_GROSS
                and block.get('001')[1] == PAID_WORK):
            line, unit = block.get('003')
            if unit != HOUR:
                errors.add(line, 'msg_dsn_unit', column=block.name + '.003',
                    unit=unit)
            elif value is not None:
                individual.found.add(FOUND_HOURS)
                figures['hours'] += value
    elif block.name == 'S21.G00.78':
        amount(block, '004')
    elif block.name == 'S21.G00.81':
        value = amount(block, '004')
        line, organism = block.get('002')
        if not organism:
            errors.add(line, 'msg_dsn_organism',
                column=block.name + '.002', code=block.get('001')[1])
        elif value is not None:
            figures['contributions'] += value
            # a body identified by its SIRET (URSSAF) is 431, the others
            # (pension, provident institutions' codes) 437, see doc
            if not SIRET.match(organism):
                figures['other_contributions'] += value


def figures_of(individual, month, errors):
    """(month, figures, correction) of the individual, as the CSV's
    figures_of, None when a figure is wrong (added to errors)"""
    f = individual.figures
    for name, rubric in [('gross', 'S21.G00.51.013'),
            ('hours', 'S21.G00.53.002'), ('net', 'S21.G00.50.004'),
            ('tax', 'S21.G00.50.009'), ('bonuses', 'S21.G00.52.002')]:
        if f[name] < 0:
            errors.add(individual.line, 'msg_dsn_negative', column=rubric,
                name=individual.name, value=format_amount(f[name]))
            return None
    # the DSN gives no employee share: it is what the gross lost on the
    # way to the net paid, the income tax apart
    employee = f['gross'] - f['net'] - f['tax']
    employer = f['contributions'] - employee
    if employee < 0 or employer < 0 or f['other_contributions'] < 0:
        errors.add(individual.line, 'msg_dsn_contributions',
            column='S21.G00.81.004', name=individual.name,
            total=format_amount(f['contributions']),
            other=format_amount(f['other_contributions']),
            employee=format_amount(employee), gross=format_amount(f['gross']),
            net=format_amount(f['net']), tax=format_amount(f['tax']))
        return None
    return month, {
        'hours_paid': f['hours'],
        # a DSN declares the hours paid, not the hours worked
        'hours_worked': f['hours'],
        'gross': f['gross'],
        'employee_contributions': employee,
        'employer_contributions': employer,
        'net': f['net'],
        'tax': f['tax'],
        'bonuses': f['bonuses'],
        'other_contributions': f['other_contributions'],
        }, False

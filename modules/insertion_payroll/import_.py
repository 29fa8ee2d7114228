# This file is part of Pôle.
"""The import of the payroll software's CSV file: parse -> match -> check
-> create.  It never guesses: every doubt is a named error (line, column,
reason) and nothing is written."""
import csv
import datetime as dt
import difflib
import hashlib
import io
import re
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.hub.format import format_amount, format_number
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import dsn
from .exceptions import PayrollImportError
from .common import MAX_MONTH_HOURS, check_company, month_end

# Column of the CSV file: French header -> field
COLUMNS = [
    ('mois', 'month'),
    ('matricule', 'code'),
    ('heures_payees', 'hours_paid'),
    ('heures_travaillees', 'hours_worked'),
    ('brut', 'gross'),
    ('cotisations_salariales', 'employee_contributions'),
    ('cotisations_patronales', 'employer_contributions'),
    ('net', 'net'),
    ('impot_preleve', 'tax'),
    ('primes', 'bonuses'),
    ('cotisations_autres_organismes', 'other_contributions'),
    ('action', 'action'),
    ('correction', 'correction'),
    ]
OPTIONAL_COLUMNS = {
    'primes', 'cotisations_autres_organismes', 'action', 'correction'}
AMOUNTS = ['gross', 'employee_contributions', 'employer_contributions',
    'net', 'tax', 'bonuses', 'other_contributions']
HOURS = ['hours_paid', 'hours_worked']
# Figures an optional column gives (0 when the column is absent)
OPTIONAL_FIGURES = {'bonuses', 'other_contributions'}

MAX_FILE_SIZE = 20 * 1024 * 1024  # a year of 10 000 lines is ~1 MB
MAX_CELL = 256  # characters: no payroll value is longer
MAX_ERRORS = 100  # shown; the others are counted
SEPARATORS = [';', ',']
# 1 234,56 / 1234.56 / -12: at most 10 digits before the decimals, 2 after;
# no exponent, no NaN, no infinity, no thousands separator but spaces
# re.ASCII: \d is 0-9 only, not every Unicode digit ('١٢٣', '１２３'),
# which int() and Decimal() would read as numbers
NUMBER = re.compile(
    r'^(-?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,10})(?:[.,](\d{1,2}))?$',
    re.ASCII)
MONTH_ISO = re.compile(r'^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$', re.ASCII)
MONTH_FR = re.compile(r'^(\d{1,2})/(\d{4})$', re.ASCII)
YES = {'1', 'oui', 'o', 'x', 'vrai', 'yes', 'true'}
NO = {'', '0', 'non', 'n', 'faux', 'no', 'false'}
# UTF-8 multi-byte sequences: a file holding some is UTF-8, even if broken
UTF8_SEQUENCE = re.compile(rb'[\xc2-\xf4][\x80-\xbf]')
CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')
# csv stops at a cell over its limit (128 KB) without naming it: a run of
# plain characters that long is cut to MAX_CELL and this mark (a control
# character, so never in a file read), and the cell is named
CUT = '\x00'
CSV_LIMIT = 128 * 1024


def cut_long_runs(text, separator):
    "The text with each run over csv's limit cut (separators, quotes kept)"
    run = re.compile('[^%s"\r\n]{%d,}' % (re.escape(separator), CSV_LIMIT))
    return run.sub(lambda m: m.group()[:MAX_CELL] + CUT, text)


class Errors:
    "The errors found in the file, in the order of its lines"
    # the message naming a line and a cell (a column; a rubric in a DSN)
    cell = 'insertion_payroll.msg_import_cell'

    def __init__(self):
        self.items = []
        self.lines = set()

    def __bool__(self):
        return bool(self.items)

    def add(self, line, reason, column=None, **values):
        reason = gettext('insertion_payroll.' + reason, **values)
        if column:
            text = gettext(self.cell, line=line, column=column,
                reason=reason)
        else:
            text = gettext('insertion_payroll.msg_import_line',
                line=line, reason=reason)
        self.items.append((line, text))
        self.lines.add(line)

    def raise_(self):
        items = sorted(self.items, key=lambda e: e[0])
        text = '\n'.join(t for _, t in items[:MAX_ERRORS])
        if len(items) > MAX_ERRORS:
            text += '\n' + gettext('insertion_payroll.msg_import_more',
                count=len(items) - MAX_ERRORS)
        raise PayrollImportError(gettext(
                'insertion_payroll.msg_import_errors',
                count=len(self.lines), errors=text))


def refuse(message, **values):
    raise PayrollImportError(gettext(
            'insertion_payroll.' + message, **values))


def line_of(raw, offset):
    "The line number of the byte at offset (CR, LF or CR LF endings)"
    text = raw[:offset].replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    return text.count(b'\n') + 1


def decode(raw):
    """The text of the file: UTF-8 (with or without BOM), UTF-16 with its
    BOM, else Windows-1252 (which covers Latin-1's letters).  A file with
    UTF-8 sequences that is not valid UTF-8 is broken, not Windows-1252."""
    if raw.startswith((b'\xff\xfe', b'\xfe\xff')):
        try:
            return raw.decode('utf-16')
        except UnicodeDecodeError as exception:
            refuse('msg_import_encoding',
                line=line_of(raw, exception.start), encoding='UTF-16')
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError as exception:
        if UTF8_SEQUENCE.search(raw):
            refuse('msg_import_encoding',
                line=line_of(raw, exception.start), encoding='UTF-8')
        try:
            text = raw.decode('cp1252')
        except UnicodeDecodeError as exception:
            refuse('msg_import_encoding',
                line=line_of(raw, exception.start), encoding='Windows-1252')
    control = CONTROL.search(text)
    if control:
        before = text[:control.start()].encode('utf-8')
        refuse('msg_import_control', line=line_of(before, len(before)),
            code='%02X' % ord(control.group()))
    return text


def parse_number(value):
    "The Decimal of the cell, or None if it is not a plain number"
    match = NUMBER.match(value)
    if not match:
        return None
    sign, integer, decimals = match.groups()
    integer = re.sub(r'\D', '', integer)
    return Decimal(sign + integer + ('.' + decimals if decimals else ''))


def parse_month(value):
    "The first day of the month of the cell, or None"
    match = MONTH_ISO.match(value)
    if match:
        year, month, day = match.groups()
    else:
        match = MONTH_FR.match(value)
        if not match:
            return None
        (month, year), day = match.groups(), None
    try:
        # the day, when given, must exist: 2024-01-45 is not January
        dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    return dt.date(int(year), int(month), 1)


def parse(raw):
    """The rows of the file: [(line number, {field: value})].
    The file-wide faults are refused at once; the errors of the rows are
    returned, with the rows that are right."""
    if len(raw) > MAX_FILE_SIZE:
        refuse('msg_import_too_big', size=len(raw) // (1024 * 1024),
            maximum=MAX_FILE_SIZE // (1024 * 1024))
    if not raw.strip():
        refuse('msg_import_empty')
    text = decode(raw)
    if not text.strip(' \t\r\n\ufeff'):
        refuse('msg_import_empty')
    # newline='': CR, LF and CR LF all end a line, also CR alone
    first = io.StringIO(text, newline='').readline()
    used = [s for s in SEPARATORS if s in first]
    if len(used) != 1:
        refuse('msg_import_separator', separators=' '.join(
                '"%s"' % s for s in SEPARATORS))
    text = cut_long_runs(text, used[0])
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=used[0],
        strict=True)
    errors = Errors()
    rows = []
    try:
        header = [h.strip().lower() for h in next(reader)]
        names = dict(COLUMNS)
        for index, name in enumerate(header, 1):
            if CUT in name:
                errors.add(1, 'msg_import_field_size', column=index,
                    maximum=MAX_CELL)
            elif name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                if close:
                    errors.add(1, 'msg_import_unknown_column_close',
                        column=index, name=name, close=close[0])
                else:
                    errors.add(1, 'msg_import_unknown_column',
                        column=index, name=name)
            elif header.index(name) != index - 1:
                errors.add(1, 'msg_import_column_twice', column=index,
                    name=name)
        missing = [h for h, _ in COLUMNS
            if h not in header and h not in OPTIONAL_COLUMNS]
        if missing:
            errors.add(1, 'msg_import_header', columns=', '.join(missing))
        if errors:
            errors.raise_()
        for row in reader:
            number = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                if len(row) < len(header):
                    errors.add(number, 'msg_import_truncated',
                        column=header[len(row)], count=len(row),
                        expected=len(header))
                else:
                    errors.add(number, 'msg_import_extra_cell',
                        column=len(header) + 1, count=len(row),
                        expected=len(header))
                continue
            values = {}
            for name, value in zip(header, row):
                value = value.strip()
                if CUT in value:
                    errors.add(number, 'msg_import_field_size', column=name,
                        maximum=MAX_CELL)
                elif len(value) > MAX_CELL:
                    errors.add(number, 'msg_import_cell_size', column=name,
                        size=len(value), maximum=MAX_CELL)
                else:
                    values[names[name]] = value
            rows.append((number, values))
    except csv.Error as exception:
        # the reader stops here: a field over csv's own limit (128 KB) that
        # cut_long_runs left (quoted, with separators in it), a quote not
        # closed or text after a closing quote
        number = reader.line_num or 1
        if 'field larger than field limit' in str(exception):
            errors.add(number, 'msg_import_field_size', maximum=MAX_CELL)
        else:
            errors.add(number, 'msg_import_quote')
        errors.raise_()
    if not rows and not errors:
        refuse('msg_import_no_rows')
    return rows, errors


def figures_of(number, values, errors):
    """The month, the figures and the correction flag of a row, None when
    a cell is wrong (added to errors)"""
    names = {f: h for h, f in COLUMNS}
    result = {}
    month = parse_month(values.get('month', ''))
    if not month:
        errors.add(number, 'msg_import_bad_month', column='mois',
            value=values.get('month', ''))
    correction = values.get('correction', '').lower()
    if correction not in YES | NO:
        errors.add(number, 'msg_import_bad_correction', column='correction',
            value=values.get('correction'))
    correction = correction in YES
    for name in HOURS + AMOUNTS:
        value = values.get(name, '')
        if not value and name in OPTIONAL_FIGURES:
            result[name] = Decimal(0)
            continue
        if not value:
            errors.add(number, 'msg_import_empty_cell', column=names[name])
            continue
        figure = parse_number(value)
        if figure is None:
            errors.add(number, 'msg_import_bad_number', column=names[name],
                value=value)
            continue
        if name in AMOUNTS and figure < 0 and not correction:
            errors.add(number, 'msg_import_negative', column=names[name],
                value=value)
            continue
        result[name] = figure
    if not month or len(result) != len(HOURS + AMOUNTS):
        return None
    return month, result, correction


class PayrollImport(ModelSQL, ModelView):
    "Payroll import"
    __name__ = 'insertion.payroll.import'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    filename = fields.Char("File Name", readonly=True)
    digest = fields.Char("Digest", required=True, readonly=True)
    date = fields.DateTime("Date", readonly=True)
    lines = fields.One2Many(
        'insertion.payroll.line', 'import_', "Lines", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('digest_unique', Unique(t, t.company, t.digest),
                'insertion_payroll.msg_import_digest_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'validate_lines': {},
                'post_lines': {},
                })

    @staticmethod
    def default_date():
        return dt.datetime.now()

    @classmethod
    def check_modification(cls, mode, imports, values=None, external=False):
        super().check_modification(
            mode, imports, values=values, external=external)
        if mode not in {'write', 'delete'}:
            return
        # The lock: a file with a line validated or posted is kept as it is
        Line = Pool().get('insertion.payroll.line')
        lines = Line.search([
                ('import_', 'in', [i.id for i in imports]),
                ('state', '!=', 'draft'),
                ], order=[('id', 'ASC')], limit=1)
        if lines:
            line, = lines
            raise PayrollImportError(gettext(
                    'insertion_payroll.msg_import_locked',
                    import_=line.import_.filename or line.import_.digest,
                    **line.lock_names()))

    @classmethod
    def line_ids(cls, imports):
        "The ids of the lines of the imports, in SQL"
        if not imports:
            return []
        Line = Pool().get('insertion.payroll.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(line.id,
                where=line.import_.in_([i.id for i in imports])))
        return [i for i, in cursor]

    @classmethod
    @ModelView.button
    def validate_lines(cls, imports):
        "Validate the draft lines of the files at once"
        Pool().get('insertion.payroll.line').validate_ids(
            cls.line_ids(imports))

    @classmethod
    @ModelView.button
    def post_lines(cls, imports):
        "Post the months of the files' lines at once"
        Pool().get('insertion.payroll.line').post_ids(cls.line_ids(imports))

    @classmethod
    def import_file(cls, company, data, filename=None, again='skip',
            month=None):
        """Import the payroll lines of the file for the company: a CSV
        file, or a DSN (found by its first rubric, see dsn.py) that must
        declare the company's SIRET and, when given, the month.

        Every line is checked first: if any is wrong, a PayrollImportError
        lists each with its line, column and reason and nothing is written.
        The same file imported again imports nothing: returns None
        (again='skip') or is refused by name (again='refuse', the wizard).
        The company must be one the user works in (the wizard runs without
        access checks): the employees, contracts and actions are matched
        in that company only."""
        check_company(company, 'insertion_payroll.msg_import_company_access')
        raw = data.encode('utf-8') if isinstance(data, str) else bytes(data)
        digest = hashlib.sha256(raw).hexdigest()
        previous = cls.search([
                ('company', '=', company.id),
                ('digest', '=', digest),
                ], limit=1)
        if previous:
            if again == 'skip':
                return None
            previous, = previous
            refuse('msg_import_again', filename=previous.filename or '',
                date=previous.date.strftime('%d/%m/%Y %H:%M'))
        if dsn.is_dsn(raw):
            rows, errors = dsn.parse(raw, cls.siret_of(company), month)
            names = dsn.NAMES
        else:
            rows, errors = parse(raw)
            rows = [(n, v, figures_of(n, v, errors)) for n, v in rows]
            names = None
        matched = cls.match(company, rows, errors, names)
        cls.check(matched, errors, names)
        if errors:
            errors.raise_()
        return cls.create_lines(company, filename, digest, matched)

    @classmethod
    def siret_of(cls, company):
        "The SIRET of the company's member, that its DSN must declare"
        Member = Pool().get('hub.member')
        with Transaction().set_context(active_test=False):
            members = Member.search([('company', '=', company.id)], limit=1)
        if not members or not members[0].siret:
            refuse('msg_dsn_no_siret', company=company.rec_name)
        return members[0].siret

    @classmethod
    def match(cls, company, rows, errors, names=None):
        """[(line number, contract, month, figures, action, correction)] of
        the rows [(line number, values, parsed)] whose cells are right
        (parsed: (month, figures, correction), None when wrong) and whose
        employee, contract and action are found in the company.  names:
        field -> the column (a DSN's rubric) the errors name"""
        names = names or {f: h for h, f in COLUMNS}
        pool = Pool()
        Employee = pool.get('company.employee')
        Contract = pool.get('insertion.contract')
        Analytic = pool.get('analytic_account.account')
        codes = list({v['code'] for _, v, _ in rows if v.get('code')})
        employees = {}
        # per company: the payroll number, else the party code
        for employee in Employee.search([
                    ('company', '=', company.id),
                    ['OR',
                        ('payroll_number', 'in', codes),
                        [('payroll_number', '=', None),
                            ('party.code', 'in', codes)],
                        ],
                    ]):
            # a payroll number wins over another employee's party code
            if (employee.payroll_number
                    or employee.payroll_code not in employees):
                employees[employee.payroll_code] = employee
        contracts = {}
        for contract in Contract.search([
                    ('company', '=', company.id),
                    ('employee', 'in', [e.id for e in employees.values()]),
                    ], order=[('start_date', 'ASC')]):
            contracts.setdefault(contract.employee.id, []).append(contract)
        action_codes = list(
            {v['action'] for _, v, _ in rows if v.get('action')})
        actions = {a.code: a for a in Analytic.search([
                    ('company', '=', company.id),
                    ('code', 'in', action_codes),
                    ('type', '=', 'normal'),
                    ])} if action_codes else {}

        matched = []
        for number, values, parsed in rows:
            code = values.get('code')
            employee = employees.get(code)
            if not employee:
                errors.add(number, 'msg_import_unknown_employee',
                    column=names['code'], code=code or '')
                continue
            action = None
            if values.get('action'):
                action = actions.get(values['action'])
                if not action:
                    errors.add(number, 'msg_import_unknown_action',
                        column=names['action'], code=values['action'])
                    continue
            if not parsed:
                continue
            month, figures, correction = parsed
            contract = None
            for candidate in contracts.get(employee.id, []):
                last = candidate.last_date
                if (candidate.start_date <= month_end(month)
                        and (not last or last >= month)):
                    contract = candidate
            if not contract:
                if contracts.get(employee.id):
                    errors.add(number, 'msg_import_month_outside',
                        column=names['month'], employee=employee.rec_name,
                        month=month.strftime('%m/%Y'))
                else:
                    errors.add(number, 'msg_import_no_contract',
                        column=names['code'], employee=employee.rec_name)
                continue
            matched.append(
                (number, contract, month, figures, action, correction))
        return matched

    @classmethod
    def check(cls, matched, errors, names=None):
        "Add to errors the figures that do not hold and the months twice"
        Line = Pool().get('insertion.payroll.line')
        names = names or {f: h for h, f in COLUMNS}
        wrong = set()
        for number, contract, month, figures, _, correction in matched:
            count = len(errors.items)
            for name in HOURS:
                if not 0 <= figures[name] <= MAX_MONTH_HOURS:
                    errors.add(number, 'msg_import_hours',
                        column=names[name],
                        hours=format_number(figures[name]),
                        maximum=format_number(MAX_MONTH_HOURS))
                    break
            # to the cent: a cent off posts an unbalanced move
            computed = (figures['gross'] - figures['employee_contributions']
                - figures['tax'])
            if computed != figures['net']:
                errors.add(number, 'msg_import_net', column=names['net'],
                    gross=format_amount(figures['gross']),
                    contributions=format_amount(
                        figures['employee_contributions']),
                    tax=format_amount(figures['tax']),
                    computed=format_amount(computed),
                    net=format_amount(figures['net']))
            if not correction and figures['bonuses'] > figures['gross']:
                errors.add(number, 'msg_import_bonuses',
                    column=names['bonuses'],
                    bonuses=format_amount(figures['bonuses']),
                    gross=format_amount(figures['gross']))
            contributions = (figures['employee_contributions']
                + figures['employer_contributions'])
            if (not correction
                    and figures['other_contributions'] > contributions):
                errors.add(number, 'msg_import_other_contributions',
                    column=names['other_contributions'],
                    other=format_amount(figures['other_contributions']),
                    contributions=format_amount(contributions))
            if len(errors.items) > count:
                wrong.add(number)

        # A month already imported, in the database or earlier in the file
        # (a correction adds to its month)
        seen = {}
        existing = set()
        contract_ids = list({m[1].id for m in matched})
        if contract_ids:
            for line in Line.search([
                        ('contract', 'in', contract_ids),
                        ('correction', '=', False),
                        ]):
                existing.add((line.contract.id, line.month))
        for number, contract, month, _, _, correction in matched:
            if correction or number in wrong:
                continue
            key = (contract.id, month)
            if key in existing:
                errors.add(number, 'msg_import_already',
                    column=names['month'],
                    employee=contract.employee.rec_name,
                    month=month.strftime('%m/%Y'))
            elif key in seen:
                errors.add(number, 'msg_import_duplicate',
                    column=names['month'],
                    employee=contract.employee.rec_name,
                    month=month.strftime('%m/%Y'), other=seen[key])
            else:
                seen[key] = number

    @classmethod
    def create_lines(cls, company, filename, digest, matched):
        "The import and its draft lines"
        Line = Pool().get('insertion.payroll.line')
        import_, = cls.create([{
                    'company': company.id,
                    'filename': filename,
                    'digest': digest,
                    }])
        to_create = []
        for _, contract, month, figures, action, correction in matched:
            values = {
                'company': company.id,
                'contract': contract.id,
                'employee': contract.employee.id,
                'month': month,
                'import_': import_.id,
                'action': action.id if action else None,
                'state': 'draft',
                'correction': correction,
                }
            values.update(figures)
            to_create.append(values)
        Line.create(to_create)
        return import_


class ImportStart(ModelView):
    "Import payroll"
    __name__ = 'insertion.payroll.import.start'

    company = fields.Many2One('company.company', "Company", required=True,
        domain=[
            ('id', If(Eval('context', {}).contains('company'), '=', '!='),
                Eval('context', {}).get('company', -1)),
            ])
    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")
    month = fields.Date("Month",
        help="For a DSN file: the month it must declare (any day of the "
        "month). A CSV file gives the month on each line.")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class Import(Wizard):
    "Import payroll"
    __name__ = 'insertion.payroll.import.wizard'

    start = StateView('insertion.payroll.import.start',
        'insertion_payroll.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()

    def transition_import_(self):
        pool = Pool()
        PayrollImport = pool.get('insertion.payroll.import')
        PayrollImport.import_file(
            self.start.company, self.start.file, self.start.filename,
            again='refuse', month=self.start.month)
        return 'end'

"""The demo in a real browser: sao (the web client) on trytond, in Chromium.

What it does:

- builds a small pôle of its own in a temporary folder, in French: every
  module activated, then ``scripts/build_demo.py`` with a reduced
  definition (the first three members of config/demo.json: the collective
  and two ACI sharing PEOPLE people in insertion; its four users);
- starts ``trytond`` on a free loopback port, serving the web client
  installed by ``ensure_sao`` (scripts/env.sh) under var/sao;
- in headless Chromium, one journey per test (one server and database for
  all), each asserting what the screens show in French:

  - the accountant checks the "Pôle" menu, switches company in the
    preferences and lists the members (Pôle > Associations membres);
  - the board member finds no person in the menus and prints the board
    report (its PDF read back with pdftotext);
  - the counsellor finds a person by name in the PASS IAE list, opens the
    PASS, then the person's contracts (dates, labels, hours); she opens
    the graph of her structure's ETP consumed and conventioned;
  - the director opens the directors' dashboard (each member's result of
    the year and cash, as the move lines give them);
  - the director prints the combined statements as PDF and as a
    spreadsheet, and drills down from a line of the combined income
    statement to its move lines;
  - the accountant posts an invoice of the collective to Les Jardins du
    Val and opens its mirror among Les Jardins du Val's supplier invoices
    (amounts, reference, the source it mirrors, no access error).

The database is always SQLite, whatever TRYTOND_DATABASE_URI says: the test
is about the web client and the server working together, not the backend
(the other tests cover PostgreSQL), and a throw-away SQLite file needs no
server rights nor cleanup.  The freshly activated database (before the
members) is kept under $POLE_FILE_CACHE/browser/, which conftest.py makes per
backend and per content of modules/, so later runs skip the activation.

Needs Debian's chromium and chromium-driver (/usr/bin/chromium,
/usr/bin/chromedriver): Selenium Manager never downloads anything here.
Skipped when they are missing, or when the web client is missing and npm is
not there to install it.  Screenshots (and the PDF printed) go to
var/browser/.
"""
import datetime as dt
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal

import pytest

# Always on SQLite: the run on PostgreSQL would repeat the SQLite run's test.
pytestmark = pytest.mark.skipif(
    os.environ.get('TRYTOND_DATABASE_URI', '').startswith('postgresql'),
    reason="on SQLite whatever the backend: run by the SQLite run")

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
SAO_ROOT = ROOT / 'var' / 'sao' / 'node_modules' / 'tryton-sao'
SCREENSHOTS = ROOT / 'var' / 'browser'
CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
DATABASE = 'pole_browser'
TIMEOUT = 30
REPORT_TIMEOUT = 180
# People in insertion, shared by the demo's two ACI (Les Jardins du Val,
# Recyclerie du Val): the pôle's figures show to a reader of neither
PEOPLE = 60


def _demo_definition():
    demo = json.loads((ROOT / 'config' / 'demo.json').read_text())
    members = demo['members'][:3]
    keys = {m['key'] for m in members}
    # Every user of the demo whose members are among those (all four).
    users = [u for u in demo['users']
        if u['members'] == 'all' or set(u['members']) <= keys]
    return {
        'database': DATABASE,
        'language': demo['language'],
        'admin': demo['admin'],
        'members': members,
        'users': users,
        'insertion': {'people': PEOPLE},
        }


def _ensure_sao():
    "Install the web client if needed, as scripts/demo does"
    if not (SAO_ROOT / 'dist').is_dir() and not shutil.which('npm'):
        pytest.skip(
            "web client missing (var/sao) and no npm to install it: "
            "run scripts/demo --build-only")
    subprocess.run(
        ['bash', '-c', 'source scripts/env.sh; ensure_sao'], cwd=ROOT,
        check=True)


def _env(folder):
    "The subprocesses' environment: SQLite in folder, no config file"
    env = dict(os.environ)
    env.pop('TRYTOND_CONFIG', None)
    env['TRYTOND_DATABASE_URI'] = 'sqlite://'
    env['TRYTOND_DATABASE__PATH'] = str(folder)
    return env


def _run(args, env, log):
    with open(log, 'ab') as out:
        result = subprocess.run(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode:
        pytest.fail("%s failed (%s):\n%s" % (
                ' '.join(map(str, args)), result.returncode,
                _tail(log)))


def _tail(log, lines=40):
    try:
        return '\n'.join(
            pathlib.Path(log).read_text(errors='replace').splitlines()[
                -lines:])
    except OSError:
        return ''


def _build_database(folder, definition):
    env = _env(folder)
    log = folder / 'build.log'
    target = folder / f'{DATABASE}.sqlite'
    cache = None
    if os.environ.get('POLE_FILE_CACHE'):
        cache = (pathlib.Path(os.environ['POLE_FILE_CACHE'])
            / 'browser' / 'pole-fr.sqlite')
    if cache and cache.exists():
        shutil.copyfile(cache, target)
    else:
        passfile = folder / 'admin-password'
        passfile.write_text(definition['admin']['password'])
        target.touch()
        # Every module of the project, as scripts/demo does
        modules = sorted(
            p.parent.name for p in (ROOT / 'modules').glob('*/tryton.cfg'))
        _run([BIN / 'trytond-admin', '-d', DATABASE, '--all',
                '-u', *modules, '--activate-dependencies',
                '-l', 'fr', '--email', 'admin@example.org'],
            dict(env, TRYTONPASSFILE=str(passfile)), log)
        if cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_name(f'{cache.name}.{os.getpid()}')
            shutil.copyfile(target, partial)
            os.replace(partial, cache)
    path = folder / 'demo.json'
    path.write_text(json.dumps(definition))
    _run([sys.executable, ROOT / 'scripts' / 'build_demo.py', path], env, log)


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait_http(url, process, log, timeout=60):
    end = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail("trytond exited (%s):\n%s" % (
                    process.returncode, _tail(log)))
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > end:
            pytest.fail("trytond did not answer on %s:\n%s" % (
                    url, _tail(log)))
        time.sleep(0.2)


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _query(server, sql, *args):
    "Rows of the test database (what the screens should show)"
    import sqlite3
    connection = sqlite3.connect(server['database'])
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


@pytest.fixture(scope='module')
def server():
    "URL of a trytond serving sao and a small pôle, stopped at the end"
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip(
            "needs Debian's chromium and chromium-driver "
            "(%s, %s)" % (CHROMIUM, CHROMEDRIVER))
    pytest.importorskip('selenium')
    _ensure_sao()
    definition = _demo_definition()
    with tempfile.TemporaryDirectory(prefix='pole-browser-') as folder:
        folder = pathlib.Path(folder)
        _build_database(folder, definition)
        port = _free_port()
        env = dict(_env(folder),
            TRYTOND_WEB__LISTEN=f'127.0.0.1:{port}',
            TRYTOND_WEB__ROOT=str(SAO_ROOT),
            # LibreOffice with a profile of its own: a soffice of another
            # process on the same profile (in $HOME) makes the conversion
            # wait for it, minutes
            TRYTOND_REPORT__CONVERT_COMMAND=(
                'soffice --headless --nolockcheck --nodefault --norestore '
                f'-env:UserInstallation={(folder / "soffice").as_uri()} '
                '--convert-to "%(output_extension)s" '
                '--outdir "%(directory)s" "%(input_path)s"'))
        log = folder / 'trytond.log'
        with open(log, 'wb') as out:
            process = subprocess.Popen(
                [BIN / 'trytond', '-d', DATABASE], cwd=folder, env=env,
                stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f'http://127.0.0.1:{port}/'
            _wait_http(url, process, log)
            yield {'url': url, 'definition': definition, 'log': log,
                'database': folder / f'{DATABASE}.sqlite'}
        finally:
            _stop(process)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix='pole-chromium-')
    for argument in [
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
            '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage', '--window-size=1400,900',
            f'--user-data-dir={profile}']:
        options.add_argument(argument)
    # An explicit driver: Selenium Manager is never asked to download one.
    downloads = pathlib.Path(profile) / 'downloads'
    downloads.mkdir()
    options.add_experimental_option('prefs', {
            'download.default_directory': str(downloads),
            'download.prompt_for_download': False,
            })
    driver = webdriver.Chrome(
        service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd('Browser.setDownloadBehavior', {
            'behavior': 'allow', 'downloadPath': str(downloads)})
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _screenshot(driver, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f'{name}.png'
    driver.save_screenshot(str(path))
    return path


# The active tab's content and the dialog in front, for XPath.
TAB = '//div[contains(@class, "tab-pane") and contains(@class, "active")]'
MODAL = '//div[contains(@class, "modal") and contains(@class, "in")]'


class Client:
    "The web client in a browser, as a user: waits on what it shows"

    def __init__(self, driver, server):
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver = driver
        self.server = server
        from selenium.common.exceptions import (
            StaleElementReferenceException)
        # sao redraws lists and forms as records load
        self.wait = WebDriverWait(driver, TIMEOUT,
            ignored_exceptions=[StaleElementReferenceException])

    def visible(self, xpath):
        "The first element of xpath shown (sao keeps hidden copies)"
        from selenium.webdriver.common.by import By

        def shown(driver):
            for element in driver.find_elements(By.XPATH, xpath):
                if element.is_displayed():
                    return element
            return False
        return self.wait.until(shown)

    def clickable(self, xpath):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        return self.wait.until(
            EC.element_to_be_clickable((By.XPATH, xpath)))

    def user(self, login):
        user, = [u for u in self.server['definition']['users']
            if u['login'] == login]
        return user

    def texts(self, xpath):
        "The texts of the elements of xpath shown, read at once"
        return self.driver.execute_script("""
            const found = document.evaluate(arguments[0], document, null,
                XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
            const texts = [];
            for (let i = 0; i < found.snapshotLength; i++) {
                const node = found.snapshotItem(i);
                if (node.getClientRects().length) {
                    // A graph's texts are SVG: no innerText
                    texts.push((node.innerText ?? node.textContent).trim());
                }
            }
            return texts;""", xpath)

    def rows(self, xpath=None):
        """The texts of the cells of the list rows shown (the active tab's
        by default), without the selection boxes"""
        return self.driver.execute_script("""
            const found = document.evaluate(arguments[0], document, null,
                XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
            const rows = [];
            for (let i = 0; i < found.snapshotLength; i++) {
                const row = found.snapshotItem(i);
                if (!row.getClientRects().length) {
                    continue;
                }
                const cells = [];
                for (const cell of row.querySelectorAll(':scope > td')) {
                    // sao's first cell is empty, the second the selection
                    if ((cell === row.firstElementChild && !cell.className)
                            || cell.classList.contains('selection-state')
                            || !cell.getClientRects().length) {
                        continue;
                    }
                    cells.push(cell.innerText.trim());
                }
                if (cells.some(c => c)) {
                    rows.push(cells);
                }
            }
            return rows;""", xpath or f'{TAB}//tbody/tr')

    def login(self, user):
        "Log in as user (a dict of the definition) and wait for the menu"
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
        driver = self.driver
        driver.get(self.server['url'])
        self.visible(
            '//div[contains(@class, "login-dialog")]//input[@id="login"]')

        def database_widget(driver):
            # A list once the server gave the databases, else an entry.
            for widget in driver.find_elements(
                    By.CSS_SELECTOR, '.login-dialog #database'):
                if widget.is_displayed() and (
                        widget.tag_name == 'input'
                        or widget.find_elements(
                            By.CSS_SELECTOR, f'option[value="{DATABASE}"]')):
                    return widget
            return False
        database = self.wait.until(database_widget)
        if database.tag_name == 'select':
            Select(database).select_by_value(DATABASE)
        elif database.get_attribute('value') != DATABASE:
            # Read-only and filled in when the server has one database.
            database.clear()
            database.send_keys(DATABASE)
        driver.find_element(
            By.CSS_SELECTOR, '.login-dialog input#login').send_keys(
            user['login'])
        driver.find_element(
            By.CSS_SELECTOR, '.login-dialog button[type=submit]').click()
        self.visible('//div[contains(@class, "ask-dialog")]'
            '//input[@type="password"]').send_keys(user['password'])
        driver.find_element(
            By.CSS_SELECTOR, '.ask-dialog .modal-footer .btn-primary').click()
        self.visible('//div[@id="menu"]//div[@title="Pôle"]')
        from selenium.webdriver.support import expected_conditions as EC
        self.wait.until(EC.text_to_be_present_in_element(
                (By.XPATH, '//li[@id="user-preferences"]/a'), user['name']))

    def expand_menu(self):
        "Unfold the whole menu tree; return the titles of its entries"
        from selenium.webdriver.common.by import By
        rows = '//div[@id="menu"]//tbody/tr'
        unfolded = set()
        while True:
            folded = [e for e in self.driver.find_elements(By.XPATH,
                    f'{rows}//span[@class="expander"]')
                if e.id not in unfolded and e.is_displayed()
                and e.value_of_css_property('visibility') == 'visible']
            if not folded:
                break
            count = len(self.driver.find_elements(By.XPATH, rows))
            unfolded.add(folded[0].id)
            folded[0].click()
            self.wait.until(lambda d: len(
                    d.find_elements(By.XPATH, rows)) > count)
        return [e.get_attribute('title') for e in self.driver.find_elements(
                By.XPATH, f'{rows}//div[@title]')]

    def download(self, name):
        """Click the link of the download dialog whose file name starts
        with name; return the path of the file downloaded"""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        # A PDF is converted by LibreOffice on the server: its first start
        # takes long on a busy machine
        before = set(self.driver.downloads.iterdir())

        def ready(driver):
            # The link, or the file already there: the dialog clicks its
            # link itself once shown, and closes (a quick report's dialog
            # may be gone before it is seen)
            for link in driver.find_elements(By.XPATH, f'{MODAL}//a['
                    f'@download and starts-with(@download, "{name}")]'):
                if link.is_displayed() and link.is_enabled():
                    return link
            new = [p for p in set(self.driver.downloads.iterdir()) - before
                if p.name.startswith(name)
                and not p.name.endswith('.crdownload')]
            return new[0] if new else False
        from selenium.common.exceptions import (
            ElementNotInteractableException, StaleElementReferenceException)
        found = WebDriverWait(self.driver, REPORT_TIMEOUT,
            ignored_exceptions=[StaleElementReferenceException]).until(ready)
        if not isinstance(found, pathlib.Path):
            # The dialog may click its link itself and close at any time:
            # a vanished link means the download started
            try:
                try:
                    found.click()
                except ElementNotInteractableException:
                    # Clickable by Selenium's test yet covered (the dialog
                    # fading in): the page's own click on the link
                    self.driver.execute_script('arguments[0].click();', found)
            except StaleElementReferenceException:
                pass

        def downloaded(driver):
            if any(self.driver.downloads.glob('*.crdownload')):
                return False
            new = [p for p in set(self.driver.downloads.iterdir()) - before
                if p.name.startswith(name)]
            return new[0] if new else False
        path = self.wait.until(downloaded)
        return path

    def switch_company(self, name):
        """Make name the current company in the preferences (they close
        every tab first) unless it is already"""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import Select
        header = '//li[@id="user-preferences"]/a'
        if self.visible(header).text.endswith(f' - {name} [EUR]'):
            return
        from selenium.common.exceptions import (
            StaleElementReferenceException, TimeoutException)
        from selenium.webdriver.support.ui import WebDriverWait
        # Not the first entry: the notifications come first once loaded,
        # and redraw the menu under the click (then again)
        entry = ('//li[@id="user-preferences"]'
            '//a[@role="menuitem" and contains(., "Préférences")]')
        company = f'{MODAL}//select[@name="company"]'
        confirm = (f'{MODAL}[.//*[contains(., "fermer tous les onglets")]]'
            '//button[normalize-space(.)="Valider"]')
        for attempt in range(3):
            if self.texts(MODAL):  # the preferences, slow to come
                break
            try:
                if not self.texts(entry):
                    self.clickable(header).click()
                self.clickable(entry).click()
                WebDriverWait(self.driver, TIMEOUT / 2).until(
                    lambda d: self.texts(MODAL))
            except (StaleElementReferenceException, TimeoutException):
                continue
        self.visible(f'{company} | {confirm}')
        if self.texts(confirm):
            self.clickable(confirm).click()
        # The options come once the preferences are read
        select = Select(self.visible(
                f'{company}[option[normalize-space(.)="{name}"]]'))
        # The companies offered, for the caller to check
        self.companies = {o.text for o in select.options} - {''}
        select.select_by_visible_text(name)
        self.clickable(f'{MODAL}//button[@type="submit" '
            'and contains(@class, "btn-primary")]').click()
        self.wait.until(EC.text_to_be_present_in_element(
                (By.XPATH, header), f' - {name} [EUR]'))
        self.wait.until(lambda d: not self.texts(MODAL))

    def value(self, name, where=None):
        "The value shown by the field name of the active tab's form"
        return self.visible(
            f'{where or TAB}//input[@name="{name}"]').get_attribute('value')

    def pick(self, name, text, choice, where=None):
        """Type text in the many2one field name and pick choice among the
        completions"""
        entry = self.clickable(f'{where or TAB}//input[@name="{name}"]')
        entry.click()
        entry.send_keys(text)
        self.clickable('//ul[contains(@class, "dropdown-menu")]'
            f'//li[normalize-space(.)="{choice}"]/a').click()

    def open_tab(self, *path):
        """Open the menu entry at path in a new tab named as the entry;
        wait for its list's header"""
        tabs = '//ul[@id="tablist"]/li'
        count = len(self.texts(tabs))
        self.open_menu(*path)
        self.wait.until(lambda d: len(self.texts(tabs)) > count)
        self.visible(f'{tabs}[contains(@class, "active")]'
            f'//*[normalize-space(.)="{path[-1]}"]')
        self.visible(f'{TAB}//thead//th')

    def search(self, text, shown):
        """Search text in the active tab's list and wait until shown(rows),
        the list rows' cells, is true; return them"""
        box = self.visible(f'{TAB}//*[contains(@class, "filter-box")]//input')
        box.clear()
        box.send_keys(text + '\n')
        rows = []

        def found(driver):
            rows[:] = self.rows()
            return shown(rows)
        self.wait.until(found)
        return rows

    def open_menu(self, *path):
        "Open the menu entry at path (its titles), unfolding its parents"
        from selenium.webdriver.common.by import By
        menu = '//div[@id="menu"]'
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait
        for title, child in zip(path, path[1:]):
            # Again if the menu was redrawn under the click (it is
            # reloaded when the preferences change)
            for attempt in range(3):
                if self.texts(f'{menu}//div[@title="{child}"]'):
                    break
                entry = self.visible(f'{menu}//div[@title="{title}"]')
                entry.find_element(
                    By.XPATH, './ancestor::tr[1]//span[@class="expander"]'
                    ).click()
                try:
                    WebDriverWait(self.driver, TIMEOUT / 3).until(
                        lambda d: self.texts(
                            f'{menu}//div[@title="{child}"]'))
                except TimeoutException:
                    continue
        self.visible(f'{menu}//div[@title="{path[-1]}"]').click()


def _journey(name):
    """Run the decorated journey with a Client; on failure keep a
    screenshot (var/browser/<name>-failure.png) and show trytond's log"""
    def decorator(function):
        def test(server, browser):
            client = Client(browser, server)
            try:
                function(client)
            except Exception:
                path = _screenshot(browser, f'{name}-failure')
                print(f"screenshot: {path}\ntrytond log:\n"
                    f"{_tail(server['log'])}")
                raise
        test.__name__ = function.__name__
        test.__doc__ = function.__doc__
        return test
    return decorator


@_journey('accountant-members')
def test_accountant_switches_member_and_lists_members(client):
    """The accountant logs in (the first member current), makes the second
    member current in the preferences, and lists every member"""
    server = client.server
    names = [m['name'] for m in server['definition']['members']]
    first, second = names[:2]
    # The modules sao loads from its own node_modules/ (ensure_sao's link).
    with urllib.request.urlopen(
            server['url'] + 'node_modules/jquery/dist/jquery.js') as response:
        assert response.status == 200

    client.login(client.user('comptable'))
    header = '//li[@id="user-preferences"]/a'
    assert first in client.visible(header).text
    _screenshot(client.driver, 'browser-1-logged-in')

    # The preferences offer every member as current company
    client.switch_company(second)
    assert client.companies == set(names)

    # Pôle > Associations membres lists every member.
    client.open_tab('Pôle', 'Associations membres')
    client.wait.until(lambda d: len(client.rows()) == len(names))
    rows = client.rows()
    assert all(any(name in cell for row in rows for cell in row)
        for name in names), rows
    _screenshot(client.driver, 'browser-2-members')


# Menu entries that lead to people (names, contracts, pay): a board member
# reads aggregated figures only.
PERSON_MENUS = {
    "Tiers", "Salariés", "Paie", "Lignes de paie", "PASS IAE",
    "Profils d'insertion", "Contrats d'insertion", "Sorties",
    "ETP consommés", "Temps des salariés partagés", "Utilisateurs",
    }


@_journey('board')
def test_board_member_prints_board_report(client):
    """The board member finds no person in the menus and prints the board
    report of the whole pôle: its French labels and the people counted"""
    import subprocess
    from selenium.webdriver.common.by import By
    board = client.user('administrateur')
    client.login(board)

    titles = client.expand_menu()
    assert {"Pôle", "Insertion", "Indicateurs d'insertion",
        "Rapport d'insertion au conseil d'administration",
        "États combinés", "Tableau de bord des directions"} <= set(titles)
    assert not PERSON_MENUS & set(titles), titles
    # Nor the products or bank accounts, which it reads none of
    assert not {"Produits", "Banque"} & set(titles), titles
    _screenshot(client.driver, 'board-1-menu')

    client.open_menu("Pôle", "Insertion",
        "Rapport d'insertion au conseil d'administration")
    client.visible(f'{MODAL}//label[contains(., "Structure")]')
    year = client.visible(f'{MODAL}//input[@name="year"]')
    today = dt.date.today()
    assert year.get_attribute('value') == str(today.year)
    # Empty structure: the whole pôle
    assert client.driver.find_element(
        By.XPATH, f'{MODAL}//input[@name="company"]'
        ).get_attribute('value') == ''
    _screenshot(client.driver, 'board-2-wizard')
    client.clickable(f'{MODAL}//button[contains(., "Imprimer")]').click()
    path = client.download("Rapport d'insertion")
    assert path.suffix == '.pdf'
    shutil.copyfile(path, SCREENSHOTS / 'board-report.pdf')
    text = subprocess.run(['pdftotext', '-layout', str(path), '-'],
        capture_output=True, text=True, check=True).stdout
    lines = [' '.join(line.split()) for line in text.splitlines()]
    assert f"Rapport au conseil d'administration {today.year}" in lines
    assert "Structure : L'ensemble du pôle" in lines
    # Everyone with an insertion contract this year, in both ACI: the
    # board member reads neither, so the pôle's figure shows (two
    # structures, 5 people or more).
    (people,), = _query(client.server, """
        SELECT COUNT(DISTINCT employee) FROM insertion_contract
        WHERE start_date <= ? AND COALESCE(end_date, planned_end_date) >= ?
        """, f'{today.year}-12-31', f'{today.year}-01-01')
    assert people >= 5
    assert ("Personnes ayant travaillé en contrat d'insertion %d" % people
        in lines), text
    assert "Agrégats uniquement : ce rapport ne nomme personne." in ' '.join(
        lines)


def _date(server, date):
    "date as the French of the test database writes it"
    (format_,), = _query(server, "SELECT date FROM ir_lang WHERE code = 'fr'")
    return date.strftime(format_)


@_journey('counsellor')
def test_counsellor_finds_a_person_pass_and_contracts(client):
    """The counsellor of Les Jardins du Val finds a person by name in the
    PASS IAE list, opens their PASS, then their contracts: the dates and
    labels shown"""
    from selenium.webdriver.support.ui import Select
    server = client.server
    # A person of Les Jardins du Val with a PASS never suspended nor
    # prolonged (its end is 730 days from its start): a Dubois if the
    # demo of the day has one there.
    people = _query(server, """
        SELECT party.name, pass.number, pass.start_date, party.id
        FROM insertion_pass AS pass
        JOIN party_party AS party ON party.id = pass.party
        JOIN company_employee AS employee ON employee.party = party.id
        JOIN company_company AS company ON company.id = employee.company
        JOIN party_party AS structure ON structure.id = company.party
        WHERE structure.name = 'Les Jardins du Val'
            AND pass.id NOT IN (SELECT pass_ FROM insertion_pass_suspension)
            AND pass.id NOT IN (
                SELECT pass_ FROM insertion_pass_prolongation)
        ORDER BY party.name NOT LIKE '% Dubois', pass.number""")
    name, number, start, party = people[0]
    last_name = name.split()[-1]
    start = dt.date.fromisoformat(start)
    end = start + dt.timedelta(days=729)
    # Those of that name the counsellor may read: of her structure only
    namesakes = {n for n, _, _, _ in people if n.endswith(' ' + last_name)}
    others = {n for n, in _query(server, """
        SELECT party.name FROM insertion_pass AS pass
        JOIN party_party AS party ON party.id = pass.party
        WHERE party.name LIKE ?""", '% ' + last_name)} - namesakes

    client.login(client.user('conseillere'))
    client.open_tab("Pôle", "Insertion", "PASS IAE")
    assert client.texts(f'{TAB}//thead//th')[-5:] == [
        "Numéro", "Personne", "Date de début", "Date de fin", "Statut"]
    rows = client.search(last_name, lambda rows: rows and all(
            r[1].endswith(' ' + last_name) for r in rows))
    assert {r[1] for r in rows} >= {name}
    assert not {r[1] for r in rows} & others, rows
    row, = [r for r in rows if r[0] == number]
    assert row == [
        number, name, _date(server, start), _date(server, end), "Valide"]
    _screenshot(client.driver, 'counsellor-1-pass-list')

    client.visible(
        f'{TAB}//tbody/tr[contains(., "{number}")]/td[3]').click()
    client.clickable(f'{TAB}//button[@id="switch_"]').click()
    form = f'{TAB}//div[contains(@class, "form")]'
    client.visible(f'{form}//label[contains(., "Date de début")]')
    assert client.visible(f'{form}//input[@name="number"]').get_attribute(
        'value') == number
    assert client.visible(f'{form}//input[@name="party"]').get_attribute(
        'value') == name
    assert client.visible(f'{form}//input[@name="start_date"]'
        ).get_attribute('value') == _date(server, start)
    assert client.visible(f'{form}//input[@name="end_date"]'
        ).get_attribute('value') == _date(server, end)
    assert Select(client.visible(f'{form}//select[@name="status"]')
        ).first_selected_option.text == "Valide"
    labels = client.texts(f'{form}//label')
    for label in ["Numéro", "Personne", "Date de début", "Date de fin",
            "Statut", "Suspensions", "Prolongations"]:
        assert any(t.startswith(label) for t in labels), labels
    _screenshot(client.driver, 'counsellor-2-pass')

    contracts = _query(server, """
        SELECT contract.start_date, contract.planned_end_date,
            contract.end_date, contract.weekly_hours
        FROM insertion_contract AS contract
        JOIN company_employee AS employee
            ON employee.id = contract.employee
        WHERE employee.party = ?
        ORDER BY contract.start_date DESC""", party)
    client.open_tab("Pôle", "Insertion", "Contrats d'insertion")
    rows = client.search(name, lambda rows: len(rows) == len(
            contracts) and all(r[0] == name for r in rows))
    cddi = "CDDI (contrat à durée déterminée d'insertion)"
    # Weekly hours in the French format (26,00)
    assert sorted(r[:6] + r[-1:] for r in rows) == sorted(
        [name, cddi, _date(server, dt.date.fromisoformat(start)),
            _date(server, dt.date.fromisoformat(planned)),
            _date(server, dt.date.fromisoformat(end)) if end else '',
            ('%.2f' % float(hours)).replace('.', ','), "Les Jardins du Val"]
        for start, planned, end, hours in contracts)
    _screenshot(client.driver, 'counsellor-3-contracts')



def _number(value):
    "A Numeric read from SQLite (stored as text, bytes to sqlite3)"
    if isinstance(value, bytes):
        value = value.decode()
    return Decimal(str(value or 0))


def _etp_by_month(server, structure):
    """Per month (an ISO date): the ETP consumed and conventioned of the
    structure's AF, worked out as insertion.payroll.etp does: the AF's
    hours (worked or paid, by its basis) of the month's validated or
    posted insertion payroll lines / its reference hours, 4 decimals; its
    ETP conventioned / its months"""
    rows = _query(server, """
        SELECT line.month, agreement.id, agreement.hours_basis,
            line.hours_worked, line.hours_paid, agreement.reference_hours,
            agreement.etp, agreement.start_date, agreement.end_date
        FROM insertion_payroll_line AS line
        JOIN insertion_contract AS contract ON contract.id = line.contract
        JOIN insertion_agreement AS agreement
            ON agreement.company = line.company
            AND line.month >= agreement.start_date
            AND line.month <= agreement.end_date
            AND agreement.state IN ('valid', 'closed')
        JOIN company_company AS company ON company.id = line.company
        JOIN party_party AS structure ON structure.id = company.party
        WHERE structure.name = ? AND line.state IN ('validated', 'posted')
            AND contract.kind IN (
                'cddi', 'ai_placement', 'etti_mission', 'cdi_inclusion')
        """, structure)
    hours, agreements = {}, {}
    for (month, agreement, basis, worked, paid, reference, etp, start,
            end) in rows:
        key = (month, agreement)
        hours[key] = hours.get(key, Decimal(0)) + _number(
            worked if basis == 'worked' else paid)
        start, end = map(dt.date.fromisoformat, (start, end))
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        agreements[agreement] = (_number(reference), _number(etp) / months)
    figures = {}
    for (month, agreement), total in hours.items():
        reference, conventioned = agreements[agreement]
        consumed, planned = figures.get(month, (Decimal(0), Decimal(0)))
        figures[month] = (
            consumed + (total.quantize(Decimal('0.01')) / reference
                ).quantize(Decimal('0.0001')),
            planned + conventioned.quantize(Decimal('0.0001')))
    return figures


@_journey('counsellor-etp')
def test_counsellor_opens_etp_graph(client):
    """The counsellor of Les Jardins du Val opens the graph of her
    structure's ETP consumed and conventioned, month by month, from her
    Insertion menu: the figures of a demo month, the French legend"""
    server = client.server
    figures = _etp_by_month(server, 'Les Jardins du Val')
    # Recyclerie du Val's months are not hers: only Les Jardins du Val's
    assert figures and _etp_by_month(server, 'Recyclerie du Val')
    # The last month of the demo with payroll
    month = max(figures)
    consumed, conventioned = figures[month]
    assert consumed > 0 and conventioned > 0

    client.login(client.user('conseillere'))
    titles = client.expand_menu()
    assert "ETP consommés et conventionnés" in titles, titles
    assert "Paie" not in titles, titles
    client.open_menu(
        "Pôle", "Insertion", "ETP consommés et conventionnés")
    client.visible(f'{TAB}//*[contains(@class, "bb-legend-item")]')
    # (the legend's tiles and events are elements without text)
    assert [t for t in client.texts(
            f'{TAB}//*[contains(@class, "bb-legend-item")]') if t] == [
        "ETP consommés", "ETP conventionnés (mois)"]
    # What the graph draws: a bar per month and figure (billboard.js,
    # the graph library of the web client)
    script = """
        const figures = {};
        for (const bar of document.evaluate(arguments[0], document, null,
                XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null).snapshotItem(0)
                ?.querySelectorAll('path.bb-bar') || []) {
            // d3's datum of the bar: its month, serie and value
            const point = bar.__data__, x = point.x;
            const month = [x.getFullYear(), x.getMonth() + 1, x.getDate()]
                .map(n => String(n).padStart(2, '0')).join('-');
            figures[month] = figures[month] || {};
            figures[month][point.id] = point.value;
        }
        return figures;"""
    # Drawn once the records are read
    shown = {}
    client.wait.until(lambda d: shown.update(d.execute_script(
                script, f'{TAB}//*[contains(@class, "bb-chart-bars")]'))
        or len(shown) >= len(figures))
    assert set(shown) == set(figures), shown
    for month_, (consumed_, conventioned_) in figures.items():
        assert (Decimal(str(shown[month_]['etp'])).quantize(
                Decimal('0.0001')), Decimal(str(
                    shown[month_]['etp_conventioned'])).quantize(
                Decimal('0.0001'))) == (consumed_, conventioned_), month_
    # The tooltip of the demo's last month, as the counsellor sees it
    # pointing at its bars: the month in French, both figures
    index = sorted(figures).index(month)
    from selenium.webdriver.common.action_chains import ActionChains

    def classed(name):
        return f'contains(concat(" ", @class, " "), " {name} ")'
    bar = client.visible(f'{TAB}//*[{classed("bb-target-etp")}]'
        f'//*[{classed(f"bb-bar-{index}")}]')
    ActionChains(client.driver).move_to_element(bar).perform()
    tooltip = client.visible(
        f'{TAB}//*[contains(@class, "bb-tooltip-container")]').text
    # (the graph library writes the figures with a point)
    lines = [' '.join(line.split()) for line in tooltip.splitlines()]
    assert lines == [_date(server, dt.date.fromisoformat(month)),
        "ETP consommés %s" % '{:f}'.format(consumed.normalize()),
        "ETP conventionnés (mois) %s" % '{:f}'.format(
            conventioned.normalize())], tooltip
    _screenshot(client.driver, 'counsellor-4-etp-graph')

def _amount(value):
    "value as the web client shows an amount in French (183 029,62)"
    return ('{:,.2f}'.format(value)).replace(',', ' ').replace('.', ',')


def _spaces(text):
    "text with the no-break spaces of French numbers as plain spaces"
    return text.replace('\u202f', ' ').replace('\xa0', ' ')


def _balances(server, codes, start, end, sign):
    """Per member (company name): the balance of the posted move lines of
    the accounts whose codes start with one of codes, dated from start
    (None: the beginning) to end, debit - credit (sign 1) or credit -
    debit (sign -1)"""
    rows = _query(server, """
        SELECT structure.name, line.debit, line.credit, account.code
        FROM account_move_line AS line
        JOIN account_move AS move ON move.id = line.move
        JOIN account_account AS account ON account.id = line.account
        JOIN company_company AS company ON company.id = account.company
        JOIN party_party AS structure ON structure.id = company.party
        WHERE move.state = 'posted' AND move.date >= ? AND move.date <= ?
        """, str(start or dt.date.min), str(end))
    def number(value):
        # Tryton stores Numeric as text on SQLite (bytes to sqlite3)
        if isinstance(value, bytes):
            value = value.decode()
        return Decimal(str(value or 0))
    balances = {}
    for name, debit, credit, code in rows:
        if code and code.startswith(tuple(codes)):
            balances[name] = balances.get(name, Decimal(0)) + sign * (
                number(debit) - number(credit))
    return balances


@_journey('director')
def test_director_opens_dashboard(client):
    """The director of Les Jardins du Val opens the directors' dashboard:
    the result of the year to date and the cash of each member, and the
    pôle's total, as the books give them"""
    server = client.server
    today = dt.date.today()
    names = [m['name'] for m in server['definition']['members']]
    # Classes 6 and 7 of the year (not closed yet: no closing move) and
    # the cash accounts (class 5) to date
    results = _balances(server, ['6', '7'], today.replace(month=1, day=1),
        today, -1)
    cash = _balances(server, ['5'], None, today, 1)
    assert results['Les Jardins du Val'] and cash['Les Jardins du Val']

    client.login(client.user('direction'))
    client.open_menu(
        "Pôle", "États combinés", "Tableau de bord des directions")
    client.visible(f'{MODAL}//tbody/tr/td')
    assert client.visible(f'{MODAL}//input[@name="date"]').get_attribute(
        'value') == _date(server, today)
    total = sum(results.values())
    assert _spaces(client.visible(f'{MODAL}//input[@name="result"]'
            ).get_attribute('value')) == _amount(total)
    labels = client.texts(f'{MODAL}//label')
    assert "Résultat de l'exercice à date\xa0:" in labels, labels
    assert "Année précédente à la même date\xa0:" in labels, labels
    assert client.texts(f'{MODAL}//thead//th')[-4:] == [
        "Indicateur", "Membre", "Valeur", "Comparaison"]
    rows = [[_spaces(c) for c in r]
        for r in client.rows(f'{MODAL}//tbody/tr')]
    shown = {(r[0], r[1]): r[2] for r in rows}
    for name in names:
        assert shown["Résultat de l'exercice à date", name] == _amount(
            results[name]), rows
        assert shown["Trésorerie", name] == _amount(cash[name]), rows
    assert shown["Résultat de l'exercice à date", "Total"] == _amount(total)
    # Compared with last year to the same date: the demo's books of last
    # year (closed on 31 December, after that date)
    try:
        last = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        last = today.replace(year=today.year - 1, day=28)
    previous = _balances(server, ['6', '7'], last.replace(month=1, day=1),
        last, -1)
    assert previous.get('Les Jardins du Val'), previous
    assert _spaces(client.visible(f'{MODAL}//input[@name="result_previous"]'
            ).get_attribute('value')) == _amount(sum(previous.values()))
    compared = {(r[0], r[1]): r[3] for r in rows}
    for name in names:
        assert compared["Résultat de l'exercice à date", name] == _amount(
            previous.get(name, Decimal(0))), rows
    assert shown["Trésorerie", "Total"] == _amount(sum(cash.values()))
    # Each inter-member balance shows from both sides, opposite
    balances = {k: v for k, v in shown.items()
        if k[0] == "Solde entre membres"}
    assert balances
    for (_, pair), value in balances.items():
        first, second = pair.split(' / ')
        assert shown["Solde entre membres", f'{second} / {first}'] == (
            value[1:] if value.startswith('-') else '-' + value)
    _screenshot(client.driver, 'director-1-dashboard')



@_journey('director-statement')
def test_director_prints_statement_and_drills_down(client):
    """The director prints the combined statements as PDF, then as a
    spreadsheet (ODS), then opens the combined income statement on screen
    and drills down from its first line to the move lines of her member"""
    import subprocess
    import zipfile
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import Select
    server = client.server
    today = dt.date.today()
    jardins = 'Les Jardins du Val'
    client.login(client.user('direction'))
    # On screen: the income statement of her member, from the first day
    # of the year, and the move lines behind its first line: classes 6
    # and 7 of the year (no closing move yet)
    start = today.replace(month=1, day=1)
    result = _balances(server, ['6', '7'], start, today, -1)[jardins]
    (count,), = _query(server, """
        SELECT COUNT(*) FROM account_move_line AS line
        JOIN account_move AS move ON move.id = line.move
        JOIN account_account AS account ON account.id = line.account
        JOIN company_company AS company ON company.id = move.company
        JOIN party_party AS structure ON structure.id = company.party
        WHERE structure.name = ? AND move.state = 'posted'
            AND move.date >= ? AND move.date <= ?
            AND (account.code LIKE '6%' OR account.code LIKE '7%')
        """, jardins, str(start), str(today))
    assert count
    client.open_tab("Pôle", "États combinés", "Compte de résultat consolidé")
    from_date = client.clickable(f'{TAB}//input[@name="from_date"]')
    from_date.clear()
    from_date.send_keys(_date(server, start) + '\t')
    # Her member only (the one she works in; the others show nothing)
    option = client.visible(f'{TAB}//select[@name="companies"]'
        f'/option[contains(., "{jardins}")]')
    if not option.is_selected():
        option.click()
    # The tree read again with the date: the result of the year
    client.wait.until(lambda d: [[_spaces(c) for c in r]
            for r in client.rows()[:1]] == [
            ["Compte de résultat", _amount(result) + '\n€']])
    _screenshot(client.driver, 'director-statement-1-income')
    tabs = '//ul[@id="tablist"]/li'
    count_tabs = len(client.texts(tabs))
    ActionChains(client.driver).double_click(client.visible(
            f'{TAB}//tbody/tr[1]//*[normalize-space(.)='
            '"Compte de résultat"]')).perform()
    # The line by its own name, not its path in the tree
    client.wait.until(lambda d: client.value('line_name', where=MODAL)
        == "Compte de résultat")
    assert not client.texts(f'{MODAL}//input[@name="consolidation"]')
    assert "Poste\xa0:" in client.texts(f'{MODAL}//label')
    assert client.value('member', where=MODAL) == jardins
    # The year of the tree's start date (the member's fiscal year)
    assert client.value('from_date', where=MODAL) == _date(server, start)
    _screenshot(client.driver, 'director-statement-2-wizard')
    client.clickable(f'{MODAL}//button[contains(., "Ouvrir")]').click()
    client.wait.until(lambda d: len(client.texts(tabs)) > count_tabs)
    client.visible(f'{tabs}[contains(@class, "active")]'
        '//*[starts-with(normalize-space(.), "Lignes d\'écriture - ")]')
    # Every line of the year's classes 6 and 7: the counter of the
    # toolbar, and the lines shown
    client.wait.until(lambda d: client.texts(
            f'{TAB}//span[contains(@class, "badge")]') == [f'_/{count}'])
    # (the web client draws the first rows, the others as it scrolls)
    client.wait.until(lambda d: client.rows())
    assert all(any(c[:1] in '67' and ' - ' in c for c in r)
        for r in client.rows()), client.rows()[:3]
    _screenshot(client.driver, 'director-statement-3-lines')
    # The print wizard: the second "États combinés" of the menu, under the
    # folder of that name (unfolded)
    menu = '//div[@id="menu"]//div[@title="États combinés"]'
    for extension in ['pdf', 'ods']:
        client.wait.until(lambda d: len(client.texts(menu)) == 2)
        client.driver.execute_script("""
            const found = document.evaluate(arguments[0], document, null,
                XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
            found.snapshotItem(1).click();""", menu)
        select = f'{MODAL}//select[@name="format"]'
        # (the form is drawn again as its defaults come)
        client.wait.until(lambda d: {o.text for o in Select(
                    client.visible(select)).options} == {
                "Tableur (ODS)", "PDF"})
        Select(client.visible(select)).select_by_visible_text(
            "PDF" if extension == 'pdf' else "Tableur (ODS)")
        client.clickable(
            f'{MODAL}//button[contains(., "Imprimer")]').click()
        path = client.download("États combinés")
        assert path.suffix == f'.{extension}', path
        shutil.copyfile(path, SCREENSHOTS / f'director-statement{path.suffix}')
        if extension == 'pdf':
            assert path.read_bytes()[:4] == b'%PDF'
            text = subprocess.run(['pdftotext', '-layout', str(path), '-'],
                capture_output=True, text=True, check=True).stdout
        else:
            with zipfile.ZipFile(path) as archive:
                text = archive.read('content.xml').decode()
        assert "États combinés du pôle" in text
        assert "Compte de résultat combiné" in text
        assert jardins in text
        client.wait.until(lambda d: not client.texts(MODAL))


@_journey('accountant')
def test_accountant_posts_inter_member_invoice_and_opens_mirror(client):
    """The accountant posts, in the collective, a customer invoice to Les
    Jardins du Val, then opens its mirror among Les Jardins du Val's
    supplier invoices: same amounts, the source number as reference"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
    collective, jardins = (
        m['name'] for m in client.server['definition']['members'][:2])
    today = dt.date.today()
    client.login(client.user('comptable'))
    # Whatever company an earlier journey left current
    client.switch_company(collective)

    client.open_tab("Financier", "Factures", "Factures client")
    client.clickable(f'{TAB}//button[@id="new_"]').click()
    client.pick('party', jardins, jardins)
    client.wait.until(lambda d: client.value('invoice_address'))
    assert client.value('invoice_address').startswith(
        f'{jardins}, Chemin des Maraîchers')
    lines, = [m for m in client.driver.find_elements(By.XPATH,
            f'{TAB}//div[contains(@class, "form-one2many-menu")]')
        if m.is_displayed() and m.text.split('\n')[0] == "Lignes"]
    lines.find_element(By.XPATH, './/button[@title="Nouveau"]').click()
    client.pick('account', '706', "706 - Prestations de services",
        where=MODAL)
    quantity = client.clickable(f'{MODAL}//input[@name="quantity"]')
    quantity.clear()
    quantity.send_keys('3')
    # A number input: the browser wants the decimal point
    price = client.clickable(f'{MODAL}//input[@name="unit_price"]')
    price.clear()
    price.send_keys('45.50' + Keys.TAB)
    client.wait.until(
        lambda d: client.value('amount', where=MODAL) == '136,50')
    client.clickable(f'{MODAL}//div[contains(@class, "modal-footer")]'
        '//button[normalize-space(.)="Ajouter"]').click()
    client.wait.until(lambda d: not client.texts(MODAL))
    assert client.value('total_amount') == '136,50'
    _screenshot(client.driver, 'accountant-1-invoice')

    client.clickable(
        f'{TAB}//button[normalize-space(.)="Comptabiliser"]').click()
    client.clickable(f'{MODAL}[.//*[contains(., "comptabiliser les '
        'factures")]]//button[normalize-space(.)="Valider"]').click()
    client.wait.until(lambda d: client.value('number'))
    number = client.value('number')
    assert number.startswith(f'F{today.year}-')
    assert Select(client.visible(f'{TAB}//select[@name="state"]')
        ).first_selected_option.text == "Comptabilisé"
    _screenshot(client.driver, 'accountant-2-posted')

    # The mirror, from the other member
    client.switch_company(jardins)
    client.open_tab("Financier", "Factures", "Factures fournisseur")
    box = client.visible(f'{TAB}//*[contains(@class, "filter-box")]//input')
    box.send_keys(number + Keys.ENTER)
    client.clickable(
        f'{TAB}//a[@role="tab" and contains(., "Comptabilisés")]').click()
    client.wait.until(lambda d: len(client.rows()) == 1)
    row, = client.rows()
    # Numéro, Référence (the source's number), Date, Tiers, Hors taxe
    assert number in row, row
    i = row.index(number)
    assert row[i - 1].startswith(f'A{today.year}-'), row
    assert row[i + 1:i + 4] == [
        _date(client.server, today), collective, '136,50\n€'], row
    # The member's column, shown by default: the company filter "Toutes"
    # mixes the members' invoices
    assert "Société" in client.texts(f'{TAB}//thead//th'), client.texts(
        f'{TAB}//thead//th')
    assert jardins in row, row
    client.visible(
        f'{TAB}//tbody/tr/td[normalize-space(.)="{number}"]').click()
    client.clickable(f'{TAB}//button[@id="switch_"]').click()
    client.wait.until(lambda d: client.value('reference') == number)
    assert client.value('number').startswith(f'A{today.year}-')
    assert client.value('party') == collective
    assert client.value('total_amount') == '136,50'
    assert Select(client.visible(f'{TAB}//select[@name="state"]')
        ).first_selected_option.text == "Comptabilisé"
    lines = client.rows(
        f'{TAB}//div[contains(@class, "form-one2many ")]//tbody/tr')
    assert [r[2:4] for r in lines] == [
        ["604 - Achats d'études et prestations de services", '3']], lines
    # No access error, and the source shown on the other page: it is in
    # the collective's books, not the current company's
    assert not client.texts(MODAL), client.texts(MODAL)
    _screenshot(client.driver, 'accountant-3-mirror')
    client.clickable(
        f'{TAB}//a[@role="tab" and normalize-space(.)="Autre information"]'
        ).click()
    client.wait.until(lambda d: client.value('mirror_of_label')
        == f'{number} ({collective})')
    assert "Miroir de\xa0:" in client.texts(f'{TAB}//label')
    assert not client.texts(MODAL), client.texts(MODAL)
    _screenshot(client.driver, 'accountant-4-mirror-of')



def _settle(client, seconds=2):
    """Let the screen load what it reads after it shows (a form's fields
    pointing elsewhere); then no dialog must be there (an access error)"""
    time.sleep(seconds)
    assert not client.texts(MODAL), client.texts(MODAL)


def _open_row(client, text):
    "Open in form the row of the active tab's list showing text"
    client.visible(f'{TAB}//tbody/tr/td[normalize-space(.)="{text}"]'
        ).click()
    client.clickable(f'{TAB}//button[@id="switch_"]').click()


@_journey('accountant-onboard')
def test_accountant_onboards_member_and_opens_it(client):
    """The accountant, the collective current, onboards a member through
    the wizard (the SIRET typed as a Kbis prints it) and lands on its form;
    then opens Les Jardins du Val among the members: no access error, the
    fields of the other companies shown"""
    server = client.server
    collective, jardins = (
        m['name'] for m in server['definition']['members'][:2])
    name, siret = "L'Atelier du Val", '412 345 084 00013'
    client.login(client.user('comptable'))
    client.switch_company(collective)
    client.open_menu("Pôle", "Intégrer une association membre")
    client.visible(f'{MODAL}//input[@name="name"]').send_keys(name)
    entry = client.clickable(f'{MODAL}//input[@name="siret"]')
    entry.send_keys(siret)
    # Not cut at 14 characters: the groups of a Kbis fit
    assert entry.get_attribute('value') == siret
    client.clickable(f'{MODAL}//input[@name="postal_code"]').send_keys(
        '26000')
    client.clickable(f'{MODAL}//input[@name="city"]').send_keys('Valence')
    # The countries are loaded, France by default
    assert client.value('country', where=MODAL).endswith('France')
    # An ACI is an association: the association chart by default
    assert client.value('account_template', where=MODAL) == (
        "Plan comptable des associations")
    labels = client.texts(f'{MODAL}//label')
    for label in ["Nom", "SIRET", "Pays", "Plan comptable"]:
        assert any(t.startswith(label) for t in labels), labels
    _screenshot(client.driver, 'accountant-onboard-1-wizard')
    client.clickable(
        f'{MODAL}//button[normalize-space(.)="Intégrer"]').click()
    # The wizard opens the new member's form, another company than the
    # current one (the books made first: minutes on a busy machine)
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(client.driver, 2 * REPORT_TIMEOUT).until(
        lambda d: not client.texts(MODAL)
        and client.texts(f'{TAB}//input[@name="company"]'))
    client.wait.until(lambda d: client.value('company') == name)
    (stored, joined), = _query(server, """
        SELECT member.siret, member.joined FROM hub_member AS member
        JOIN company_company AS company ON company.id = member.company
        JOIN party_party AS party ON party.id = company.party
        WHERE party.name = ?""", name)
    assert stored == '41234508400013'
    assert client.value('siret').replace(' ', '') == stored
    assert client.value('joined') == _date(
        server, dt.date.fromisoformat(joined))
    _settle(client)
    _screenshot(client.driver, 'accountant-onboard-2-member')


    # Another member opened from the list, the collective still current
    client.open_tab("Pôle", "Associations membres")
    client.wait.until(lambda d: any(
            jardins in r for r in client.rows()))
    _open_row(client, jardins)
    client.wait.until(lambda d: client.value('company') == jardins)
    (siret_jardins,), = _query(server, """
        SELECT member.siret FROM hub_member AS member
        JOIN company_company AS company ON company.id = member.company
        JOIN party_party AS party ON party.id = company.party
        WHERE party.name = ?""", jardins)
    assert client.value('siret').replace(' ', '') == siret_jardins
    assert client.visible('//li[@id="user-preferences"]/a').text.endswith(
        f' - {collective} [EUR]')
    _settle(client)
    _screenshot(client.driver, 'accountant-onboard-3-other-member')

    # In the new member's books, its inter-member mapping, made by the
    # onboarding: every member's invoices to it mirrored as drafts to
    # review, on its 604
    client.switch_company(name)
    client.open_tab("Pôle", "Facturation entre membres",
        "Correspondances entre membres")
    client.wait.until(lambda d: any(r[0] == name for r in client.rows()))
    mapping, = [r for r in client.rows() if r[0] == name]
    assert mapping[1:3] == ['', "Brouillon, à vérifier"], mapping
    assert mapping[3].startswith('604'), mapping
    _screenshot(client.driver, 'accountant-onboard-4-mapping')


# The posted lines of a member (structure.name) with their move, period and
# account
_MEMBER_LINES = """
        FROM account_move_line AS line
        JOIN account_move AS move ON move.id = line.move
        JOIN account_period AS period ON period.id = move.period
        JOIN account_account AS account ON account.id = line.account
        JOIN company_company AS company ON company.id = move.company
        JOIN party_party AS structure ON structure.id = company.party"""


@_journey('accountant-trial-balance')
def test_accountant_prints_another_members_trial_balance(client):
    """The accountant, the collective current, prints the trial balance of
    Les Jardins du Val as a spreadsheet: the member's own periods offered,
    its bank's opening balance, debit, credit and closing balance as SQL
    sums its posted lines, numbers the spreadsheet can add"""
    import zipfile
    from xml.etree import ElementTree
    from selenium.webdriver.support.ui import Select
    server = client.server
    collective, jardins = (
        m['name'] for m in server['definition']['members'][:2])
    # The period of the garden whose bank moved most
    (period, start, bank), = _query(server, f"""
        SELECT period.name, period.start_date, account.code {_MEMBER_LINES}
        WHERE structure.name = ? AND move.state = 'posted'
            AND period.type = 'standard' AND account.code LIKE '512%'
        GROUP BY period.id, period.name, period.start_date, account.code
        ORDER BY COUNT(*) DESC, period.start_date DESC LIMIT 1""", jardins)
    lines = _query(server, f"""
        SELECT move.date < ?, line.debit, line.credit {_MEMBER_LINES}
        WHERE structure.name = ? AND move.state = 'posted'
            AND account.code = ?
            AND (move.date < ? OR period.name = ?)""",
        start, jardins, bank, start, period)
    def number(value):
        return Decimal(value.decode() if isinstance(value, bytes)
            else str(value or 0))
    opening = sum((number(d) - number(c) for before, d, c in lines
            if before), Decimal(0))
    debit = sum((number(d) for before, d, _ in lines if not before),
        Decimal(0))
    credit = sum((number(c) for before, _, c in lines if not before),
        Decimal(0))
    assert debit or credit

    client.login(client.user('comptable'))
    client.switch_company(collective)
    client.open_menu("Pôle", "Tenue des comptes", "Balance d'un membre")
    client.pick('member', 'Jardins', jardins, where=MODAL)
    # The garden's periods, although the collective is current
    client.pick('period', period, period, where=MODAL)
    assert Select(client.visible(f'{MODAL}//select[@name="format"]')
        ).first_selected_option.text == "Tableur (ODS)"
    _screenshot(client.driver, 'accountant-trial-balance-1-wizard')
    client.clickable(f'{MODAL}//button[contains(., "Imprimer")]').click()
    path = client.download("Balance")
    assert path.suffix == '.ods', path
    shutil.copyfile(path, SCREENSHOTS / 'accountant-trial-balance.ods')
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read('content.xml'))
    ns = {
        'table': 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
        'office': 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
        }
    value = '{%s}value' % ns['office']
    rows = [[(cell.get(value), ''.join(cell.itertext()))
            for cell in row.findall('table:table-cell', ns)]
        for row in root.iter('{%s}table-row' % ns['table'])]
    texts = [' '.join(t for _, t in row) for row in rows]
    assert any(jardins in t for t in texts), texts[:5]
    assert any(period in t for t in texts), texts[:5]
    row, = [r for r in rows if r and r[0][1] == bank]
    # opening, debit, credit, closing: numbers (office:value), not texts
    assert [Decimal(v) for v, _ in row[2:6]] == [
        opening, debit, credit, opening + debit - credit], row
    client.wait.until(lambda d: not client.texts(MODAL))


def _type_date(client, name, text):
    """Type text in the date field name of the active tab's form, then
    leave it; again when keys were lost (a busy machine: "10.01.00020")"""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import TimeoutException
    for attempt in range(3):
        entry = client.clickable(f'{TAB}//input[@name="{name}"]')
        # (not clear(): refused on a new record's date, "invalid state")
        entry.click()
        entry.send_keys(Keys.CONTROL, 'a')
        entry.send_keys(Keys.BACKSPACE)
        entry.send_keys(text)
        try:
            WebDriverWait(client.driver, 5).until(
                lambda d: entry.get_attribute('value') == text)
        except TimeoutException:
            continue
        entry.send_keys(Keys.TAB)
        return
    raise AssertionError("%s: %r typed, %r shown" % (
            name, text, entry.get_attribute('value')))


def _runs(server):
    "The collective's billing runs: {start date: (id, end, state, stamp)}"
    return {start: (id_, end, state, stamp)
        for id_, start, end, state, stamp in _query(server, """
            SELECT id, start_date, end_date, state,
                COALESCE(write_date, create_date) FROM hub_billing_run
            WHERE periodicity = 'month'""")}


@_journey('accountant-billing')
def test_accountant_runs_and_reruns_billing(client):
    """The accountant runs the demo's last billing run again (nothing new),
    saves a new run, moves its start date (its end follows), and runs it:
    a month before the last billed one is refused, the invoice named by its
    member, date and amount and the series in French"""
    import re
    server = client.server
    names = [m['name'] for m in server['definition']['members']]
    collective = names[0]
    runs = _runs(server)
    last = max(s for s, r in runs.items() if r[2] == 'done')
    last_id, last_end, _, stamp = runs[last]
    last, last_end = map(dt.date.fromisoformat, (last, last_end))

    def invoices():
        return _query(server, """
            SELECT invoice.id, invoice.number, invoice.invoice_date
            FROM account_invoice AS invoice
            JOIN company_company AS company ON company.id = invoice.company
            JOIN party_party AS party ON party.id = company.party
            WHERE party.name = ? AND invoice.type = 'out'""", collective)
    before = invoices()
    (billed,), = _query(server, """
        SELECT COUNT(DISTINCT invoice_line.invoice)
        FROM hub_billing_line AS line
        JOIN account_invoice_line AS invoice_line
            ON invoice_line.id = line.invoice_line
        WHERE line.run = ?""", last_id)
    assert billed

    client.login(client.user('comptable'))
    client.switch_company(collective)
    client.open_tab("Pôle", "Facturation entre membres",
        "Facturations des services partagés")
    assert client.texts(f'{TAB}//thead//th')[-5:] == [
        "Société", "Périodicité", "Date de début", "Date de fin", "État"]
    row = [collective, "Mois", _date(server, last), _date(server, last_end),
        "Terminée"]
    client.wait.until(lambda d: row in client.rows())
    _open_row(client, _date(server, last))
    client.wait.until(
        lambda d: client.value('start_date') == _date(server, last))
    client.clickable(
        f'{TAB}//a[@role="tab" and normalize-space(.)="Factures"]').click()
    # (a Many2Many: sao's widget of class form-many2many)
    lists = f'{TAB}//div[contains(@class, "form-many2many")]//tbody/tr'
    client.wait.until(lambda d: len(client.rows(lists)) == billed)
    _screenshot(client.driver, 'accountant-billing-1-last-run')
    # Run again: done again, nothing new
    client.clickable(
        f'{TAB}//button[normalize-space(.)="Facturation"]').click()
    client.wait.until(lambda d: _runs(server)[str(last)][3] != stamp)
    _settle(client)
    assert invoices() == before
    assert len(client.rows(lists)) == billed

    # A new run, saved, then its start date moved
    client.clickable(f'{TAB}//button[@id="new_"]').click()
    october = last.replace(day=1) - dt.timedelta(days=1)
    october = october.replace(day=1)
    september = (october - dt.timedelta(days=1)).replace(day=1)
    _type_date(client, 'start_date', _date(server, october))
    end = (last.replace(day=1) - dt.timedelta(days=1))
    client.wait.until(lambda d: client.value('end_date') == _date(
            server, end))
    client.clickable(f'{TAB}//button[@id="save"]').click()
    client.wait.until(lambda d: str(october) in _runs(server))
    _type_date(client, 'start_date', _date(server, september))
    client.clickable(f'{TAB}//button[@id="save"]').click()
    # Saved with the end of September, by the server (the start alone
    # written)
    client.wait.until(lambda d: str(september) in _runs(server))
    run_id, run_end, state, _ = _runs(server)[str(september)]
    assert str(october) not in _runs(server)
    assert (run_end, state) == (str(october - dt.timedelta(days=1)),
        'draft')
    assert client.value('end_date') == _date(
        server, october - dt.timedelta(days=1))
    _screenshot(client.driver, 'accountant-billing-2-moved')

    client.clickable(
        f'{TAB}//button[normalize-space(.)="Facturation"]').click()
    message = client.visible(f'{MODAL}[.//*[contains(., '
        '"ne peut pas être numérotée")]]').text
    message = ' '.join(_spaces(message).split())
    _screenshot(client.driver, 'accountant-billing-3-refused')
    # Messages write dates as French prose does (dd/mm/yyyy), whatever the
    # language's format for the screens
    date = (october - dt.timedelta(days=1)).strftime('%d/%m/%Y')
    found = re.search(r'La facture « (.+), %s, ([\d ]+,\d\d) » ne peut pas '
        r'être numérotée au %s : les factures clients de l\'exercice '
        r'(\d{4}) de « %s » sont numérotées dans l\'ordre de leurs dates, '
        r'et la facture (\S+) est déjà datée du (\S+)\.' % (
            re.escape(date), re.escape(date), re.escape(collective)),
        message)
    assert found, message
    party, amount, year, number, later = found.groups()
    assert party in names[1:] and year == str(september.year), message
    # The last invoice of the series after the run's date, as SQL has it
    latest = max((d, n) for _, n, d in before if n and d > str(
            october - dt.timedelta(days=1)))
    assert (number, later) == (latest[1],
        dt.date.fromisoformat(latest[0]).strftime('%d/%m/%Y'))
    assert '(' not in party
    # Nothing written: no invoice, the run still a draft
    assert invoices() == before
    assert _runs(server)[str(september)][2] == 'draft'


@_journey('accountant-fec')
def test_accountant_closes_year_and_downloads_fec(client):
    """The accountant runs the year-end batch on last year (the demo's
    build closed it already: each member is reported as done before), then
    the FEC batch, and downloads the archive: a file per member, its header
    line, as many entries as the posted lines of the year in SQL"""
    import zipfile
    from selenium.webdriver.support.ui import Select
    sys.path.insert(0, str(ROOT / 'modules' / 'hub_bookkeeping' / 'tests'))
    from fec_parser import OPENING_NUMBER, parse_fec
    server = client.server
    names = [m['name'] for m in server['definition']['members']]
    end = dt.date(dt.date.today().year - 1, 12, 31)
    client.login(client.user('comptable'))
    client.switch_company(names[0])

    def batch(action):
        client.open_menu("Pôle", "Tenue des comptes",
            "Traitement comptable des membres par lot")
        select = f'{MODAL}//select[@name="action"]'
        client.wait.until(lambda d: action in {
                o.text for o in Select(client.visible(select)).options})
        Select(client.visible(select)).select_by_visible_text(action)
        date = client.clickable(f'{MODAL}//input[@name="date"]')
        date.clear()
        date.send_keys(_date(server, end) + '\t')
        client.clickable(
            f'{MODAL}//button[normalize-space(.)="Lancer"]').click()
        results = client.visible(f'{MODAL}//textarea[@name="results"]')
        client.wait.until(lambda d: results.get_attribute('value'))
        return results.get_attribute('value').splitlines()

    lines = batch("Clôturer l'exercice (résultat en 120/129) et le "
        "verrouiller")
    year = str(end.year)
    for name in names:
        assert (f"{name} : Clôturer l'exercice (résultat en 120/129) et le "
            f"verrouiller : ignoré, déjà fait ({year}).") in lines, lines
    states = _query(server, """
        SELECT party.name, year.state FROM account_fiscalyear AS year
        JOIN company_company AS company ON company.id = year.company
        JOIN party_party AS party ON party.id = company.party
        WHERE year.end_date = ?""", str(end))
    assert {n: s for n, s in states if n in names} == {
        n: 'locked' for n in names}
    _screenshot(client.driver, 'accountant-fec-1-closed')
    client.clickable(f'{MODAL}//button[normalize-space(.)="Fermer"]').click()
    client.wait.until(lambda d: not client.texts(MODAL))

    lines = batch("Générer le FEC")
    assert all(any(l.startswith(f'{name} : Générer le FEC : fait')
            for l in lines) for name in names), lines
    _screenshot(client.driver, 'accountant-fec-2-generated')
    client.clickable(f'{MODAL}//button[@title="Enregistrer sous..."]').click()
    path = client.download('FEC-')
    assert path.name == f'FEC-{end:%Y%m%d}.zip'
    shutil.copyfile(path, SCREENSHOTS / path.name)
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    members = _query(server, """
        SELECT member.siret, party.name, year.id
        FROM hub_member AS member
        JOIN company_company AS company ON company.id = member.company
        JOIN party_party AS party ON party.id = company.party
        JOIN account_fiscalyear AS year ON year.company = company.id
            AND year.end_date = ?""", str(end))
    members = [m for m in members if m[1] in names]
    assert sorted(files) == sorted(
        f'{siret[:9]}FEC{end:%Y%m%d}.csv' for siret, _, _ in members)
    for siret, name, year_id in members:
        content = files[f'{siret[:9]}FEC{end:%Y%m%d}.csv']
        # The 18 columns of the article A47 A-1 of the LPF, tab-separated
        header = content.decode('iso-8859-15').splitlines()[0].split('\t')
        assert header[:4] == [
            'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate']
        assert header[-3:] == ['ValidDate', 'Montantdevise', 'Idevise']
        assert len(header) == 18
        rows = [r for r in parse_fec(content)
            if r['EcritureNum'] != OPENING_NUMBER]
        (count,), = _query(server, """
            SELECT COUNT(*) FROM account_move_line AS line
            JOIN account_move AS move ON move.id = line.move
            JOIN account_period AS period ON period.id = move.period
            WHERE period.fiscalyear = ? AND move.state = 'posted'
                AND (line.debit != 0 OR line.credit != 0)
                AND (move.origin IS NULL OR move.origin != ?)""",
            year_id, f'account.fiscalyear,{year_id}')
        assert count and len(rows) == count, (name, len(rows), count)


def _board_etp(server, date):
    """Per member (company name): the ETP consumed and conventioned of the
    year to date, worked out as the directors' board does: each valid or
    closed AF of the year, the hours (by its basis) of the validated or
    posted insertion payroll lines of its months since the 1st of January /
    its reference hours; its ETP × its months elapsed since then / its
    months; summed per member, 4 decimals"""
    start = date.replace(month=1, day=1)
    agreements = _query(server, """
        SELECT agreement.id, structure.name, agreement.hours_basis,
            agreement.reference_hours, agreement.etp,
            agreement.start_date, agreement.end_date
        FROM insertion_agreement AS agreement
        JOIN company_company AS company ON company.id = agreement.company
        JOIN party_party AS structure ON structure.id = company.party
        WHERE agreement.state IN ('valid', 'closed')
            AND agreement.start_date <= ? AND agreement.end_date >= ?""",
        str(date), str(start))
    figures = {}
    for (id_, name, basis, reference, etp, af_start, af_end) in agreements:
        af_start, af_end = map(dt.date.fromisoformat, (af_start, af_end))
        hours = sum((_number(w if basis == 'worked' else p)
                for w, p in _query(server, """
                    SELECT line.hours_worked, line.hours_paid
                    FROM insertion_payroll_line AS line
                    JOIN insertion_contract AS contract
                        ON contract.id = line.contract
                    JOIN insertion_agreement AS agreement
                        ON agreement.company = line.company
                    WHERE agreement.id = ?
                        AND line.state IN ('validated', 'posted')
                        AND contract.kind IN ('cddi', 'ai_placement',
                            'etti_mission', 'cdi_inclusion')
                        AND line.month >= agreement.start_date
                        AND line.month <= agreement.end_date
                        AND line.month >= ? AND line.month <= ?""",
                    id_, str(start), str(date))), Decimal(0))
        months, month = [], af_start.replace(day=1)
        while month <= af_end:
            months.append(month)
            month = (month + dt.timedelta(days=31)).replace(day=1)
        elapsed = len([m for m in months if start <= m <= date])
        consumed, conventioned = figures.get(name, (Decimal(0), Decimal(0)))
        figures[name] = (consumed + hours / _number(reference),
            conventioned + _number(etp) * elapsed / len(months))
    digits = Decimal('0.0001')
    return {n: (c.quantize(digits), e.quantize(digits))
        for n, (c, e) in figures.items()}


def _board_intermember(server, date):
    """Per member (company name): what the other members owe it and what
    it owes them at date, in its books: the posted lines of its receivable
    (debit - credit) and payable (credit - debit) accounts whose party is
    another member's company, in standard periods"""
    rows = _query(server, """
        SELECT structure.name, line.debit, line.credit, type.receivable,
            type.payable
        FROM account_move_line AS line
        JOIN account_move AS move ON move.id = line.move
        JOIN account_period AS period ON period.id = move.period
        JOIN account_account AS account ON account.id = line.account
        JOIN account_account_type AS type ON type.id = account.type
        JOIN company_company AS company ON company.id = move.company
        JOIN party_party AS structure ON structure.id = company.party
        JOIN company_company AS other ON other.party = line.party
        JOIN hub_member AS member ON member.company = other.id
        WHERE move.state = 'posted' AND period.type = 'standard'
            AND move.date <= ? AND other.id != move.company
            AND (type.receivable OR type.payable)""", str(date))
    figures = {}
    for name, debit, credit, receivable, payable in rows:
        owed_by, owed_to = figures.get(name, (Decimal(0), Decimal(0)))
        amount = _number(debit) - _number(credit)
        figures[name] = (owed_by + (amount if receivable else 0),
            owed_to - (amount if payable else 0))
    return figures


@_journey('director-board')
def test_director_board_graphs(client):
    """The director opens the directors' board: the graphs of result and
    cash, of the ETP consumed and conventioned and of the inter-member
    balances per member, legends in French; the figures its graphs draw,
    read over JSON-RPC as the board's actions read them, are those of SQL"""
    from live import RPCClient
    server = client.server
    today = dt.date.today()
    # Every member, the one an earlier journey onboarded too
    names = [n for n, in _query(server, """
        SELECT party.name FROM hub_member AS member
        JOIN company_company AS company ON company.id = member.company
        JOIN party_party AS party ON party.id = company.party""")]
    etp = _board_etp(server, today)
    balances = _board_intermember(server, today)
    # The demo has both: ETP in the two ACI, invoices between members
    assert len([n for n in names if etp.get(n, (0, 0))[0] > 0]) >= 2, etp
    assert any(r for r, _ in balances.values()), balances
    user = client.user('direction')
    rpc = RPCClient(server['url'], DATABASE)
    rpc.login(user['login'], user['password'], 'fr')
    rpc.load_context()
    rows = rpc.model('hub.consolidation.dashboard.member', 'search_read',
        [], 0, None, None, ['name', 'etp', 'etp_conventioned',
            'intermember_receivable', 'intermember_payable'])
    assert {r['name'] for r in rows} == set(names)
    zero = (Decimal(0), Decimal(0))
    cent = Decimal('0.01')
    for row in rows:
        name = row['name']
        assert (row['etp'], row['etp_conventioned']) == etp.get(
            name, zero), name
        receivable, payable = balances.get(name, zero)
        assert (row['intermember_receivable'], row['intermember_payable']
            ) == (receivable.quantize(cent), payable.quantize(cent)), name
    # Aggregates only: what a member's ETP sums, never a person
    assert not {'employee', 'party', 'contract'} & set(
        rpc.model('hub.consolidation.dashboard.member', 'fields_get', []))

    client.login(user)
    client.open_menu("Pôle", "États combinés",
        "Tableau de bord graphique des directions")
    legends = f'{TAB}//*[contains(@class, "bb-legend-item")]'
    client.wait.until(lambda d: len([t for t in client.texts(legends)
                if t]) >= 6)
    assert {t for t in client.texts(legends) if t} >= {
        "Résultat de l'exercice à date", "Trésorerie", "ETP consommés",
        "ETP conventionnés", "Dû par les autres membres",
        "Dû aux autres membres"}, client.texts(legends)
    # The ETP graph: a bar per member and figure
    script = """
        const values = [];
        for (const chart of document.querySelectorAll(
                '.tab-pane.active .bb')) {
            const ids = new Set();
            const bars = chart.querySelectorAll('path.bb-bar');
            for (const bar of bars) { ids.add(bar.__data__.id); }
            if (ids.has(arguments[0])) {
                for (const bar of bars) {
                    values.push([bar.__data__.id, bar.__data__.value]);
                }
            }
        }
        return values;"""
    drawn = []
    client.wait.until(lambda d: drawn.extend(d.execute_script(
                script, 'etp')) or drawn)
    assert sorted(Decimal(str(v)).quantize(Decimal('0.0001'))
        for i, v in drawn if i == 'etp') == sorted(
        etp.get(n, zero)[0] for n in names), drawn
    drawn[:] = []
    client.wait.until(lambda d: drawn.extend(d.execute_script(
                script, 'intermember_receivable')) or drawn)
    assert sorted(Decimal(str(v)).quantize(cent) for i, v in drawn
        if i == 'intermember_receivable') == sorted(
        balances.get(n, zero)[0].quantize(cent) for n in names), drawn
    _screenshot(client.driver, 'director-board')

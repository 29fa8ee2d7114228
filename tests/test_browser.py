"""The demo in a real browser: sao (the web client) on trytond, in Chromium.

What it does:

- builds a small pôle of its own in a temporary folder: the hub module
  activated, then ``scripts/build_demo.py`` with a reduced definition (the
  first two members of config/demo.json and the accountant ``comptable``,
  who has every member);
- starts ``trytond`` on a free loopback port, serving the web client
  installed by ``ensure_sao`` (scripts/env.sh) under var/sao;
- in headless Chromium: logs in as the accountant, checks the "Pôle" menu,
  switches company from one member to the other in the preferences, opens
  Pôle > Member Associations and checks that both members are listed.

The database is always SQLite, whatever TRYTOND_DATABASE_URI says: the test
is about the web client and the server working together, not the backend
(the other tests cover PostgreSQL), and a throw-away SQLite file needs no
server rights nor cleanup.  The freshly activated database (before the
members) is kept under $POLE_FILE_CACHE/browser/, which conftest.py makes per
backend and per content of modules/, so later runs skip the activation.

Needs Debian's chromium and chromium-driver (/usr/bin/chromium,
/usr/bin/chromedriver): Selenium Manager never downloads anything here.
Skipped when they are missing, or when the web client is missing and npm is
not there to install it.  Screenshots go to var/screenshots/.
"""
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

import pytest

# Always on SQLite: the run on PostgreSQL would repeat the SQLite run's test.
pytestmark = pytest.mark.skipif(
    os.environ.get('TRYTOND_DATABASE_URI', '').startswith('postgresql'),
    reason="on SQLite whatever the backend: run by the SQLite run")

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
SAO_ROOT = ROOT / 'var' / 'sao' / 'node_modules' / 'tryton-sao'
SCREENSHOTS = ROOT / 'var' / 'screenshots'
CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
DATABASE = 'pole_browser'
TIMEOUT = 30


def _demo_definition():
    demo = json.loads((ROOT / 'config' / 'demo.json').read_text())
    accountant, = [u for u in demo['users'] if u['login'] == 'comptable']
    return {
        'database': DATABASE,
        'admin': demo['admin'],
        'members': demo['members'][:2],
        'users': [dict(accountant, members='all')],
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
            / 'browser' / 'hub.sqlite')
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
                '--email', 'admin@example.org'],
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
            TRYTOND_WEB__ROOT=str(SAO_ROOT))
        log = folder / 'trytond.log'
        with open(log, 'wb') as out:
            process = subprocess.Popen(
                [BIN / 'trytond', '-d', DATABASE], cwd=folder, env=env,
                stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f'http://127.0.0.1:{port}/'
            _wait_http(url, process, log)
            yield {'url': url, 'definition': definition, 'log': log}
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
    driver = webdriver.Chrome(
        service=Service(CHROMEDRIVER), options=options)
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


def test_accountant_switches_member_and_lists_members(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    definition = server['definition']
    first, second = (m['name'] for m in definition['members'])
    accountant, = definition['users']
    wait = WebDriverWait(browser, TIMEOUT)

    def visible(xpath):
        return wait.until(EC.visibility_of_element_located((By.XPATH, xpath)))

    def clickable(xpath):
        return wait.until(EC.element_to_be_clickable((By.XPATH, xpath)))

    # The modules sao loads from its own node_modules/ (ensure_sao's link).
    with urllib.request.urlopen(
            server['url'] + 'node_modules/jquery/dist/jquery.js') as response:
        assert response.status == 200

    try:
        browser.get(server['url'])

        # Login dialog: database and user name, then the password.
        visible('//div[contains(@class, "login-dialog")]//input[@id="login"]')

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
        database = wait.until(database_widget)
        if database.tag_name == 'select':
            Select(database).select_by_value(DATABASE)
        elif database.get_attribute('value') != DATABASE:
            # Read-only and filled in when the server has one database.
            database.clear()
            database.send_keys(DATABASE)
        browser.find_element(
            By.CSS_SELECTOR, '.login-dialog input#login').send_keys(
            accountant['login'])
        browser.find_element(
            By.CSS_SELECTOR, '.login-dialog button[type=submit]').click()
        visible('//div[contains(@class, "ask-dialog")]'
            '//input[@type="password"]').send_keys(accountant['password'])
        browser.find_element(
            By.CSS_SELECTOR, '.ask-dialog .modal-footer .btn-primary').click()

        # Logged in: the Pôle menu and the current company in the header.
        pole = visible('//div[@id="menu"]//div[@title="Pôle"]')
        header = '//li[@id="user-preferences"]/a'
        wait.until(EC.text_to_be_present_in_element(
                (By.XPATH, header), accountant['name']))
        assert first in browser.find_element(By.XPATH, header).text
        _screenshot(browser, 'browser-1-logged-in')

        # Switch company in the preferences.
        clickable(header).click()
        # The first entry of the user menu is Preferences (in any language).
        clickable('(//li[@id="user-preferences"]'
            '//a[@role="menuitem"])[1]').click()
        company = Select(visible(
                '//div[contains(@class, "modal") and contains(@class, "in")]'
                '//select[@name="company"]'))
        assert {o.text for o in company.options} - {''} == {first, second}
        company.select_by_visible_text(second)
        clickable(
            '//div[contains(@class, "modal") and contains(@class, "in")]'
            '//button[@type="submit" and contains(@class, "btn-primary")]'
            ).click()
        wait.until(EC.text_to_be_present_in_element(
                (By.XPATH, header), second))
        wait.until(EC.invisibility_of_element_located(
                (By.CSS_SELECTOR, '.modal.in')))

        # Pôle > Member Associations lists both members.
        pole = visible('//div[@id="menu"]//div[@title="Pôle"]')
        pole.find_element(
            By.XPATH, './ancestor::tr[1]//span[@class="expander"]').click()
        visible('//div[@id="menu"]'
            '//div[@title="Member Associations"]').click()
        visible('//ul[@id="tablist"]//*[contains(., "Member Associations")]')
        tab = ('//div[contains(@class, "tab-pane") '
            'and contains(@class, "active")]')
        for name in [first, second]:
            visible(f'{tab}//tbody//td[contains(normalize-space(.), "{name}")]')
        rows = browser.find_elements(
            By.XPATH, f'{tab}//tbody/tr[.//td[normalize-space(.) != ""]]')
        assert len(rows) == 2, [r.text for r in rows]
        _screenshot(browser, 'browser-2-members')
    except Exception:
        path = _screenshot(browser, 'browser-failure')
        print(f"screenshot: {path}\ntrytond log:\n{_tail(server['log'])}")
        raise

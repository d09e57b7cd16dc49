#!/usr/bin/python3
# journeys.py: user journeys through the installed Async Demo, over AT-SPI
#
# Run by run-journeys.sh (which installs the app and starts the display and
# buses):  journeys.py [--lang de] [JOURNEY...]   (default: all of them)
# Each journey starts the app, does what a person would do, asserts on what
# that person would read, and is one TAP test. Names are looked up in the
# installed catalogue, so the same walk runs in German (journey 'german').
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import csv
import os
import re
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from atspi_app import (  # noqa: E402
    BUTTONS, INTERACTIVE, App, Failure, Tap, Translator, children, clean, fmt_re, name, note,
    role, states, text_of, wait_until, walk,
)

PREFIX = os.environ.get('AD_A11Y_PREFIX', '/usr/local')
SRC = os.environ.get('AD_A11Y_SRC', os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SCRATCH = os.environ.get('AD_A11Y_SCRATCH', '/tmp')
BINARY = os.path.join(PREFIX, 'bin', 'async-demo')
LOCALEDIR = os.path.join(PREFIX, 'share', 'locale')
OUT = os.environ.get('AD_A11Y_OUT', SCRATCH)  # failure screenshots and logs
SHOTS = os.environ.get('AD_A11Y_SHOTS')  # a directory: save a screenshot after each journey

PAGES = ['Basics', 'Crawler', 'Compute', 'Chat', 'Tasks']


class Journey:
    """What every journey shares: the app, the language, and a check for untranslated text."""

    def __init__(self, lang=None):
        self.lang = lang
        self.T = Translator(LOCALEDIR, lang)
        self.env = dict(os.environ)
        if lang:
            self.env['LANGUAGE'] = lang
            self.env['LC_ALL'] = 'C.UTF-8'
        po = os.path.join(SRC, 'po', lang + '.po') if lang else None
        self.untranslated = self.T.untranslated(po if po and os.path.exists(po) else None) \
            if lang else {}
        self.offenders = set()
        self.app = None

    def start(self):
        self.app = App(BINARY, self.env, log=os.path.join(OUT, 'app.log')).start(timeout=60)
        return self.app

    def stop(self):
        if self.app:
            self.app.stop()
            self.app = None

    def check_language(self, root=None):
        """In another language, no label or control on screen may still read its English msgid."""
        if not self.lang:
            return
        for acc, path in self.app.walk(root):
            if role(acc) not in INTERACTIVE and role(acc) not in ('label', 'list item', 'frame'):
                continue
            for text in {clean(name(acc)), clean(text_of(acc))}:
                if text in self.untranslated:
                    self.offenders.add('%s %r (should read %r)' % (
                        role(acc), text, self.untranslated[text]))

    def page(self, title):
        shown = self.app.open_page(self.T(title))
        self.check_language()
        return shown

    def button(self, label, **kw):
        return self.app.find(BUTTONS, clean(self.T(label)), **kw)

    def press(self, label, **kw):
        b = self.button(label, **kw)
        self.app.press(b)
        return b

    def shot(self, name_):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            self.app.screenshot(os.path.join(SHOTS, name_ + '.png'))


# ---- 1: every page from the sidebar ----------------------------------------
def j_pages(j):
    app = j.start()
    # What each page shows that no other page does.
    marks = {
        'Basics': ('list item', 'Concurrent tasks'),
        'Crawler': (BUTTONS, 'Use _Sample'),
        'Compute': (BUTTONS, 'Measure _Speed-up'),
        'Chat': (BUTTONS, '_New Client'),
        'Tasks': (BUTTONS, 'C_ancel Task'),
    }
    for title in PAGES:
        j.page(title)
        roles, label = marks[title]
        if roles == 'list item':
            app.wait_text('^%s$' % re.escape(j.T(label)), roles=('label',))
        else:
            j.button(label)
        note('%s: shown' % j.T(title))
        # The other pages' marks are not on screen.
        for other, (r, l) in marks.items():
            if other != title and r != 'list item':
                if app.find_all(BUTTONS, clean(j.T(l))):
                    raise Failure('%s still shows %r from the %s page' % (title, l, other))


# ---- 2: every Basics demo and its result -----------------------------------
def basics_demos(T):
    """(demo title, checks) where each check is a regular expression the result must match."""
    def r(fmt):
        return fmt_re(T(fmt))
    return [
        ('Concurrent tasks', [r('Finished after %.1f s')]),
        ('Cancellation', [r('Cancelled after %.1f s')]),
        ('Timeout', [r('Timed out after %.1f s')]),
        ('Error handling', [re.escape(T('Error: %s') % T('The input had no closing bracket'))]),
        ('Task group', [re.escape(T('Results %s after %.1f s').split('%s')[0]) +
                        re.escape('[0, 2, 4, 6, 8]')]),
        ('A thread with its own main loop',
         [r('%u results handed from a thread’s loop to the main loop')]),
        ('Locks and semaphores',
         [r('%u updates lost without a lock, none with one; at most %u tasks at once')]),
        ('Blocking the loop', [r('Stall of %.0f ms caused by “%s”')]),
    ]


def select_demo(j, title):
    app = j.app
    lists = [a for a in app.find_all(('list',)) if a != app.sidebar()]
    for lst in lists:
        items = [c for c in children(lst) if role(c) == 'list item']
        for i, item in enumerate(items):
            texts = [clean(text_of(a)) for a, _ in walk(item) if role(a) == 'label']
            if clean(j.T(title)) in texts:
                from gi.repository import Atspi
                if not Atspi.Selection.select_child(lst, i):
                    app.click(item)
                wait_until('the %s demo' % title, lambda: 'selected' in states(item))
                return
    raise Failure('no demo %r in the Basics list' % title)


def result_label(j, pattern, timeout=30):
    return j.app.wait_text(pattern, timeout=timeout)


def j_basics(j, only=None):
    app = j.start()
    j.page('Basics')
    for title, checks in basics_demos(j.T):
        if only and title not in only:
            continue
        select_demo(j, title)
        started = time.monotonic()
        j.press('_Run')
        for c in checks:
            text = result_label(j, c, timeout=30)
        j.check_language()
        note('%s: %s (%.1f s)' % (j.T(title), text, time.monotonic() - started))
        if title == 'Concurrent tasks':
            # Both greetings, together, after about one second (one after the other: two).
            secs = float(re.search(r'(\d+[.,]\d)', text).group(1).replace(',', '.'))
            if not 0.9 <= secs < 1.8:
                raise Failure('the concurrent greetings took %.1f s, not about one' % secs)
            for who in ('Alice', 'Bob'):
                app.wait_text(re.escape(j.T('Hello, %s!') % who), roles=('label',), timeout=10)
    j.shot('basics')


# ---- 3: crawl the sample site, its broken links, CSV export ----------------
# The sample site's broken links and the pages that link to them, as
# src/core/crawler/ad-sample-site.c writes them.
SAMPLE_BROKEN = {
    ('/missing', '/'), ('/missing', '/articles/3'), ('/gone', '/about'),
    ('/articles/99', '/articles/7'), ('/loop/a', '/'), ('/big', '/'), ('/big-stream', '/'),
}


def path_of(url):
    m = re.match(r'https?://[^/]+(/.*)?$', url.strip())
    return (m.group(1) or '/') if m else url.strip()


def table_rows(app, table):
    """The rows of a table as lists of cell texts (a cell's labels joined by newlines)."""
    rows = []
    for row in children(table):
        if role(row) == 'list':      # GtkColumnView: the rows sit in its list
            rows += table_rows(app, row)
            continue
        if role(row) != 'table row':
            continue
        cells = [c for c in children(row) if role(c) == 'table cell']
        if not cells:
            continue                  # the header row
        rows.append(['\n'.join(text_of(a) for a, _ in walk(c) if role(a) == 'label')
                     for c in cells])
    return rows


def j_crawl(j):
    app = j.start()
    T = j.T
    j.page('Crawler')
    j.press('Use _Sample')
    j.press('_Start')
    pre = T('Finished in %.1f s: %s pages, %s broken links.').split('%.1f')[0]
    status = app.wait_text('^' + re.escape(pre), timeout=120)
    note(status)
    app.press(app.find('page tab', clean(T('Broken Links'))))
    table = app.find('tree table', clean(T('Broken Links')))
    found = set()

    def read():
        found.clear()
        for cells in table_rows(app, table):
            for referrer in cells[-1].split('\n'):
                found.add((path_of(cells[0]), path_of(referrer)))
        return found if found >= SAMPLE_BROKEN else None
    try:
        wait_until('every broken link in the table', read, timeout=30)
    except Failure:
        raise Failure('broken links read %s, expected %s' % (sorted(found), sorted(SAMPLE_BROKEN)))
    if found != SAMPLE_BROKEN:
        raise Failure('unexpected broken links: %s' % sorted(found - SAMPLE_BROKEN))
    j.check_language()
    j.shot('crawler-broken-links')

    # Export as CSV through the menu and the file chooser, as a person would.
    app.press(app.find(BUTTONS, clean(T('Export')), index=0))
    item = app.find('menu item', clean(T('Export as _CSV…')), root=app.app)
    app.press(item)
    dlg = app.dialog(T('Export Results as CSV'))
    target = os.path.join(SCRATCH, 'exported.csv')
    entry = app.find('text', root=dlg)
    app.set_text(entry, target)
    app.press(app.find(BUTTONS, clean(T('_Save')), root=dlg))
    wait_until('the CSV file', lambda: os.path.exists(target) and os.path.getsize(target) > 0,
               timeout=20)
    wait_until('the file chooser to close', lambda: dlg not in app.windows(), timeout=20)
    with open(target, newline='') as f:
        rows = list(csv.reader(f))
    text = open(target).read()
    note('CSV: %d lines, header %s' % (len(rows), rows[0] if rows else None))
    for link, _ in SAMPLE_BROKEN:
        if not any(path_of(c) == link for r in rows for c in r):
            raise Failure('the CSV lacks the broken link %s:\n%s' % (link, text[:2000]))
    if len(rows) < 20:
        raise Failure('the CSV has %d rows, the crawl found 24 pages' % len(rows))


# ---- 6: cancel a running task on the Tasks page ----------------------------
def j_tasks(j):
    from gi.repository import Atspi
    app = j.start()
    T = j.T
    j.page('Basics')
    select_demo(j, 'Cancellation')
    # A task long enough to be cancelled by hand: 60 s, and the demo's own cancel after 60 s.
    for sp in app.find_all('spin button'):
        app.set_value(sp, 60000)
        wait_until('%s at 60000' % name(sp), lambda: Atspi.Value.get_current_value(sp) == 60000)
    j.press('_Run')
    app.wait_text(fmt_re(T('%s: working for %.1f s…')), timeout=30)
    j.page('Tasks')
    app.press(app.find('page tab', clean(T('Live'))))
    live = app.find('tree table', clean(T('Running tasks')))
    wanted = T('sleep %u ms') % 60000 if '%u' in T('sleep %u ms') else 'sleep 60000 ms'

    def row_index():
        lst = [c for c in children(live) if role(c) == 'list']
        for lst_ in lst:
            for i, r in enumerate(table_rows(app, lst_)):
                if r and r[0] == wanted:
                    return (lst_, i + 1)
        return None
    lst, i = wait_until('%r among the running tasks' % wanted, row_index, timeout=30)
    from gi.repository import Atspi
    if not Atspi.Selection.select_child(lst, i - 1):
        raise Failure('could not select the running task')
    j.press('C_ancel Task')
    app.press(app.find('page tab', clean(T('History'))))
    history = app.find('tree table', clean(T('Recently finished tasks')))
    cancelled = clean(T('Cancelled'))

    def in_history():
        for r in table_rows(app, history):
            if r and r[0] == wanted:
                return r
        return None
    row = wait_until('%r in the history' % wanted, in_history, timeout=30)
    note('history: %s' % ' | '.join(c.replace('\n', ' ') for c in row))
    if cancelled not in row:
        raise Failure('the task is in the history as %s, not %s' % (row, cancelled))
    j.check_language()
    j.shot('tasks')


# ---- 7: a preference kept across a restart; About ---------------------------
def main_menu(j, item, quits=False):
    from gi.repository import GLib
    app = j.app
    names = {clean(j.T('Main Menu')), 'Main Menu', 'GtkMenuButton'}
    buttons = [b for b in app.find_all(BUTTONS) if clean(name(b)) in names]
    if not buttons:
        raise Failure('no main menu button (names seen: %s)' % sorted(
            {clean(name(b)) for b in app.find_all(BUTTONS)}))
    app.press(buttons[0])
    entry = app.find('menu item', clean(j.T(item)), root=app.app)
    try:
        app.press(entry)
    except GLib.GError as e:
        # An item that quits may end the app before it answers the click
        # ("Message recipient disconnected"): the caller checks the exit.
        if not (quits and 'disconnected' in str(e)):
            raise


def prefs_spin(j, dlg):
    spins = j.app.find_all('spin button', root=dlg)
    named = [s for s in spins if clean(j.T('_Log Lines Kept')) in clean(name(s))]
    if not (named or spins):
        raise Failure('no spin button in the preferences')
    return (named or spins)[0]


def j_preferences(j):
    from gi.repository import Atspi
    app = j.start()
    main_menu(j, '_Preferences')
    dlg = app.dialog(j.T('Preferences'))
    spin = prefs_spin(j, dlg)
    before = Atspi.Value.get_current_value(spin)
    wanted = 1234 if before != 1234 else 2345
    app.set_value(spin, wanted)
    wait_until('the new value', lambda: Atspi.Value.get_current_value(spin) == wanted)
    j.check_language(dlg)
    j.shot('preferences')
    main_menu(j, '_Quit', quits=True)
    wait_until('the app to quit', lambda: app.proc.poll() is not None, timeout=30)
    note('quit with status %s after setting %s from %s' % (app.proc.returncode, wanted, before))
    app = j.start()
    main_menu(j, '_Preferences')
    dlg = app.dialog(j.T('Preferences'))
    got = Atspi.Value.get_current_value(prefs_spin(j, dlg))
    if got != wanted:
        raise Failure('after a restart the preference reads %s, not %s' % (got, wanted))
    main_menu(j, '_About Async Demo')
    about = app.dialog(exclude=(dlg,))
    # The About window names the app and its version.
    app.wait_text(r'^%s$' % re.escape(j.T('Async Demo')), root=about)
    app.wait_text(r'\d+\.\d+', root=about)
    j.check_language(about)
    j.shot('about')


# ---- 8: the walk in German ---------------------------------------------------
def j_german(j):
    """Pages, Basics demos, a crawl, the Tasks page and the preferences in German: every
    label and control on the way must read its translation where the catalogue has one."""
    if not j.lang:
        j.__init__('de')
    if not j.untranslated:
        raise Failure('no German catalogue installed under %s' % LOCALEDIR)
    j_pages(j)
    j.stop()
    j_basics(j, only=('Concurrent tasks', 'Task group', 'Timeout'))
    j.stop()
    j_tasks(j)
    j.stop()
    j_preferences(j)


# ---- the audit: every control on every page has a name to say ----------------
def audit_offences(acc):
    n = name(acc)
    if not n.strip():
        return 'no name'
    if '_' in n:
        return 'a mnemonic underscore in its name'
    if n.startswith('Gtk') or n.startswith('Adw'):
        return 'named by its class'
    words = n.split()
    k = len(words)
    if k >= 2 and k % 2 == 0 and words[:k // 2] == words[k // 2:]:
        return 'a name that repeats itself'
    return None


def audit_tree(root, where, offenders, seen):
    for acc, path in walk(root, visible=False):
        if role(acc) not in INTERACTIVE:
            continue
        why = audit_offences(acc)
        if why:
            key = (where.split(':')[0], role(acc), name(acc), path[-3:])
            if key in seen:
                continue
            seen.add(key)
            offenders.append('%s: %s %r: %s\n    at %s' % (
                where, role(acc), name(acc), why, ' > '.join(path[-4:])))


def j_audit(j):
    app = j.start()
    offenders, seen = [], set()
    for title in PAGES:
        j.page(title)
        page = app.page_shown(j.T(title))
        audit_tree(page or app.window(), j.T(title), offenders, seen)
    # The window's own controls (header bar, sidebar), outside the pages.
    audit_tree(app.window(), 'window', offenders, seen)
    main_menu(j, '_Preferences')
    prefs = app.dialog(j.T('Preferences'))
    audit_tree(prefs, 'Preferences', offenders, seen)
    main_menu(j, '_About Async Demo')
    about = app.dialog(exclude=(prefs,))
    audit_tree(about, 'About', offenders, seen)
    main_menu(j, '_Keyboard Shortcuts')
    shortcuts = app.dialog(exclude=(prefs, about))
    audit_tree(shortcuts, 'Shortcuts', offenders, seen)
    # The window walk repeats what the pages hold: report each control once, by page.
    unique, keys = [], set()
    for o in offenders:
        k = o.split(': ', 1)[1]
        if k in keys:
            continue
        keys.add(k)
        unique.append(o)
    if unique:
        raise Failure('%d interactive controls a screen reader announces badly:\n%s' % (
            len(unique), '\n'.join(unique)))


# ---- 5: the chat server, two clients, a line, a kick -------------------------
def client_view(app, nick, T):
    """The subtree of the client tab that says it is connected as nick."""
    pattern = fmt_re(T('Connected to %s:%u as %s'))
    pattern = pattern[:pattern.rindex('.+?')] + re.escape(nick) + '$'
    status = app.find('label', match=pattern, timeout=30)
    acc = status
    while acc is not None:
        acc = acc.get_parent()
        if acc is not None and app.find_all('text', root=acc):
            return acc
    raise Failure('no client view for %s' % nick)


def show_tab(app, nick):
    for tab in app.find_all('page tab'):
        if nick in [text_of(a) for a, _ in walk(tab) if role(a) == 'label']:
            app.press(tab)
            wait_until('the %s tab' % nick, lambda: 'selected' in states(tab), timeout=10)
            return
    raise Failure('no tab for %s' % nick)


def j_chat(j):
    app = j.start()
    T = j.T
    j.page('Chat')
    port = app.find('spin button', clean(T('Port')))
    app.set_value(port, 0)              # any free port: tests never take a fixed one
    j.press('_Start')
    app.wait_text('^' + re.escape(T('Listening on %s:%u').split('%s')[0]), timeout=30)
    j.press('_New Client')
    one = client_view(app, 'guest-1', T)
    j.press('_New Client')
    two = client_view(app, 'guest-2', T)
    # guest-1 says something; guest-2 reads it.
    line = 'hello from guest-1, %d' % os.getpid()
    show_tab(app, 'guest-1')
    app.set_text(app.find('text', root=one), line)
    app.press(app.find(BUTTONS, clean(T('S_end')), root=one))
    show_tab(app, 'guest-2')
    app.wait_text('^' + re.escape(line) + '$', root=two, timeout=30)
    note('guest-2 read: %s' % line)
    j.shot('chat')
    # Kick guest-2 from the server's table.
    kick = app.find(BUTTONS, clean(T('Kick %s') % 'guest-2'), timeout=10) if app.find_all(
        BUTTONS, clean(T('Kick %s') % 'guest-2')) else None
    if kick is None:
        table = app.find('tree table', clean(T('Connected Clients')))
        for row in [r for r, _ in walk(table) if role(r) == 'table row']:
            cells = [text_of(a) for a, _ in walk(row) if role(a) == 'label']
            if cells and cells[0] == 'guest-2':
                kick = app.find(BUTTONS, root=row)
        if kick is None:
            raise Failure('no Kick button for guest-2 in the server table')
    app.press(kick)
    # The server lists guest-1 alone; guest-1 reads that guest-2 left.
    table = app.find('tree table', clean(T('Connected Clients')))

    def nicks():
        return [text_of(a) for a, _ in walk(table) if role(a) == 'label'
                and text_of(a) in ('guest-1', 'guest-2')]
    wait_until('guest-2 gone from the server table', lambda: nicks() == ['guest-1'], timeout=30)
    show_tab(app, 'guest-1')
    left = T('%s left (%s)').split('%s')[1].strip()
    app.wait_text('guest-2.*' + re.escape(left), root=one, timeout=30)
    j.check_language()


# ---- 4: render, cancel a render midway, measure the speed-up ------------------
def j_compute(j):
    from gi.repository import Atspi
    app = j.start()
    T = j.T
    j.page('Compute')
    checksum = '^' + re.escape(T('Checksum %s, on %s in %s').split('%s')[0])
    j.press('_Run')
    done = app.wait_text(checksum, timeout=120)
    note('render: %s' % done)
    j.shot('compute-mandelbrot')
    # A render long enough to cancel halfway: the highest iteration limit, one worker.
    limit = app.find('spin button', clean(T('Iteration limit')))
    app.set_value(limit, Atspi.Value.get_maximum_value(limit))
    workers = app.find('spin button', clean(T('Workers')))
    app.set_value(workers, 1)
    cancel = j.button('_Cancel')       # found first: pressed the moment the bar is midway
    bar = app.find('progress bar')
    j.press('_Run')
    wait_until('the render to be under way',
               lambda: 0.02 < Atspi.Value.get_current_value(bar) < 0.8, timeout=60, step=0.05)
    app.press(cancel)
    # Cancelled: the bar stops short of the end and no checksum is reported.
    def stopped():
        v = Atspi.Value.get_current_value(bar)
        time.sleep(1.0)
        return v < 1.0 and v == Atspi.Value.get_current_value(bar)
    wait_until('the render to stop', stopped, timeout=30)
    if app.find_all('label', match=checksum):
        raise Failure('the cancelled render still reports a checksum')
    note('cancelled at %.0f %%' % (100 * Atspi.Value.get_current_value(bar)))
    # The speed-up measurement, read from its table.
    app.set_value(limit, 500)
    app.set_value(workers, 2)
    j.press('Measure _Speed-up')
    app.press(app.find('page tab', clean(T('Speed-up'))))
    results = app.find('panel', clean(T('Speed-up results')))
    header = [T('Configuration'), T('Time (median)'), T('Range'), T('Speed-up'),
              T('Efficiency')]
    k = len(header)

    def table():
        cells = [text_of(a) for a, _ in walk(results) if role(a) == 'label']
        if cells[:k] != header or len(cells) < 3 * k:
            return None
        rows = [cells[i:i + k] for i in range(k, len(cells) - len(cells) % k, k)]
        return rows if all(r[1].endswith(' s') and r[2].endswith(' s') and r[3].endswith('×')
                           for r in rows) else None
    rows = wait_until('the speed-up table', table, timeout=300)
    for r in rows:
        note(' | '.join(r))
    if not re.match(r'^1[.,]00×$', rows[0][3]):
        raise Failure('the first row is not the 1-thread baseline: %s' % rows[0])
    j.check_language()
    j.shot('compute-speedup')


JOURNEYS = {
    'pages': j_pages,
    'basics': j_basics,
    'crawl': j_crawl,
    'compute': j_compute,
    'chat': j_chat,
    'tasks': j_tasks,
    'preferences': j_preferences,
    'german': j_german,
    'audit': j_audit,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lang')
    ap.add_argument('journeys', nargs='*')
    args = ap.parse_args()
    names = args.journeys or list(JOURNEYS)
    tap = Tap()
    tap.plan(len(names))
    for n in names:
        j = Journey(args.lang)
        started = time.monotonic()
        try:
            JOURNEYS[n](j)
            if j.offenders:
                raise Failure('untranslated on the way:\n  ' + '\n  '.join(sorted(j.offenders)))
            tap.result(True, '%s (%.1f s)' % (n, time.monotonic() - started))
        except Exception as e:  # one journey failing does not stop the others
            diag = str(e) if isinstance(e, Failure) else traceback.format_exc()
            if j.offenders:
                diag += '\nuntranslated on the way:\n  ' + '\n  '.join(sorted(j.offenders))
            try:
                if j.app:
                    path = os.path.join(OUT, 'failed-%s.png' % n)
                    j.app.screenshot(path)
                    diag += '\nscreenshot: %s' % path
            except Exception:
                pass
            tap.result(False, n, diag)
        finally:
            j.stop()
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())

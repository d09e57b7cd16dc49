# atspi_app.py: drive the installed Async Demo through the accessibility bus
#
# Everything here goes through AT-SPI as a screen reader or a person would:
# controls are found by role and by the name a screen reader says, pressed
# through their action (or clicked where they are drawn when GTK 4.8 gives
# them no action), and results are read back from labels and table cells.
# Nothing reaches into the app's process.
#
# GTK 4.8 exposes the hidden pages of a GtkStack too, all marked VISIBLE and
# none SHOWING, and a page once shown keeps its extents when hidden. So a walk
# of "what is on screen" follows the switchers: a stack's pages are panels
# named by their titles, and only the page its switcher (a sidebar or tabs,
# met before the stack in reading order) has selected is walked. Controls
# with empty extents (never allocated) are left out too.
#
# The main window is an AdwLeaflet whose accessible children come page first,
# sidebar last: the walk cannot meet the page list before the stack it
# switches. So the App finds that list once (the list whose items are the
# titles of the window's outermost stack: the Basics page's list of demos
# switches an inner stack) and every walk of a window starts knowing it.
#
# Waits have deadlines (scaled 10x by AD_TEST_SLOW=1), never fixed sleeps
# before a positive assertion.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import gettext
import os
import re
import signal
import subprocess
import sys
import time

import warnings

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

warnings.simplefilter('ignore', DeprecationWarning)

SLOW = 10.0 if os.environ.get('AD_TEST_SLOW') == '1' else 1.0

# Roles a person can operate: the audit checks their names.
INTERACTIVE = {
    'push button', 'toggle button', 'menu button', 'check box', 'radio button', 'combo box',
    'entry', 'text', 'password text', 'spin button', 'slider', 'switch', 'link', 'menu item',
    'check menu item', 'radio menu item', 'page tab', 'toggle',
}
BUTTONS = ('push button', 'toggle button', 'menu button')


class Failure(Exception):
    pass


def scaled(seconds):
    return seconds * SLOW


def wait_until(what, predicate, timeout=10.0, step=0.1):
    """Polls predicate() until it returns something true; returns it or raises Failure."""
    deadline = time.monotonic() + scaled(timeout)
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except (gi.repository.GLib.GError, RuntimeError) as e:  # objects come and go
            last_error = e
        if time.monotonic() > deadline:
            raise Failure('timed out after %.0f s waiting for %s%s' % (
                scaled(timeout), what, ' (last error: %s)' % last_error if last_error else ''))
        time.sleep(step)


def clean(name):
    """What a screen reader should say, for matching: the name with mnemonic underscores
    dropped and a repeated name ('_Run Run', GTK 4.8's label plus its child label) said once."""
    if name is None:
        return ''
    name = name.replace('_', '')
    words = name.split(' ')
    n = len(words)
    if n % 2 == 0 and n > 0 and words[:n // 2] == words[n // 2:]:
        name = ' '.join(words[:n // 2])
    return name.strip()


def role(acc):
    try:
        return acc.get_role_name()
    except gi.repository.GLib.GError:
        return ''


def name(acc):
    try:
        return acc.get_name() or ''
    except gi.repository.GLib.GError:
        return ''


def extents(acc):
    try:
        e = acc.get_extents(Atspi.CoordType.WINDOW)
        return (e.x, e.y, e.width, e.height)
    except (gi.repository.GLib.GError, NotImplementedError):
        return None


def shown(acc):
    """On screen as far as GTK 4.8 lets us know: hidden stack pages have empty extents."""
    e = extents(acc)
    return e is None or (e[2] > 0 and e[3] > 0)


def children(acc):
    try:
        n = acc.get_child_count()
    except gi.repository.GLib.GError:
        return []
    out = []
    for i in range(n):
        try:
            c = acc.get_child_at_index(i)
        except gi.repository.GLib.GError:
            c = None
        if c is not None:
            out.append(c)
    return out


def states(acc):
    try:
        return {s.value_nick for s in acc.get_state_set().get_states()}
    except gi.repository.GLib.GError:
        return set()


def item_title(acc):
    """The text a switcher item shows: its name, or its first label."""
    n = clean(name(acc))
    if n and not n.startswith('Gtk'):
        return n
    for c in children(acc):
        if role(c) == 'label':
            return clean(text_of(c))
        t = item_title(c) if role(c) in ('panel', 'filler') else ''
        if t:
            return t
    return ''


def switcher_state(acc):
    """For a page switcher (tabs, a stack sidebar, a list of pages): (titles, selected)."""
    if role(acc) not in ('page tab list', 'list'):
        return None
    items = [c for c in children(acc) if role(c) in ('page tab', 'list item')]
    if len(items) < 2:
        return None
    titles = [item_title(i) for i in items]
    selected = [t for i, t in zip(items, titles) if 'selected' in states(i)]
    return frozenset(titles), (selected[0] if selected else None)


def stack_pages(acc, kids):
    """The titles of a stack's pages when acc looks like a GtkStack: every child a panel,
    at least two of them named (GtkStackPage accessibles carry the page's title)."""
    if role(acc) != 'panel' or len(kids) < 2:
        return None
    if any(role(k) != 'panel' for k in kids):
        return None
    titles = [clean(name(k)) for k in kids]
    named = [t for t in titles if t and not t.startswith('Gtk')]
    if len(named) < 2:
        return None
    return titles


def walk(acc, path=(), visible=True, _switchers=None):
    """Yields (accessible, path) depth first, in reading order. With visible, only what is
    on screen: a stack's hidden pages are left out (the page that its switcher, met before
    it in reading order or passed in _switchers, has selected), and so are components with
    empty extents."""
    if _switchers is None:
        _switchers = []       # shared by the whole walk: a switcher is met in a sibling subtree
    yield acc, path
    sw = switcher_state(acc) if visible else None
    if sw:
        _switchers.append(sw)
    kids = children(acc)
    pages = stack_pages(acc, kids) if visible else None
    keep = None
    if pages:
        for titles, selected in reversed(_switchers):
            if selected and selected in pages and len(set(pages) & titles) >= 2:
                keep = selected
                break
    for c, t in zip(kids, pages or [None] * len(kids)):
        if keep is not None and t != keep:
            continue
        label = '%s %r' % (role(c), name(c))
        yield from walk(c, path + (label,), visible, _switchers)


def text_of(acc):
    """A label's or entry's text, read live through the Text interface, or the name."""
    try:
        t = acc.get_text_iface() if hasattr(acc, 'get_text_iface') else None
        if t is not None:
            return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc))
    except gi.repository.GLib.GError:
        pass
    return name(acc)


class Translator:
    """The installed catalogue, so that a journey finds 'Ausführen' where it looks for 'Run'."""

    def __init__(self, localedir, language):
        self.language = language
        self.catalog = {}
        if language and language != 'en':
            t = gettext.translation('async-demo', localedir=localedir, languages=[language])
            self.catalog = dict(t._catalog)  # msgid (with context: ctx\x04msgid) -> msgstr
            self.t = t
        else:
            self.t = gettext.NullTranslations()

    def __call__(self, msgid, context=None):
        if context:
            return self.t.pgettext(context, msgid)
        return self.t.gettext(msgid)

    def untranslated(self, po_file=None):
        """English strings shown as they are would be a bug: msgid -> msgstr where they
        differ, from the source's .po when given (what the translators wrote), else from
        the installed catalogue."""
        pairs = parse_po(po_file) if po_file else [
            (k.split('\x04', 1)[-1], v) for k, v in self.catalog.items()
            if isinstance(k, str) and isinstance(v, str)]
        out = {}
        for msgid, msgstr in pairs:
            if msgid and msgstr and clean(msgid) != clean(msgstr):
                out[clean(msgid)] = msgstr
        return out


def parse_po(path):
    """(msgid, msgstr) pairs of a .po file; fuzzy entries and plurals' other forms left out."""
    pairs, entry, key, fuzzy = [], {}, None, False

    def flush():
        if entry and not fuzzy and 'msgid' in entry:
            pairs.append((entry['msgid'], entry.get('msgstr', entry.get('msgstr[0]', ''))))
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line:
                flush()
                entry, key, fuzzy = {}, None, False
            elif line.startswith('#,') and 'fuzzy' in line:
                if 'msgstr' in ''.join(entry):
                    flush()
                    entry = {}
                fuzzy = True
            elif line.startswith('#'):
                continue
            elif line.startswith('"') and key:
                entry[key] += unquote(line)
            else:
                k, _, rest = line.partition(' ')
                if k in ('msgctxt', 'msgid') and 'msgstr' in ''.join(entry):
                    flush()        # entries not separated by a blank line
                    entry, fuzzy = {}, False
                key = k
                entry[key] = unquote(rest)
    flush()
    return pairs


def unquote(s):
    s = s.strip()
    if s.startswith('"') and s.endswith('"'):
        s = s[1:-1]
    escapes = {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(0)), s)


def fmt_re(fmt):
    """A printf format turned into a regular expression matching its output."""
    out = ''
    for piece in re.split(r'(%[-+ #0-9.]*(?:l{0,2}[duxif]|s|%))', fmt):
        if piece.startswith('%') and len(piece) > 1:
            out += '%' if piece == '%%' else '.+?'
        else:
            out += re.escape(piece)
    return out


class App:
    """One run of the installed app on the test's display and buses."""

    def __init__(self, binary, env=None, log=None, args=()):
        self.binary = binary
        self.env = dict(os.environ if env is None else env)
        self.args = list(args)
        self.log = log
        self.proc = None
        self.app = None
        self._sidebar = None

    # ---- lifetime ----------------------------------------------------------
    def start(self, timeout=30):
        out = open(self.log, 'ab') if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen([self.binary] + self.args, env=self.env, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        pid = self.proc.pid

        def find_app():
            if self.proc.poll() is not None:
                raise Failure('the app exited with status %d' % self.proc.returncode)
            desktop = Atspi.get_desktop(0)
            for a in children(desktop):
                try:
                    if a.get_process_id() == pid:
                        return a
                except gi.repository.GLib.GError:
                    continue
            return None
        self.app = wait_until('the app on the accessibility bus', find_app, timeout)
        try:
            self.app.set_cache_mask(Atspi.Cache.NONE)
        except (AttributeError, gi.repository.GLib.GError):
            pass
        self.window()
        return self

    def stop(self, timeout=15):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(scaled(timeout))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def quit_with_keys(self, timeout=20):
        """Ctrl+Q, as a person quits; waits for the process to end."""
        self.key_combo('<Control>q')
        deadline = time.monotonic() + scaled(timeout)
        while self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if self.proc.poll() is None:
            raise Failure('Ctrl+Q did not end the app')
        self.proc = None

    # ---- windows -----------------------------------------------------------
    def windows(self):
        return children(self.app)

    def window(self, title=None, timeout=20):
        """The main window (the frame titled Async Demo, or the first frame)."""
        def find():
            ws = [w for w in self.windows() if role(w) == 'frame']
            if title is not None:
                ws = [w for w in ws if clean(name(w)) == title]
            return ws[0] if ws else None
        return wait_until('the main window', find, timeout)

    def dialog(self, title=None, timeout=20, exclude=()):
        """A window other than the main one, by title when given (matched loosely)."""
        main = self.window()

        def find():
            for w in self.windows():
                if w == main or w in exclude:
                    continue
                if title is None or title.lower() in clean(name(w)).lower():
                    return w
            return None
        return wait_until('a window titled %r' % title, find, timeout)

    # ---- finding -----------------------------------------------------------
    def find_all(self, roles, label=None, root=None, match=None, visible=True):
        if isinstance(roles, str):
            roles = (roles,)
        root = root or self.window()
        out = []
        for acc, path in (self.walk(root) if visible else walk(root, visible=False)):
            if roles and role(acc) not in roles:
                continue
            if visible and not shown(acc):
                continue
            n = clean(name(acc))
            if label is not None and n != label and clean(text_of(acc)) != label:
                continue
            if match is not None and not re.search(match, text_of(acc) or n):
                continue
            out.append(acc)
        return out

    def find(self, roles, label=None, root=None, match=None, timeout=20, index=0):
        def look():
            found = self.find_all(roles, label, root, match)
            return found[index] if len(found) > index else None
        return wait_until('%s %r%s on the visible page' % (
            roles, label, ' matching %r' % match if match else ''), look, timeout)

    def wait_text(self, pattern, roles=('label',), root=None, timeout=30):
        """Waits until a label (or cell) whose text matches pattern is shown; returns its text."""
        def look():
            for acc in self.find_all(roles, root=root):
                t = text_of(acc)
                if t and re.search(pattern, t):
                    return t
            return None
        return wait_until('text matching %r' % pattern, look, timeout)

    def texts(self, roles=('label',), root=None):
        return [text_of(a) for a in self.find_all(roles, root=root)]

    # ---- acting ------------------------------------------------------------
    def press(self, acc, action=None):
        """Presses a control: its named action, its first action, or a click on it."""
        n = 0
        try:
            n = acc.get_n_actions()
        except (gi.repository.GLib.GError, AttributeError):
            pass
        names = [acc.get_action_name(i) for i in range(n)]
        wanted = [action] if action else ['click', 'press', 'activate', 'toggle']
        for w in wanted:
            if w in names:
                if not acc.do_action(names.index(w)):
                    raise Failure('action %s of %s %r failed' % (w, role(acc), name(acc)))
                return
        # A GtkMenuButton in GTK 4.8: the action sits on the toggle button inside it.
        if action is None and role(acc) in BUTTONS:
            for c in children(acc):
                if role(c) in BUTTONS:
                    return self.press(c)
        self.click(acc)

    def click(self, acc):
        e = extents(acc)
        if not e or e[2] <= 0:
            raise Failure('cannot click %s %r: it is not on screen' % (role(acc), name(acc)))
        # GTK 4.8 reports window coordinates only; under Xvfb without a window manager the
        # main window sits at the screen's origin.
        x, y = e[0] + e[2] // 2, e[1] + e[3] // 2
        Atspi.generate_mouse_event(x, y, 'b1c')

    def set_text(self, acc, text):
        t = len(text_of(acc) or '')
        if not acc.get_editable_text_iface():
            raise Failure('%s %r is not editable' % (role(acc), name(acc)))
        Atspi.EditableText.delete_text(acc, 0, max(t, 0) + 1000)
        Atspi.EditableText.insert_text(acc, 0, text, len(text.encode()))

    def set_value(self, acc, value):
        Atspi.Value.set_current_value(acc, float(value))

    def key_combo(self, combo):
        """Keys as a person types them, e.g. '<Control>q', through the X server (XTest)."""
        m = re.match(r'((?:<\w+>)*)(.+)', combo)
        mods, key = m.group(1), m.group(2)
        syms = {'<Control>': 'Control_L', '<Shift>': 'Shift_L', '<Alt>': 'Alt_L'}
        held = [syms[x] for x in re.findall(r'<\w+>', mods)]
        for h in held:
            Atspi.generate_keyboard_event(self._keycode(h), None, Atspi.KeySynthType.PRESS)
        Atspi.generate_keyboard_event(self._keycode(key), None, Atspi.KeySynthType.PRESSRELEASE)
        for h in reversed(held):
            Atspi.generate_keyboard_event(self._keycode(h), None, Atspi.KeySynthType.RELEASE)

    @staticmethod
    def _keycode(keysym_name):
        out = subprocess.run(['xmodmap', '-pke'], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) > 3 and keysym_name in parts[3:]:
                return int(parts[1])
        raise Failure('no keycode for %s' % keysym_name)

    def focus(self, acc):
        try:
            return acc.grab_focus()
        except gi.repository.GLib.GError:
            return False

    # ---- pages -------------------------------------------------------------
    def walk(self, root=None, visible=True):
        """walk() of root (the main window by default), knowing the page list's
        selection (see the header)."""
        root = root or self.window()
        # Another window's stacks share no titles with the page list: the seed is harmless.
        sw = switcher_state(self.sidebar()) if visible else None
        return walk(root, visible=visible, _switchers=[sw] if sw else [])

    def sidebar(self, timeout=20):
        """The main window's page list: the list whose items are the titles of the
        window's outermost stack's pages (found once per run of the app)."""
        if self._sidebar is not None:
            return self._sidebar

        def look():
            outer, lists = None, []
            for acc, _ in walk(self.window(), visible=False):
                if outer is None and role(acc) == 'panel':
                    outer = stack_pages(acc, children(acc))
                elif role(acc) == 'list':
                    sw = switcher_state(acc)
                    if sw:
                        lists.append((acc, sw[0]))
            if outer:
                for acc, titles in lists:
                    if titles == frozenset(outer):
                        return acc
            return None
        self._sidebar = wait_until('the page list in the main window', look, timeout)
        return self._sidebar

    def open_page(self, title, timeout=20):
        sb = self.sidebar()
        items = [c for c in children(sb) if role(c) == 'list item']
        for i, item in enumerate(items):
            labels = [clean(text_of(a)) for a, _ in walk(item) if role(a) == 'label']
            if title in labels or clean(name(item)) == title:
                # A row shows its page when activated (clicked), not when merely selected;
                # folded (a narrow window), the list may be off screen: select it then.
                if shown(item) and extents(item):
                    self.click(item)
                elif not Atspi.Selection.select_child(sb, i):
                    raise Failure('could not choose the %s page' % title)
                return wait_until('the %s page' % title, lambda: self.page_shown(title), timeout)
        raise Failure('no page %r in the sidebar (it has %s)' % (
            title, [[clean(text_of(a)) for a, _ in walk(i) if role(a) == 'label'] for i in items]))

    def page_shown(self, title):
        for acc, _ in self.walk():
            if role(acc) == 'panel' and clean(name(acc)) == title:
                # a stack page's panel: shown when one of its components has a size
                for c, _ in walk(acc):
                    e = extents(c)
                    if e and e[2] > 0 and e[3] > 0 and c is not acc:
                        return acc
        return None

    def screenshot(self, path):
        subprocess.run(['import', '-window', 'root', path], check=True)


# ---- TAP ------------------------------------------------------------------
class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def plan(self, n):
        print('1..%d' % n, flush=True)

    def result(self, ok, description, diag=None):
        self.n += 1
        if not ok:
            self.failed += 1
        if diag:
            for line in str(diag).splitlines():
                print('# ' + line, flush=True)
        print('%sok %d - %s' % ('' if ok else 'not ', self.n, description), flush=True)


def note(*args):
    print('#', *args, flush=True)
    sys.stdout.flush()

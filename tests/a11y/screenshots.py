#!/usr/bin/python3
# screenshots.py: the pictures in data/screenshots/, taken with real content
#
#   tests/a11y/run-journeys.sh SRCDIR BUILDDIR --screenshots OUTDIR
#   (or: meson compile -C _build screenshots, which writes into data/screenshots/)
#
# Drives the installed app over AT-SPI like the journeys do (a crawl of the
# sample site, a Mandelbrot render, a chat between two clients, a task
# group, the Tasks page after all that) and saves one picture per page at
# the display's 1280x800. Then one more run in a window 360 px wide.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import journeys  # noqa: E402
from atspi_app import Failure, note, wait_until  # noqa: E402


def shoot(j, out, name):
    path = os.path.join(out, name + '.png')
    # A picture, not an assertion: let a page's crossfade finish before it is taken.
    time.sleep(1.0)
    j.app.screenshot(path)
    note('wrote %s' % path)


def resize_window(width, height):
    """Resizes the app's window as a window manager would (the X window, through xdotool)."""
    ids = subprocess.run(['xdotool', 'search', '--name', '^Async Demo$'],
                         capture_output=True, text=True).stdout.split()
    for wid in ids:
        subprocess.run(['xdotool', 'windowsize', wid, str(width), str(height)])
    return bool(ids)


def window_width():
    """The app window's width as the X server has it (the largest window titled Async Demo)."""
    ids = subprocess.run(['xdotool', 'search', '--name', '^Async Demo$'],
                         capture_output=True, text=True).stdout.split()
    widths = []
    for wid in ids:
        geo = subprocess.run(['xdotool', 'getwindowgeometry', wid], capture_output=True,
                             text=True).stdout
        m = re.search(r'Geometry: (\d+)x(\d+)', geo)
        if m and int(m.group(1)) > 1:
            widths.append(int(m.group(1)))
    return max(widths) if widths else 0


def main(out):
    os.makedirs(out, exist_ok=True)
    j = journeys.Journey()
    journeys.SHOTS = None
    j_ = j
    # Basics: the task group's results.
    j_.start()
    resize_window(1280, 800)          # the whole display, as a maximized window
    wait_until('the window to fill the display', lambda: window_width() >= 1280)
    j_.page('Basics')
    journeys.select_demo(j_, 'Task group')
    j_.press('_Run')
    j_.app.wait_text(r'\[0, 2, 4, 6, 8\]', timeout=60)
    shoot(j_, out, 'basics')
    # Crawler: after a crawl of the sample site, its broken links.
    j_.page('Crawler')
    j_.press('Use _Sample')
    j_.press('_Start')
    j_.app.wait_text('^' + 'Finished in', timeout=120)
    shoot(j_, out, 'crawler')
    # Compute: a render, then the speed-up table.
    j_.page('Compute')
    j_.press('_Run')
    j_.app.wait_text('^Checksum', timeout=120)
    shoot(j_, out, 'compute')
    # Chat: a server, two clients, a line.
    j_.page('Chat')
    port = j_.app.find('spin button', 'Port')
    j_.app.set_value(port, 0)
    j_.press('_Start')
    j_.press('_New Client')
    one = journeys.client_view(j_.app, 'guest-1', j_.T)
    j_.press('_New Client')
    journeys.client_view(j_.app, 'guest-2', j_.T)
    journeys.show_tab(j_.app, 'guest-1')
    j_.app.set_text(j_.app.find('text', root=one), 'Hello from the first tab!')
    j_.app.press(j_.app.find(journeys.BUTTONS, 'Send', root=one))
    j_.app.wait_text('^Hello from the first tab!$', root=one, timeout=30)
    shoot(j_, out, 'chat')
    # Tasks: the history and the timeline after all of that, with a task still running.
    j_.page('Basics')
    journeys.select_demo(j_, 'Cancellation')
    for sp in j_.app.find_all('spin button'):
        j_.app.set_value(sp, 20000)
    j_.press('_Run')
    j_.page('Tasks')
    shoot(j_, out, 'tasks')
    # A narrow window: 360 px wide (a phone's), folded onto the Basics page: the page is
    # chosen while the sidebar is on screen, the folded window shows the page.
    j_.page('Basics')
    journeys.select_demo(j_, 'Task group')
    if resize_window(360, 720):
        try:
            wait_until('the window to be 360 px wide', lambda: window_width() <= 360)
            shoot(j_, out, 'narrow')
            # The window, not the empty display beside it.
            path = os.path.join(out, 'narrow.png')
            subprocess.run(['convert', path, '-crop', '%dx720+0+0' % window_width(), '+repage',
                            path], check=True)
        except Failure:
            # Its widgets' minimum sizes keep the window wider: no picture that would lie.
            note('no narrow picture: the window stays %d px wide when asked for 360'
                 % window_width())
    else:
        note('xdotool missing: no narrow picture')
    j_.stop()


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else 'data/screenshots'
    try:
        main(out)
    except Failure as e:
        print('screenshots failed: %s' % e, file=sys.stderr)
        sys.exit(1)

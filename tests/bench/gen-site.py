#!/usr/bin/env python3
# gen-site.py DIR PAGES LINKS KB
#
# Writes a static site for the crawl benchmark: DIR/p/0.html … p/PAGES-1.html,
# each about KB kilobytes with LINKS links. Link j of page i goes to page
# (i·LINKS + j + 1) mod PAGES, so a crawl from p/0.html reaches every page,
# and every page is linked from many others (the crawler must deduplicate).
import os
import sys

out, pages, links, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(os.path.join(out, 'p'), exist_ok=True)
filler = ('<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod '
          'tempor incididunt ut labore et dolore magna aliqua &amp; more.</p>\n')

for i in range(pages):
    parts = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
             f'<title>Page {i}</title></head>\n<body><h1>Page {i}</h1>\n<ul>\n']
    for j in range(links):
        target = (i * links + j + 1) % pages
        parts.append(f'<li><a href="/p/{target}.html">Page {target}</a></li>\n')
    parts.append('</ul>\n')
    body = ''.join(parts)
    need = kb * 1024 - len(body) - 20
    if need > 0:
        body += filler * (need // len(filler) + 1)
    body += '</body></html>\n'
    with open(os.path.join(out, 'p', f'{i}.html'), 'w') as f:
        f.write(body)

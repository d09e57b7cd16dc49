#!/usr/bin/env bash
# check-translations.sh SRCDIR PACKAGE
#
# TAP checks that translations cannot silently fall behind the code:
#  1. po/POTFILES.in is sorted;
#  2. every source or data file with translatable strings is listed in it;
#  3. for every language in po/LINGUAS, the catalog merged with a freshly
#     extracted template has no untranslated or fuzzy message and passes
#     msgfmt --check.
set -u
src=$1
package=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

mapfile -t langs < <(grep -v '^#' po/LINGUAS | tr ' ' '\n' | sed '/^$/d')
echo "1..$((2 + ${#langs[@]}))"

grep -v '^#' po/POTFILES.in | sed '/^$/d' > "$tmp/listed"
if LC_ALL=C sort -c "$tmp/listed" 2>/dev/null; then
  ok "POTFILES.in is sorted"
else
  notok "POTFILES.in is sorted"
fi

# Files that mark strings for translation.
{
  grep -rlE '\b(N?_|C_|NC_)\s*\(' --include='*.c' src
  grep -rl 'translatable="yes"' --include='*.ui' src
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null
} | LC_ALL=C sort -u > "$tmp/marked"
missing=$(LC_ALL=C comm -23 "$tmp/marked" <(LC_ALL=C sort "$tmp/listed"))
if [ -z "$missing" ]; then
  ok "every file with translatable strings is in POTFILES.in"
else
  printf '# missing from po/POTFILES.in: %s\n' $missing
  notok "every file with translatable strings is in POTFILES.in"
fi

# The same keywords as meson's i18n 'glib' preset.
xgettext --from-code=UTF-8 --add-comments --directory="$src" \
  --files-from="$tmp/listed" --output="$tmp/$package.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  2> "$tmp/xgettext.err" || { sed 's/^/# /' "$tmp/xgettext.err"; }

for lang in "${langs[@]}"; do
  desc="po/$lang.po translates every message"
  if ! msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/$package.pot" -o "$tmp/$lang.po" 2> "$tmp/err"; then
    sed 's/^/# /' "$tmp/err"
    notok "$desc"
    continue
  fi
  stats=$(msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "# $lang: $stats"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when there is anything to print.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$untranslated" -eq 0 ] && [ "$fuzzy" -eq 0 ] && msgfmt --check -o /dev/null "$tmp/$lang.po" 2>/dev/null; then
    ok "$desc"
  else
    echo "# $lang: $untranslated untranslated, $fuzzy fuzzy:"
    msgattrib --untranslated --only-fuzzy --no-obsolete "$tmp/$lang.po" 2>/dev/null | grep '^msgid ' | sed 's/^/#   /'
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" 2>/dev/null | grep '^msgid ' | sed 's/^/#   /' | head -40
    notok "$desc"
  fi
done

exit $fail

#!/usr/bin/env bash
# Install the Debian packages the project needs, only those that are missing.
#   scripts/sysdeps.sh base     gettext (compilemessages)
#   scripts/sysdeps.sh browser  Chromium and a Chinese font for the Playwright tests
#   scripts/sysdeps.sh nodejs   Node.js and npm for the vendored front-end assets
#   scripts/sysdeps.sh office   LibreOffice Calc (headless) for the workbook round-trip test
set -euo pipefail
need=()
case "${1:-base}" in
  base) command -v msgfmt >/dev/null || need+=(gettext) ;;
  browser)
    [ -x /usr/bin/chromium ] || need+=(chromium)
    fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy' || need+=(fonts-wqy-microhei)
    ;;
  nodejs) command -v npm >/dev/null || need+=(nodejs npm) ;;
  office) command -v soffice >/dev/null || need+=(libreoffice-calc-nogui) ;;
  *) echo "usage: $0 base|browser|nodejs|office" >&2; exit 2 ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then echo "missing Debian packages: ${need[*]} (install them as root)" >&2; exit 1; fi
echo "[sysdeps] apt-get install ${need[*]}" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

#!/usr/bin/env bash
# make-denylist.sh — regenerates conf/password-denylist.txt, the common
# passwords a realm's policy can refuse (password.denylist).
#
# Source: the "passwords" frequency list of zxcvbn (Dropbox, MIT licence;
# 30,000 passwords ranked by how often they appear in leaked password
# sets), as Debian's python3-zxcvbn package ships it.  Written lower-case,
# most common first, without duplicates.
set -euo pipefail
out=${1:-"$(dirname "$0")/../conf/password-denylist.txt"}
dpkg -s python3-zxcvbn >/dev/null 2>&1 || apt-get install -y python3-zxcvbn >&2
/usr/bin/python3 - "$out" <<'PY'
import sys
from zxcvbn.frequency_lists import FREQUENCY_LISTS
seen, rows = set(), []
for w in FREQUENCY_LISTS["passwords"]:
    w = w.strip().lower()
    if w and w not in seen and w.isprintable() and "#" not in w[:1]:
        seen.add(w)
        rows.append(w)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("# Common passwords, most common first (zxcvbn's \"passwords\" list,\n"
            "# Copyright 2012-2013 Dropbox, Inc., MIT licence), one a line,\n"
            "# compared case-insensitively.  Regenerate: scripts/make-denylist.sh\n")
    f.write("\n".join(rows) + "\n")
print(len(rows), "passwords written to", sys.argv[1])
PY

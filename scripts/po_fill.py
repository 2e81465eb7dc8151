#!/usr/bin/env python3
"""Fill empty msgstr entries of a .po file from a JSON {msgid: translation} map.

    python scripts/po_fill.py households/locale/zh_Hans/LC_MESSAGES/django.po /tmp/zh.json

Existing translations are kept; entries marked fuzzy are cleared of the flag when filled.
Prints the msgids still untranslated.
"""

import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(line) for line in lines)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def main(po_path, json_path):
    table = json.load(open(json_path, encoding="utf-8"))
    blocks = open(po_path, encoding="utf-8").read().split("\n\n")
    missing = []
    out = []
    for block in blocks:
        lines = block.split("\n")
        try:
            i_id = next(i for i, l in enumerate(lines) if l.startswith("msgid "))
            i_str = next(i for i, l in enumerate(lines) if l.startswith("msgstr "))
        except StopIteration:
            out.append(block)
            continue
        if any(l.startswith("msgid_plural") for l in lines):
            out.append(block)
            continue
        msgid = unquote([lines[i_id][6:]] + lines[i_id + 1 : i_str])
        current = unquote([lines[i_str][7:]] + [l for l in lines[i_str + 1 :] if l.startswith('"')])
        if msgid and (not current or any("fuzzy" in l for l in lines if l.startswith("#,"))):
            if msgid in table:
                lines = [l for l in lines[:i_str] if not re.match(r"#, fuzzy$", l)]
                lines = [re.sub(r"#, fuzzy, ", "#, ", l) for l in lines]
                lines.append("msgstr " + quote(table[msgid]))
            elif not current:
                missing.append(msgid)
        out.append("\n".join(lines))
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out))
    for m in missing:
        print("untranslated:", m)


if __name__ == "__main__":
    main(*sys.argv[1:3])

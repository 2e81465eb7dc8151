"""Render the authorization matrix as a Markdown table.

.venv/bin/python -m tests.security.render_matrix           # print it
.venv/bin/python -m tests.security.render_matrix --write   # update docs/SECURITY-MATRIX.md
"""

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from tests.security.authz_matrix import DOC_END, DOC_PATH, DOC_START, markdown

    table = markdown()
    if "--write" not in argv:
        sys.stdout.write(table + "\n")
        return 0
    text = DOC_PATH.read_text(encoding="utf-8")
    head, rest = text.split(DOC_START, 1)
    _, tail = rest.split(DOC_END, 1)
    DOC_PATH.write_text(f"{head}{DOC_START}\n{table}\n{DOC_END}{tail}", encoding="utf-8")
    sys.stdout.write(f"wrote {DOC_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

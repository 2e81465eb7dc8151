import logging
import re

# 18-digit resident ID numbers (last digit may be X): never written to a log in full.
_ID_RE = re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9Xx])")


def mask_id_numbers(text: str) -> str:
    return _ID_RE.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


class MaskIdNumbersFilter(logging.Filter):
    """Masks ID numbers in every log record, whatever code wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True

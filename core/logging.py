import logging

# ID numbers are never written to a log in full: the one scanner and mask of core.pii.
from core.pii import mask_id_numbers

_formatter = logging.Formatter()


class MaskIdNumbersFilter(logging.Filter):
    """Masks ID numbers in every log record, whatever code wrote it: the message, and the
    traceback and stack text a handler would print after it (an exception message often
    quotes the bad input, e.g. a row of an Excel import)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatter.format() prints exc_text when it is set instead of formatting exc_info.
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_id_numbers(record.stack_info)
        return True

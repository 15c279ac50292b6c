"""Values written to CSV and Excel files that staff open in a spreadsheet program.

Organization-written text lands in staff spreadsheets: text that starts like a formula (=, +, -, @, tab,
carriage return) gets a leading quote so that it stays text. Numbers written as text (-12.50) stay as
they are."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value

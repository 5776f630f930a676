"""Text that goes into a CSV file someone will open in a spreadsheet."""

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): a service named
# =HYPERLINK("http://…") would become a link in the reader's spreadsheet. Such a cell gets a leading apostrophe,
# which spreadsheets show as text and do not display.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

class RowIdConverter:
    """A whole number short enough for the database: SQLite cannot even compare a column with a longer one,
    so a made-up address would crash the page instead of finding nothing."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)

"""The forms of the report process, one module per kind of user."""

"""The demo content `manage.py seed_demo` loads: what its panels wrote."""

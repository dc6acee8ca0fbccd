"""The SAM Coach HTTP API (FastAPI): `api.main.create_app`."""

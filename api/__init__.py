"""The FastAPI app: JSON under /api/v1, HTML pages under /."""

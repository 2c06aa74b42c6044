"""The lifecycle routers, JSON and pages; each feature adds its own here."""
ROUTERS: list = []

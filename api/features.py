"""The lifecycle routers, JSON and pages; each feature adds its own here."""
ROUTERS: list = []
ROUTERS += [__import__(f"api.{m}.cases", fromlist=["router"]).router for m in ("routes", "pages")]  # cases
ROUTERS += [__import__(f"api.{m}.exits", fromlist=["router"]).router for m in ("routes", "pages")]  # quota exit
ROUTERS += [__import__(f"api.{m}.petitions", fromlist=["router"]).router for m in ("routes", "pages")]  # petitions
ROUTERS += [__import__(f"api.{m}.supervision", fromlist=["router"]).router for m in ("routes", "pages")]  # supervision
ROUTERS += [__import__(f"api.{m}.reviews", fromlist=["router"]).router for m in ("routes", "pages")]  # quality review
ROUTERS += [__import__(f"api.{m}.assessment", fromlist=["router"]).router for m in ("routes", "pages")]  # assessment
ROUTERS += [__import__(f"api.{m}.flow_health", fromlist=["router"]).router for m in ("routes", "pages")]  # flow health
ROUTERS += [__import__(f"api.{m}.notices", fromlist=["router"]).router for m in ("routes", "pages")]  # notice centre

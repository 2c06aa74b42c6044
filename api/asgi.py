"""The ASGI entry point for uvicorn: `uvicorn api.asgi:app`."""
import gc

from api.app import create_app

app = create_app()
gc.freeze()
"""What the process holds once the app is built (modules, models, routes, the i18n catalogs: ~215,000 objects)
lives as long as the process. A full collection walks every object the collector tracks, and took ~0.1 s with
these in it, stalling every request on the worker; frozen, a collection walks only what requests left behind."""

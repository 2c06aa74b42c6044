"""The composition root: plugs each lifecycle in, in dependency order, into one registry.

cases < supervision | quota_exit < petitions < quality_review < assessment; the kernel first,
the operations pages last. The app factory, the flows and the CLI call `build_registry()` once
at start-up; nothing is registered by importing a module.
"""
from policies.registry import validate_defaults
from services import assessment, cases, kernel, operations, petitions, quality_review, quota_exit, supervision
from services.kernel.registry import Registry, install

LIFECYCLES = (kernel, cases, supervision, quota_exit, petitions, quality_review, assessment, operations)


def build_registry() -> Registry:
    """Validate every policy file (a bad YAML stops start-up, naming file and key), plug every
    lifecycle in, and install the registry the engine and the daily monitor read."""
    validate_defaults()
    registry = Registry()
    for lifecycle in LIFECYCLES:
        lifecycle.plug(registry)
    return install(registry)

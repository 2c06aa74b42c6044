"""The composition root: plugs each lifecycle in, in dependency order, into one registry.

cases < integrity < supervision | quota_exit < petitions < quality_review < assessment; the kernel first,
then operations, then administration. The app factory, the flows and the CLI call `build_registry()` once
at start-up; nothing is registered by importing a module.
"""
from notifications import render
from policies.registry import use_schemas, validate_defaults
from services import (admin, assessment, cases, integrity, kernel, operations, petitions, quality_review, quota_exit,
                      supervision)
from services.kernel.registry import Registry, install

LIFECYCLES = (kernel, cases, integrity, supervision, quota_exit, petitions, quality_review, assessment, operations, admin)


def build_registry() -> Registry:
    """Plug every lifecycle in; hand the policy schemas they plugged to policy loading and their
    notice directories to rendering; validate every policy file (a bad YAML stops start-up, naming
    file and key); install the registry the engine and the daily monitor read."""
    registry = Registry()
    for lifecycle in LIFECYCLES:
        lifecycle.plug(registry)
    use_schemas(registry.policy_schemas)
    validate_defaults()
    render.use_directories(registry.notice_dirs)
    return install(registry)

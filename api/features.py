"""The lifecycles' JSON routes and pages, by the lifecycle names the registry plugs in (services/bootstrap.py)."""
from fastapi import FastAPI

from api.pages import (admin as admin_pages, assessment as assessment_pages, cases as case_pages,
                       integrity as integrity_pages, operations as operations_pages,
                       petitions as petition_pages, quality_review as review_pages, quota_exit as exit_pages,
                       supervision as supervision_pages)
from api.pages.slots import Shell
from api.routes import (admin, assessment, cases, integrity, operations, petitions, quality_review, quota_exit,
                        supervision)

LIFECYCLES = {
    "cases": (cases, case_pages),
    "integrity": (integrity, integrity_pages),
    "supervision": (supervision, supervision_pages),
    "quota_exit": (quota_exit, exit_pages),
    "petitions": (petitions, petition_pages),
    "quality_review": (quality_review, review_pages),
    "assessment": (assessment, assessment_pages),
    "operations": (operations, operations_pages),
    "admin": (admin, admin_pages),
}


def plug_lifecycles(app: FastAPI, lifecycles: list[str]) -> Shell:
    """Each plugged lifecycle's routers, then its pages' part of the shell (links, case sections, texts)."""
    shell = Shell()
    for name in lifecycles:
        for module in LIFECYCLES[name]:
            app.include_router(module.router)
            if hasattr(module, "plug"):
                module.plug(shell)
    return shell

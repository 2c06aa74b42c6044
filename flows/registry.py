"""The flows by deployment name, read from prefect.yaml so schedules live in one place."""
import importlib
from dataclasses import dataclass
from pathlib import Path

import yaml

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"


@dataclass(frozen=True)
class Deployment:
    name: str
    entrypoint: str
    cron: str
    timezone: str
    description: str = ""

    def load(self):
        """The flow object named by the entrypoint `flows/x.py:function`."""
        path, function = self.entrypoint.split(":")
        module = path.removesuffix(".py").replace("/", ".")
        return getattr(importlib.import_module(module), function)


def deployments(path: Path = PREFECT_YAML) -> dict[str, Deployment]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = {}
    for d in spec["deployments"]:
        schedule = d["schedules"][0]
        found[d["name"]] = Deployment(d["name"], d["entrypoint"], schedule["cron"], schedule["timezone"],
                                      d.get("description", ""))
    return found

"""Serve every deployment of prefect.yaml with its schedule from this process (used by `courtflow serve`)."""
from prefect import serve
from prefect.schedules import Cron

from flows.registry import deployments


def serve_all() -> None:
    """Block, running each flow on its cron in Asia/Shanghai, until interrupted."""
    serve(*[
        d.load().to_deployment(name=d.name, description=d.description, schedules=[Cron(d.cron, timezone=d.timezone)])
        for d in deployments().values()
    ])


if __name__ == "__main__":
    serve_all()

"""Court rules as data: YAML policies, their schemas and pure calendar/deadline math."""

"""One python-statemachine class per lifecycle. No IO: the services feed them facts."""

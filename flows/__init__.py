"""Prefect flows: time acting on the product, each safe to run twice."""

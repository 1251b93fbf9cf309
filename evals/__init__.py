"""Eval cases, pure metrics, the runner shared by `signpost eval` and pytest, and its reports."""

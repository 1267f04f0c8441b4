"""Screens of the study app, one per module, each with its stylesheet beside it."""

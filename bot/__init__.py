"""Pandu: walks Indonesian government offices through their SOP AP, one step at a time."""

__version__ = "0.1.0"

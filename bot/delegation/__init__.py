"""Plh. and Plt.: a substitute acting for a role's holder for a period (see :mod:`.rules`)."""

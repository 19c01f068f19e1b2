"""SOP definitions: the format, the duration parser, the loader and validator, the JSON export."""

from bot.domain.durations import DurationError, parse_duration, format_minutes, MINUTES_PER_HARI
from bot.domain.sop import Actor, Decision, Outcome, Role, SopDefinition, Step

__all__ = [
    "Actor",
    "Decision",
    "DurationError",
    "MINUTES_PER_HARI",
    "Outcome",
    "Role",
    "SopDefinition",
    "Step",
    "format_minutes",
    "parse_duration",
]

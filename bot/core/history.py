"""Records of a channel's past, for the pictures: answers per week, one person's rounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class WeekCounts:
    week_start: date  # the Monday of the rounds' local dates
    rounds: int
    answers: int
    people: int


@dataclass(frozen=True)
class RoundAttendance:
    local_date: date
    revealed: bool
    answered: bool  # this person has an on-time answer in it

"""Pictures people look at: the leaderboard card and the personal streak calendar.

Each takes plain data (`card.CardData`, `calendar.CalendarData`) and returns a `Picture`:
PNG bytes and a text alternative. `gather` reads that data from the store.
"""

from bot.images import calendar, card
from bot.images.calendar import CalendarData, Mark, RoundDay
from bot.images.card import CardData, WeekActivity
from bot.images.picture import Picture, PictureCache

__all__ = [
    "CalendarData",
    "CardData",
    "Mark",
    "Picture",
    "PictureCache",
    "RoundDay",
    "WeekActivity",
    "calendar",
    "card",
]

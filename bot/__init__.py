"""practicebot: one ML interview question a day, answers in a thread, a reference answer later."""

__version__ = "0.1.0"

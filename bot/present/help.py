"""Usage lines and help texts: each platform's commands, spelled once."""

from __future__ import annotations

# -- Slack ----------------------------------------------------------------------------------

SLACK_USAGE = (
    "Usage (admins): `/practice subscribe HH:MM [timezone] [days] [packs=ml,llm] [reveal=8h]` "
    "| `unsubscribe` | `status` | `post-now` | `reveal-now` | `config [KEY [VALUE]]` "
    "| `streak-repair YYYY-MM-DD`\n"
    "For example `/practice subscribe 09:30 Europe/Berlin mon-fri`.\n"
    "Anyone: `/practice feedback on|off`, private notes on your daily answers; "
    "`/practice suggest`, a question for the team."
)
SLACK_FEEDBACK_USAGE = (
    "Usage: `/practice feedback on` or `/practice feedback off`. When it is on, after each "
    "reveal I tell you, privately, which key points your answer in the thread covered and missed."
)


STREAK_REPAIR_USAGE = (
    "Usage: streak-repair YYYY-MM-DD — the channel's round of that date breaks nobody's "
    "streak (when the bot was down or the post failed)"
)


def unknown_subcommand(word: str) -> str:
    return f"I don't know '{word}'."


# -- the console ----------------------------------------------------------------------------

SUBSCRIBE_USAGE = (
    "Usage: /subscribe HH:MM [timezone] [days] [packs=ml,llm] [reveal=8h], e.g. "
    "/subscribe 09:30 Europe/Berlin mon-fri reveal=6h"
)
POST_USAGE = "Usage: /post (or /post --confirm on a day the schedule skips)"
ADVANCE_USAGE = "Usage: /advance 1d|3h|20m"
ADVANCE_NEEDS_MANUAL = "/advance works only with a manual clock: practicebot console --clock manual"
RATE_USAGE = "Usage: /rate again|hard|good|easy (after /answer, or after a reveal you answered)"
QUIZ_USAGE = (
    "Usage: /quiz [pack|missed] — your answer to it goes in /quiz-answer TEXT"
)
QUIZ_ANSWER_USAGE = "Usage: /quiz-answer TEXT — your answer to your /quiz, for feedback"
FEEDBACK_USAGE = (
    "Usage: /feedback on|off — private feedback on your daily answers after each reveal"
)
EDIT_USAGE = "Usage: /edit TEXT — replaces your answer in the thread with TEXT"
ANSWER_TAKES_NO_TEXT = (
    "/answer takes no text: it shows your quiz's reference answer. Your answer to "
    "the quiz: /quiz-answer TEXT. To the daily question: type it without a command."
)
COMMAND_AFTER_SLASH = "A command goes right after the '/', like /status. /help lists them."


def unknown_command(name: str) -> str:
    return f"Unknown command '/{name}'. Type /help for the list."


CONSOLE_HELP = """\
A line you type is a reply in the daily question's thread: your answer (several lines from
one person count once; after the reveal a line is kept as a late answer, for no streak).
The daily question:
  /edit TEXT            replace your answer in the thread with TEXT
  /delete               delete your answer (before the reveal it no longer counts)
  /status               schedule, open round and next question
  /post                 post today's round now (it takes the place of today's scheduled one)
  /reveal               reveal the open round now
  /leaderboard [week|month|all]
                        streak leaderboard, or answers in a window
  /streak               your streak
Just for you:
  /quiz [pack]          a private question (due reviews first)
  /quiz missed          a daily question you did not answer, or one you rated Again
  /quiz-answer TEXT     your answer to it, for feedback on the key points (again: adds)
  /answer               the reference answer of your latest /quiz
  /rate again|hard|good|easy
                        rate yourself after /answer (or after a reveal you answered)
  /review               your spaced-repetition schedule
  /review export        your missed questions with the reference answers, as Markdown
  /feedback on|off      private feedback on your daily answers after each reveal
Questions from the team:
  /suggest QUESTION [| ANSWER | POINT; POINT; POINT | PACK | DIFFICULTY]
                        suggest a question (the rest is optional) for the admins to review
  /suggestions          the suggestions waiting for review
  /approve N, /reject N [REASON]
                        decide on suggestion N (approved ones join the community pack)
The channel:
  /subscribe HH:MM [TZ] [days] [packs=ml,llm] [reveal=8h]
                        e.g. /subscribe 09:30 Europe/Berlin mon-fri reveal=6h
  /streak-repair YYYY-MM-DD
                        that day's round breaks nobody's streak (the bot was down)
  /pause, /resume       stop the daily question, and start it again (/unsubscribe = /pause)
  /packs                the question packs
The console:
  /user NAME            type as someone else, to try a team
  /advance 1d|3h|20m    move time forward, at most 31d at a time (only with --clock manual)
  /help, /quit (or Ctrl-D)"""

#!/bin/sh
# Build a demo database with the console on a manual clock (twelve weeks of a team of six
# answering, some days not), then draw the README's pictures from it with the command line.
#   sh docs/pictures/generate.sh            (from the repository's root, after `make test`)
set -eu
BIN=${BIN:-.venv/bin}
OUT=docs/pictures
DB=$(mktemp -d)/demo.db
"$BIN/python" - > "$DB.in" <<'PY'
import random
random.seed(16)
# name -> chance of answering a day's round
team = {"Alice": 0.95, "Bob": 0.8, "Chidi Anagonye": 0.7, "Zoë Ångström": 0.85,
        "דנה לוי": 0.6, "محمد عبد الله": 0.75, "Priya": 0.5, "Sam 🚀": 0.4}
days = 7 * 12
for day in range(days):
    weekday = day % 7  # the demo starts on a Monday
    if weekday < 5:
        for name, chance in team.items():
            if random.random() < chance * (0.6 if day < 28 else 1):
                print(f"/user {name}")
                print(f"{name.split()[0]} on day {day}: bias, variance, regularisation")
    print("/advance 1d")
print("/quit")
PY
"$BIN/practicebot" --db "$DB" console --clock manual --start 2026-09-07T10:00 \
    --timezone Europe/Berlin --user Alice < "$DB.in" > "${CONSOLE_LOG:-/dev/null}"
KEY=console:local:general
"$BIN/practicebot" --db "$DB" leaderboard --channel "$KEY" --user zoë-ångström \
    --image "$OUT/leaderboard.png"
"$BIN/practicebot" --db "$DB" streak --channel "$KEY" --user alice --image "$OUT/streak.png"
rm -r "$(dirname "$DB")"

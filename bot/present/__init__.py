"""Every sentence the bot says to a person, written once, in neutral Markdown.

The modules build plain view models and `Text` from the core's results; each platform's
renderer lays them out (Block Kit, embeds, terminal text) through its own `Style`:

- `parts`: typed pieces of a sentence (a time, a person, words we did not write) and `show`.
- `grammar`: plurals and lists ("1 question", "2 people", "Ann, Bob and Cy").
- `vocabulary`: how a platform spells its commands and buttons, so a sentence can name them.
- `cards`: the neutral view models (a card with sections, fields and button intents).
- `daily`, `quiz`, `boards`: the daily loop, the private quiz and reviews, boards and status.
- `receipts`: one policy for what an answer, edit or delete is told.
- `admin`: replies to subscribing, pausing, posting and feedback settings.
- `errors`: one policy for error -> private reply.
- `help`: usage lines and the console's help.
"""

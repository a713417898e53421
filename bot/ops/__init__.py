"""Running the bot in production: settings, logging, health, backups, the database lock."""

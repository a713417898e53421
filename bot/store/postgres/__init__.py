"""PostgreSQL through asyncpg: the store for several bot processes on one database."""

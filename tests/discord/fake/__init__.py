"""A loopback fake of Discord for driving the real discord.py client in tests.

One aiohttp server on 127.0.0.1 (port 0) serves both halves:
- the REST routes the bot calls, under /api/v10 (point `discord.http.Route.BASE` at `api_url`);
  every call is recorded, and a test can inject a fault on any route (tests/faults.py: 429 with
  the headers discord.py reads, HTML 5xx, text/plain, 403 Missing Permissions, a reset
  connection, a slow answer); `refuse` keeps a route refusing (403, 404) until cleared;
- Discord's limits on messages (content, embeds; 400 with code 50035 "Invalid Form Body" and an
  `errors` object like Discord's), `nonce` + `enforce_nonce` deduplication within a window, and
  GET /channels/{id}/messages (before/after/around/limit, newest first) over the messages the
  bot created and the MESSAGE_CREATE events a test dispatched;
- a gateway websocket at / (set `DiscordWebSocket.DEFAULT_GATEWAY` to `gateway_url`, or let
  the bot read it from GET /gateway/bot): HELLO, then READY and GUILD_CREATE after IDENTIFY,
  HEARTBEAT_ACK for heartbeats, RESUME handling, and whatever events a test dispatches;
- shards: an IDENTIFY with `shard: [id, count]` gets only the guilds of that shard
  (`(guild_id >> 22) % count`), and an event about a guild goes to the connection of its
  shard, as on Discord (`add_guild` makes a guild on a chosen shard).

Payloads carry the fields discord.py 2.x reads. Snowflakes come from a counter, or for
messages, when `message_time` is set, from that clock as Discord makes them (the time in the
high bits, so history's `after` a moment works); a thread started from a message takes the
message's id, and the message gets the HAS_THREAD flag and the `thread`, as on Discord.

The modules, each one layer of `FakeDiscord` (server.py), each built on the ones it needs:
- state.py: the guilds, channels, DMs and stored messages, and the ids Discord would give;
- payloads.py: the JSON Discord sends for them (guilds, messages, threads, interactions);
- calls.py: the REST calls the bot made, and waiting for them;
- limits.py: Discord's limits on a message and its error answers;
- injection.py: the faults and refusals a test injects, answered as Discord does;
- gateway.py: the websocket: IDENTIFY/RESUME, shards, the events a test dispatches;
- rest.py: the REST routes;
- server.py: the one loopback server for both halves.
"""

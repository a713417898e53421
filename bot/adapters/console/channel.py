"""The console's commands for the channel and its daily question (what `/practice` does on
Slack and Discord), plus the manual clock's /advance."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.adapters.console import render
from bot.adapters.space_config import config_reply
from bot.core import schedule as rules
from bot.core.models import Subscription
from bot.core.results import PostStatus
from bot.core.subscribe import parse_subscribe
from bot.present import admin, help, repair

if TYPE_CHECKING:
    from bot.adapters.console.session import ConsoleSession

MAX_ADVANCE = timedelta(days=31)
SUBSCRIBE_USAGE = help.SUBSCRIBE_USAGE


async def timezone(session: ConsoleSession) -> str:
    return await session.engine.channel_timezone(session.channel)


async def _next_post_sentence(session: ConsoleSession, subscription: Subscription) -> str:
    upcoming = await session.engine.next_post(subscription)
    return render.show(admin.next_post(upcoming, subscription.schedule.timezone))


async def subscribe(session: ConsoleSession, rest: str) -> bool:
    if not rest:
        session.write(SUBSCRIBE_USAGE)
        return True
    args = parse_subscribe(rest.split())
    subscription = await session.engine.subscribe(
        session.channel,
        post_time=args.post_time,
        timezone=args.timezone,
        days=args.days,
        reveal_after=args.reveal_after,
        packs=args.packs,
        by=session.user_id,
    )
    packs = f" Packs: {', '.join(subscription.packs)}." if subscription.packs else ""
    session.write(
        render.fill(
            f"Subscribed: {subscription.schedule.describe()}.{packs} "
            + await _next_post_sentence(session, subscription)
        )
    )
    return True


async def pause(session: ConsoleSession, rest: str) -> bool:
    done = await session.engine.unsubscribe(session.channel)
    session.write(render.fill(render.show(admin.paused(done, render.WORDS))))
    return True


async def resume(session: ConsoleSession, rest: str) -> bool:
    current = await session.engine.subscription(session.channel)
    if current is None:
        session.write("This channel is not subscribed: /subscribe 09:00 starts it.")
        return True
    if current.active:
        session.write(f"The daily question is not paused: {current.schedule.describe()}.")
        return True
    subscription = await session.engine.subscribe(
        session.channel, post_time=f"{current.schedule.post_time:%H:%M}", by=session.user_id
    )
    session.write(
        render.fill(
            f"Resumed: {subscription.schedule.describe()}. "
            + await _next_post_sentence(session, subscription)
        )
    )
    return True


async def post(session: ConsoleSession, rest: str) -> bool:
    if rest not in ("", "--confirm"):
        session.write(help.POST_USAGE)
        return True
    engine = session.engine
    subscription = await engine.subscription(session.channel)
    if subscription is not None and not subscription.active:
        session.write("The daily question is paused: /resume first.")
        return True
    if subscription is not None:
        schedule = subscription.schedule
        today = engine.today(subscription)
        free = await engine.day_is_free(subscription, today)
        confirmed = rest == "--confirm" or session.post_confirmed_for == today
        if free and not rules.posts_on(schedule, today) and not confirmed:
            session.post_confirmed_for = today
            session.write(
                render.fill(
                    f"Today ({today:%A}) is not a posting day ({rules.format_days(schedule.days)}). "
                    "A round posted now counts for streaks like any other: whoever does not "
                    "answer it before the reveal loses their current streak. Type /post again "
                    "(or /post --confirm) to post it anyway."
                )
            )
            return True
    result = await engine.post_now(session.channel)
    if result.status is PostStatus.ALREADY and subscription is not None:
        session.write(
            render.fill(
                "Today's round is already posted. /reveal closes it. "
                + await _next_post_sentence(session, subscription)
            )
        )
    elif result.status is PostStatus.FAILED:
        session.write(render.fill(render.show(admin.post_reply(result, render.WORDS))))
    return True


async def reveal(session: ConsoleSession, rest: str) -> bool:
    await session.engine.reveal_now(session.channel)
    return True


async def status(session: ConsoleSession, rest: str) -> bool:
    state = await session.engine.status(session.channel)
    session.write(render.status(state, session.engine.now()))
    return True


async def leaderboard(session: ConsoleSession, rest: str) -> bool:
    words = rest.split()
    board = await session.engine.leaderboard(
        session.channel, window=words[0].lower() if words else None, caller_id=session.user_id
    )
    session.write(render.leaderboard(board))
    if session.pictures is not None and board.entries:
        path = await session.pictures.leaderboard(
            session.engine, session.channel, window=words[0].lower() if words else None,
            caller_id=session.user_id,
        )  # fmt: skip
        session.write(f"Image: {path}")
    return True


async def streak(session: ConsoleSession, rest: str) -> bool:
    view = await session.engine.streak(session.channel, session.user_id)
    session.write(render.streak(view))
    if session.pictures is not None and await session.engine.subscription(session.channel):
        path = await session.pictures.streak(
            session.engine, session.channel, session.user_id, session.user
        )
        session.write(f"Image: {path}")
    return True


async def packs(session: ConsoleSession, rest: str) -> bool:
    for pack in session.engine.packs:
        session.write(f"  {pack.name:<10} {len(pack.questions):>3}  {pack.title}")
    return True


async def advance(session: ConsoleSession, rest: str) -> bool:
    scheduler = session.scheduler
    if scheduler is None or not scheduler.moves_time:
        session.write(help.ADVANCE_NEEDS_MANUAL)
        return True
    if not rest:
        session.write(help.ADVANCE_USAGE)
        return True
    delta = rules.parse_duration(rest)
    if delta > MAX_ADVANCE:
        session.write(f"/advance moves at most 31d at a time (got '{rest}').")
        return True
    await scheduler.advance(delta)
    zone = await timezone(session)
    session.write(f"⏩ It is now {render.local_time(session.engine.now(), zone)} ({zone}).")
    return True


async def config(session: ConsoleSession, rest: str) -> bool:
    """The console's settings (its space is this machine): anyone at the terminal is its admin."""
    session.write(
        await config_reply(
            session.engine, session.channel, rest.split(), session.user_id, command="/config"
        )
    )
    return True


async def streak_repair(session: ConsoleSession, rest: str) -> bool:
    """The console's round of a date breaks nobody's streak (anyone at the terminal is admin)."""
    if len(rest.split()) != 1:
        session.write(help.STREAK_REPAIR_USAGE)
        return True
    done, new = await session.engine.repair_streaks(session.channel, rest, by=session.user_id)
    zone = await timezone(session)
    session.write(render.fill(render.show(repair.repaired(done, new, zone))))
    return True


COMMANDS: dict[str, Callable[[ConsoleSession, str], Awaitable[bool]]] = {
    "subscribe": subscribe, "pause": pause, "unsubscribe": pause, "resume": resume,
    "post": post, "reveal": reveal, "status": status, "leaderboard": leaderboard,
    "streak": streak, "packs": packs, "advance": advance, "config": config,
    "streak-repair": streak_repair,
}  # fmt: skip

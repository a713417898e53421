"""Which spaces this process serves, when several processes split a platform between them.

A platform that shards its connection (Discord: `(guild_id >> 22) % shard_count`) tells the
engine which shards this process runs (`SpaceShards`); the process then schedules, posts,
reveals and delivers only in the spaces of those shards, and leaves the others to the
processes that own them. Platforms that do not shard are served whole. The store applies the
same rule to the outbox's claim (`DeliveryStore.claim_deliveries(..., owned=)`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import ChannelRef


@dataclass(frozen=True)
class SpaceShards:
    """The spaces of `platform` this process owns: those whose numeric id, shifted right by
    `shift` bits, modulo `count`, is one of `ids` (Discord's rule, with `shift` 22)."""

    platform: str
    count: int
    ids: frozenset[int]
    shift: int = 22

    def shard_of(self, space_id: str) -> int | None:
        """The shard of a space, or None for an id that is not a number."""
        if not space_id.isdigit():
            return None
        return (int(space_id) >> self.shift) % self.count

    @property
    def everything(self) -> bool:
        """True when this process runs every shard (nothing to filter)."""
        return self.ids >= frozenset(range(self.count))


@dataclass(frozen=True)
class Ownership:
    """The shards this process runs, per sharded platform; every other platform in full."""

    shards: tuple[SpaceShards, ...] = ()

    def owns(self, channel: ChannelRef) -> bool:
        for part in self.shards:
            if part.platform == channel.platform:
                return part.shard_of(channel.space_id) in part.ids
        return True

    def with_shards(self, part: SpaceShards) -> Ownership:
        """This ownership with `part` replacing whatever it said of that platform."""
        kept = tuple(s for s in self.shards if s.platform != part.platform)
        return Ownership((*kept, part) if not part.everything else kept)

    @property
    def whole(self) -> bool:
        return not self.shards


EVERYTHING = Ownership()

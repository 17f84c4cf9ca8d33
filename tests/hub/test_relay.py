"""The embedded channel layer's relay (hub.relay.layers): two layer instances on one database stand
for two processes (the web server and the task worker of `make run`)."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from hub.relay.layers import DatabaseRelayChannelLayer
from hub.relay.models import RelayMessage

# Committed for real: the listener reads the database as another process would.
# Serialized rollback like every transactional test here: a plain flush re-creates content types that
# the next serialized-rollback test would then restore a second time.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 5


def layer(**options) -> DatabaseRelayChannelLayer:
    return DatabaseRelayChannelLayer(poll_interval=options.pop("poll_interval", 0.02), **options)


async def receive(layer: DatabaseRelayChannelLayer, channel: str) -> dict:
    return await asyncio.wait_for(layer.receive(channel), TIMEOUT)


def nothing_waiting(layer: DatabaseRelayChannelLayer, channel: str) -> bool:
    queue = layer.channels.get(channel)
    return queue is None or queue.empty()


def test_a_group_message_from_a_process_without_members_reaches_the_members_of_another():
    web, worker = layer(), layer()

    async def scenario():
        channel = await web.new_channel()
        await web.group_add("inbox-7", channel)
        await worker.group_send("inbox-7", {"type": "inbox.change", "seq": 3})
        assert await receive(web, channel) == {"type": "inbox.change", "seq": 3}
        # Another group of the web process hears nothing of it.
        other = await web.new_channel()
        await web.group_add("inbox-8", other)
        await worker.group_send("inbox-8", {"type": "inbox.change", "seq": 1, "text": "Blåbær"})
        assert await receive(web, other) == {"type": "inbox.change", "seq": 1, "text": "Blåbær"}
        assert nothing_waiting(web, channel)
        await web.close()

    async_to_sync(scenario)()
    assert list(RelayMessage.objects.values_list("group", flat=True).order_by("pk")) == ["inbox-7", "inbox-8"]


def test_members_in_the_sending_process_get_a_message_once_and_at_once():
    web, worker = layer(poll_interval=3600), layer()

    async def scenario():
        channel = await web.new_channel()
        await web.group_add("thread-1", channel)
        # Delivered locally without waiting for a poll (the interval is an hour).
        await web.group_send("thread-1", {"type": "thread.change", "seq": 1})
        assert await receive(web, channel) == {"type": "thread.change", "seq": 1}
        await web.close()

    async_to_sync(scenario)()

    async def relayed_once():
        web_again = layer()
        channel = await web_again.new_channel()
        await web_again.group_add("thread-1", channel)
        await web_again.group_send("thread-1", {"type": "thread.change", "seq": 2})
        await worker.group_send("thread-1", {"type": "thread.change", "seq": 3})
        assert await receive(web_again, channel) == {"type": "thread.change", "seq": 2}
        # Its own row (written before the worker's) was skipped, not delivered a second time.
        assert await receive(web_again, channel) == {"type": "thread.change", "seq": 3}
        assert nothing_waiting(web_again, channel)
        await web_again.close()

    async_to_sync(relayed_once)()


def test_messages_arrive_in_the_order_they_were_sent_and_concurrent_sends_are_one_insert():
    web, worker = layer(batch=7), layer()

    async def scenario():
        channels = [await web.new_channel() for _ in range(3)]
        for index, channel in enumerate(channels):
            await web.group_add(f"inbox-{index}", channel)
        await asyncio.gather(
            *(worker.group_send(f"inbox-{seq % 3}", {"type": "inbox.change", "seq": seq}) for seq in range(30))
        )
        for seq in range(30, 40):
            await worker.group_send(f"inbox-{seq % 3}", {"type": "inbox.change", "seq": seq})
        for index, channel in enumerate(channels):
            expected = [seq for seq in range(40) if seq % 3 == index]
            got = [(await receive(web, channel))["seq"] for _ in expected]
            assert got == expected
            assert nothing_waiting(web, channel)
        await web.close()

    async_to_sync(scenario)()
    # The concurrent sends were one insert (one timestamp); the ten later ones were ten.
    times = list(RelayMessage.objects.order_by("pk").values_list("created_at", flat=True))
    assert len(set(times[:30])) == 1
    assert len(set(times[30:])) == 10


def test_a_process_starts_from_the_newest_row_when_its_first_member_joins():
    web, worker = layer(), layer()

    async def scenario():
        await worker.group_send("inbox-1", {"type": "inbox.change", "seq": 1})
        channel = await web.new_channel()
        await web.group_add("inbox-1", channel)
        await worker.group_send("inbox-1", {"type": "inbox.change", "seq": 2})
        # Rows arrive in id order, so had the earlier one been relayed it would come first.
        assert await receive(web, channel) == {"type": "inbox.change", "seq": 2}
        assert nothing_waiting(web, channel)
        await web.close()

    async_to_sync(scenario)()


def test_old_rows_are_pruned_by_the_next_writer():
    worker = layer(retention=60)
    RelayMessage.objects.create(
        group="inbox-1", message="{}", origin="gone", created_at=timezone.now() - timedelta(seconds=61)
    )
    recent = RelayMessage.objects.create(
        group="inbox-1", message="{}", origin="other", created_at=timezone.now() - timedelta(seconds=30)
    )

    async_to_sync(worker.group_send)("inbox-2", {"type": "inbox.change", "seq": 1})

    kept = list(RelayMessage.objects.order_by("pk").values_list("pk", "group"))
    assert kept[0] == (recent.pk, "inbox-1")
    assert [group for _pk, group in kept[1:]] == ["inbox-2"]


def test_a_message_that_is_not_json_is_refused_and_nothing_is_written():
    worker = layer()
    with pytest.raises(TypeError):
        async_to_sync(worker.group_send)("inbox-1", {"type": "inbox.change", "when": timezone.now()})
    assert not RelayMessage.objects.exists()


def test_a_listener_follows_the_table_when_it_is_emptied_and_its_ids_restart():
    web, worker = layer(), layer()

    def flush_relay_table():
        # What `manage.py flush` does to this table: every row gone, the ids start again at 1.
        table = RelayMessage._meta.db_table
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), [table], reset_sequences=True))

    async def scenario():
        for seq in range(5):
            await worker.group_send("inbox-1", {"type": "inbox.change", "seq": seq})
        channel = await web.new_channel()
        await web.group_add("inbox-1", channel)
        await sync_to_async(flush_relay_table)()
        await worker.group_send("inbox-1", {"type": "inbox.change", "seq": 10})
        assert await sync_to_async(lambda: RelayMessage.objects.get().pk)() == 1
        assert await receive(web, channel) == {"type": "inbox.change", "seq": 10}
        await web.close()

    async_to_sync(scenario)()

"""scrapy-redis's priority queue and scheduler, with fewer round trips per request.

scrapy-redis names a request's callback the way Scrapy's disk queue does: ``inspect.getmembers``
on the spider for every request pushed (crawler/diskqueue.py says why that is slow). A worker
pushes every request it schedules, so it pays this once per URL; looking the two callbacks up
on a small object gives the same names (the same dict is pickled, and read back by ``getattr``
on the spider). A request with any other callback takes scrapy-redis's own path.

Round trips are what a worker waits on (on a small machine the wait includes redis-server being
scheduled at all): scrapy-redis pays one to push each request (two with the duplicate check) and
one to pop each. FilteringScheduler keeps the requests it schedules in a short outbox and sends
them, duplicate check and push in one script each, in the same pipeline as its next pop, which
takes a few requests at once (ZPOPMIN): about one round trip per few URLs instead of three.
The outbox is never held long: it goes out when the engine next asks for a request, when it
reaches ``OUTBOX``, and every ``FLUSH_EVERY`` seconds, so a busy worker does not keep from an
idle one the links it found.
"""
from __future__ import annotations

import time
from collections import deque

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from .diskqueue import _Callbacks


class CallbackNamePriorityQueue(PriorityQueue):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.callbacks = _Callbacks(self.spider)

    def _encode_request(self, request):
        try:
            obj = request.to_dict(spider=self.callbacks)
        except ValueError:  # a callback of its own: the full lookup on the spider
            return super()._encode_request(request)
        return self.serializer.dumps(obj)


class FilteringScheduler(Scheduler):
    """scrapy-redis's scheduler: the duplicate check and the push in one script, sent in batches
    with the next pop, and pops of a few requests at a time (see the module docstring).

    The same fingerprints go into the same set as scrapy-redis's (a sweep or a resumed run sees
    what scrapy-redis would have stored). ``enqueue_request`` answers True for a request not yet
    sent — every request a worker schedules was new to its claims, so a duplicate is rare — and a
    duplicate found when the batch goes out is logged and counted as scrapy-redis does."""

    #: ZADD the request only when its fingerprint was new: 1 when pushed, 0 when a duplicate.
    SEEN_THEN_PUSH = """if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) return 1 end
return 0"""
    OUTBOX = 32         # requests held before they are sent anyway
    FLUSH_EVERY = 0.05  # seconds: the longest a found link waits before another worker can take it
    POP = 4             # requests taken per pop: few, so that no worker sits on what another could fetch

    def open(self, spider):
        super().open(spider)
        self._seen_then_push = self.server.register_script(self.SEEN_THEN_PUSH)
        self.server.script_load(self.SEEN_THEN_PUSH)
        self.outbox: list[tuple[object, bytes, float, str]] = []  # (request, data, score, fingerprint)
        self.taken: deque = deque()  # popped, not yet handed to the engine
        self.sent_at = time.monotonic()
        self._fast = type(self.queue) is CallbackNamePriorityQueue and isinstance(self.df, RFPDupeFilter)
        self._loop = None
        if self._fast:
            from twisted.internet import task

            self._loop = task.LoopingCall(self._flush_if_waiting)
            self._loop.start(self.FLUSH_EVERY, now=False)

    def close(self, reason):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._send(pop=0)
        if self.taken:  # popped but never fetched: back in the queue for the others
            with self.server.pipeline(transaction=False) as pipe:
                for request in self.taken:
                    pipe.execute_command("ZADD", self.queue.key, -request.priority, self.queue._encode_request(request))
                pipe.execute()
            self.taken.clear()
        return super().close(reason)

    def enqueue_request(self, request) -> bool:
        if request.dont_filter or not self._fast:
            return super().enqueue_request(request)
        self.outbox.append((request, self.queue._encode_request(request), -request.priority,
                            self.df.request_fingerprint(request)))
        if len(self.outbox) >= self.OUTBOX:
            self._send(pop=0)
        return True

    def next_request(self):
        if not self._fast:
            return super().next_request()
        if not self.taken:
            self._send(pop=self.POP)
        if not self.taken:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return self.taken.popleft()

    def has_pending_requests(self) -> bool:
        return bool(getattr(self, "taken", None) or getattr(self, "outbox", None)) or super().has_pending_requests()

    def __len__(self) -> int:
        return len(getattr(self, "taken", ())) + len(getattr(self, "outbox", ())) + super().__len__()

    def _flush_if_waiting(self) -> None:
        if self.outbox and time.monotonic() - self.sent_at >= self.FLUSH_EVERY:
            self._send(pop=0)

    def _send(self, pop: int) -> None:
        """The outbox (one script per request) and a pop of ``pop`` requests, in one round trip."""
        outbox, self.outbox = self.outbox, []
        self.sent_at = time.monotonic()
        if not outbox and not pop:
            return
        keys = [self.df.key, self.queue.key]
        with self.server.pipeline(transaction=False) as pipe:
            # EVALSHA itself: redis-py's Script in a pipeline asks SCRIPT EXISTS first, a round trip more.
            for _, data, score, fingerprint in outbox:
                pipe.evalsha(self._seen_then_push.sha, 2, *keys, fingerprint, score, data)
            if pop:
                pipe.zpopmin(self.queue.key, pop)
            answers = pipe.execute(raise_on_error=False)
        if pop:  # first, so that nothing popped is lost whatever the pushes answered
            popped = answers.pop()
            if isinstance(popped, Exception):
                raise popped
            self.taken.extend(self.queue._decode_request(member) for member, _ in popped)
        for i, ((_, data, score, fingerprint), answer) in enumerate(zip(outbox, answers)):
            if isinstance(answer, Exception):  # NOSCRIPT after a redis restart or SCRIPT FLUSH: once more, loaded
                if "NOSCRIPT" not in str(answer):
                    raise answer
                answers[i] = self._seen_then_push(keys=keys, args=[fingerprint, score, data])
        for (request, *_), pushed in zip(outbox, answers):
            if int(pushed):
                if self.stats:
                    self.stats.inc_value("scheduler/enqueued/redis")
            else:
                self.df.log(request, self.spider)

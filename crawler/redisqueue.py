"""scrapy-redis's priority queue and scheduler, with less work per request.

scrapy-redis names a request's callback the way Scrapy's disk queue does: ``inspect.getmembers``
on the spider for every request pushed (crawler/diskqueue.py says why that is slow). A worker
pushes every request it schedules, so it pays this once per URL; looking the two callbacks up
on a small object gives the same names (the same dict is pickled, and read back by ``getattr``
on the spider). A request with any other callback takes scrapy-redis's own path.
"""
from __future__ import annotations

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
    """scrapy-redis's scheduler, the duplicate check and the push in one round trip.

    Every request a worker schedules was new to the spider's own memory, so the duplicate
    filter almost always answers "new" and the push follows: two round trips per URL where one
    Lua script does both, with the same fingerprints in the same set (a sweep or a resumed run
    sees what scrapy-redis would have stored)."""

    #: ZADD the request only when its fingerprint was new: 1 when pushed, 0 when a duplicate.
    SEEN_THEN_PUSH = """if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) return 1 end
return 0"""

    def open(self, spider):
        super().open(spider)
        self._seen_then_push = self.server.register_script(self.SEEN_THEN_PUSH)
        self.server.script_load(self.SEEN_THEN_PUSH)

    def enqueue_request(self, request) -> bool:
        if request.dont_filter or type(self.queue) is not CallbackNamePriorityQueue or not isinstance(self.df, RFPDupeFilter):
            return super().enqueue_request(request)
        fingerprint = self.df.request_fingerprint(request)
        data = self.queue._encode_request(request)
        if not int(self._seen_then_push(keys=[self.df.key, self.queue.key], args=[fingerprint, -request.priority, data])):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

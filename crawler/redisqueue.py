"""scrapy-redis's priority queue, with the cheap lookup of the callbacks' names.

scrapy-redis names a request's callback the way Scrapy's disk queue does: ``inspect.getmembers``
on the spider for every request pushed (crawler/diskqueue.py says why that is slow). A worker
pushes every request it schedules, so it pays this once per URL; looking the two callbacks up
on a small object gives the same names (the same dict is pickled, and read back by ``getattr``
on the spider). A request with any other callback takes scrapy-redis's own path.
"""
from __future__ import annotations

from scrapy_redis.queue import PriorityQueue

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

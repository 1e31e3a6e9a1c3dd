"""Scrapy's pickle LIFO disk queue, with a cheap lookup of the callbacks' names.

To store a request on disk Scrapy names its callback by scanning the spider with
``inspect.getmembers`` — every attribute of the spider, for every request pushed. Our
requests use two callbacks; looking them up on a small object that holds only those two
gives the same names (the same dict is stored, and read back by ``getattr`` on the spider)
at a fraction of the cost. A request with any other callback takes Scrapy's own path.
"""
from __future__ import annotations

from scrapy import Request
from scrapy.squeues import PickleLifoDiskQueue

#: The spider methods our requests name as callback or errback.
CALLBACKS = ("on_response", "on_error")


class _Callbacks:
    def __init__(self, spider) -> None:
        for name in CALLBACKS:
            if hasattr(spider, name):
                setattr(self, name, getattr(spider, name))


class CallbackNameDiskQueue(PickleLifoDiskQueue):
    def __init__(self, crawler, key: str) -> None:
        super().__init__(crawler, key)
        self.callbacks = _Callbacks(crawler.spider)

    def push(self, request: Request) -> None:
        try:
            request_dict = request.to_dict(spider=self.callbacks)
        except ValueError:  # a callback of its own: Scrapy's full lookup on the spider
            request_dict = request.to_dict(spider=self.spider)
        # The grand-parent's push: pickle the dict to the file (the parent would redo to_dict).
        super(PickleLifoDiskQueue, self).push(request_dict)

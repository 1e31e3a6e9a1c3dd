"""The baseline: a bare Scrapy CrawlSpider over the same site, same concurrency, no recording.

With a third argument it also writes the broken URLs it met (status >= 400 or a failed
download), one per line, so its recall can be compared; it checks the site's own URLs only
(Scrapy's offsite filter drops external links), as a plain CrawlSpider does.
"""
from __future__ import annotations

import sys
from urllib.parse import urlsplit

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

BROKEN: set[str] = set()


class Bare(CrawlSpider):
    name = "bare"
    rules = (Rule(LinkExtractor(deny_extensions=[]), callback="seen", errback="failed", follow=True),)

    def seen(self, response):
        if response.status >= 400:
            BROKEN.add(response.url)
        return ()

    def failed(self, failure):
        BROKEN.add(failure.request.url)


def main(url: str, concurrency: int, broken_out: str | None = None) -> None:
    host = urlsplit(url).hostname
    process = AsyncCrawlerProcess({
        "LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": concurrency * 4, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
    })
    crawler = process.create_crawler(Bare)
    process.crawl(crawler, start_urls=[url], allowed_domains=[host])
    process.start()
    s = crawler.stats.get_stats()
    if broken_out:
        with open(broken_out, "w") as f:
            f.writelines(u + "\n" for u in sorted(BROKEN))
    print(f"RESULT responses={s.get('response_received_count', 0)} elapsed={s.get('elapsed_time_seconds', 0):.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)

"""The baseline: a bare Scrapy CrawlSpider over the same site, same concurrency, no recording."""
from __future__ import annotations

import sys
from urllib.parse import urlsplit

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule


class Bare(CrawlSpider):
    name = "bare"
    rules = (Rule(LinkExtractor(deny_extensions=[]), follow=True),)


def main(url: str, concurrency: int) -> None:
    host = urlsplit(url).hostname
    process = AsyncCrawlerProcess({
        "LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": concurrency * 4, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
    })
    crawler = process.create_crawler(Bare)
    process.crawl(crawler, start_urls=[url], allowed_domains=[host])
    process.start()
    s = crawler.stats.get_stats()
    print(f"RESULT responses={s.get('response_received_count', 0)} elapsed={s.get('elapsed_time_seconds', 0):.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

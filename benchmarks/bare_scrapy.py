"""The baseline: a bare Scrapy CrawlSpider over the same site, same concurrency, no recording.

    bare_scrapy.py URL CONCURRENCY [BROKEN_OUT] [--external]

With BROKEN_OUT it also writes the broken URLs it met (status >= 400 or a failed download),
one per line, so its recall can be compared.

Without ``--external`` it checks the site's own URLs only (Scrapy's offsite filter drops
external links), as a plain CrawlSpider does: the fastest a crawl of the site can be, but it
does not do a link checker's job (it never learns of a dead external link).

With ``--external`` it does the same job as the link checkers: it follows the site's own links
and requests, without following, every link to another host and every image and stylesheet,
obeying robots.txt everywhere, with the same 20 s timeout. It is given the settings most
favourable to it — no retries at all — so what it pays for failing hosts is only Scrapy's own
order of work (robots.txt, then the link, each with the full timeout).
"""
from __future__ import annotations

import sys
from urllib.parse import urlsplit

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

BROKEN: set[str] = set()
CHECKED: set[str] = set()  # every URL answered or failed (robots.txt not counted)
TAGS = ("a", "area", "img", "link")
ATTRS = ("href", "src")


class Bare(CrawlSpider):
    name = "bare"
    rules = (Rule(LinkExtractor(deny_extensions=[]), callback="seen", errback="failed", follow=True),)

    def seen(self, response):
        CHECKED.add(response.request.url if response.request else response.url)
        if response.status >= 400:
            BROKEN.add(response.url)
        return ()

    def failed(self, failure):
        CHECKED.add(failure.request.url)
        BROKEN.add(failure.request.url)


def checking_spider(host: str) -> type[Bare]:
    """Bare with two rules: the site's own pages followed, everything else requested once.

    ``host`` is the site's netloc (host:port): Scrapy's domain matching compares netlocs."""
    own = LinkExtractor(allow_domains=[host], deny_extensions=[], tags=TAGS, attrs=ATTRS)
    other = LinkExtractor(deny_domains=[host], deny_extensions=[], tags=TAGS, attrs=ATTRS)

    class BareChecking(Bare):
        name = "bare_checking"
        rules = (Rule(own, callback="seen", errback="failed", follow=True),
                 Rule(other, callback="seen", errback="failed", follow=False))

        def _requests_to_follow(self, response):
            # A page of another host is checked, never read for links (CrawlSpider would).
            if urlsplit(response.url).netloc != host:
                return
            yield from super()._requests_to_follow(response)

    return BareChecking


def main(url: str, concurrency: int, broken_out: str | None = None, external: bool = False) -> None:
    host = urlsplit(url).hostname
    settings = {
        "LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": concurrency * 4, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
    }
    if external:
        settings.update({"DOWNLOAD_TIMEOUT": 20, "RETRY_ENABLED": False})
    process = AsyncCrawlerProcess(settings)
    spider = checking_spider(urlsplit(url).netloc) if external else Bare
    crawler = process.create_crawler(spider)
    if external:
        process.crawl(crawler, start_urls=[url])
    else:
        process.crawl(crawler, start_urls=[url], allowed_domains=[host])
    process.start()
    s = crawler.stats.get_stats()
    if broken_out:
        with open(broken_out, "w") as f:
            f.writelines(u + "\n" for u in sorted(BROKEN))
    # Start URL included (CrawlSpider parses it without a rule callback).
    checked = len(CHECKED | set([url]))
    print(f"RESULT responses={s.get('response_received_count', 0)} checked={checked} "
          f"elapsed={s.get('elapsed_time_seconds', 0):.2f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--external"]
    main(args[0], int(args[1]), args[2] if len(args) > 2 else None, "--external" in sys.argv[1:])

"""Scrapy settings for govaudit: polite defaults a government site will tolerate.

`scrapy crawl portal -a url=…` reads this module through scrapy.cfg; `govaudit audit` starts
from it and overrides what its options say.
"""
BOT_NAME = "govaudit"
SPIDER_MODULES = ["govaudit.crawler.spider"]
NEWSPIDER_MODULE = "govaudit.crawler.spider"

# An honest User-Agent that names the tool, so a site's operators know who is checking.
USER_AGENT = "Mozilla/5.0 (compatible; govaudit/0.1; government website inspection; +https://pypi.org/project/govaudit/)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
DNSCACHE_ENABLED = True
# A lookup that hangs (no resolver reachable) fails in 10 s, not Scrapy's 60.
DNS_TIMEOUT = 10
# Hosts table first, then the system; the per-site address policy is guard.AddressGuardMiddleware.
TWISTED_DNS_RESOLVER = "govaudit.crawler.resolver.GuardedResolver"
# Report invalid certificates (self-signed, expired, wrong host) as tls errors.
DOWNLOAD_VERIFY_CERTIFICATES = True
# Our items are rows for one synchronous writer: many parallel item tasks only cost CPU.
CONCURRENT_ITEMS = 8

RETRY_ENABLED = True
RETRY_TIMES = 2
# Giving up is a finding, not a log error: the report says it in Chinese.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
GOVAUDIT_RETRY_BACKOFF = 1.0
GOVAUDIT_RETRY_BACKOFF_MAX = 30.0

# 4xx/5xx reach the spider (they are findings), redirects stay on.
HTTPERROR_ALLOW_ALL = True
REDIRECT_MAX_TIMES = 10
# Meta refresh is read as a link by our own extractor instead.
METAREFRESH_ENABLED = False
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"

# Requests that only wait (robots.txt of a slow host, a retry's backoff) are parked and do not
# hold the crawl's concurrency (parking.py).
DOWNLOADER = "govaudit.crawler.parking.ParkingDownloader"
GOVAUDIT_MAX_PARKED = 2000
# Scrapy parses every callback's source (AST) to warn about generators that return a value:
# a measurable cost per response for a warning our callbacks never need.
WARN_ON_GENERATOR_RETURN_VALUE = False
# The disk queue (used with JOBDIR) names callbacks without scanning the spider (diskqueue.py).
SCHEDULER_DISK_QUEUE = "govaudit.crawler.diskqueue.CallbackNameDiskQueue"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "govaudit.crawler.parking.ParkingRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "govaudit.crawler.middlewares.CheckingRedirectMiddleware": 600,
    "govaudit.crawler.middlewares.RetryBackoffMiddleware": 540,
    "govaudit.crawler.start_retry.StartRetryMiddleware": 560,
    # After HttpProxyMiddleware (750): it sees the proxy it may have to withhold; before the
    # download: every request, redirect hop and robots.txt is judged as it will be sent.
    "govaudit.crawler.guard.AddressGuardMiddleware": 760,
    # Below Retry (550) and Redirect (600): only a HEAD's final answer or failure asks GET.
    "govaudit.crawler.headfallback.HeadFallbackMiddleware": 520,
    # After RetryMiddleware (550) for requests, before it for exceptions: every failure counts.
    "govaudit.crawler.hostbudget.HostBudgetMiddleware": 580,
    "govaudit.crawler.robotsize.RobotsSizeMiddleware": 770,
}
# Scrapy's HTTP/1.1 handler with a bounded header section (a never-ending header is cut off).
DOWNLOAD_HANDLERS = {
    "http": "govaudit.crawler.handlers.BoundedHTTP11DownloadHandler",
    "https": "govaudit.crawler.handlers.BoundedHTTP11DownloadHandler",
}
GOVAUDIT_MAX_HEADER_BYTES = 64 * 1024
GOVAUDIT_MAX_HEADERS = 200
# The scope policy decides on every target the spider proposes; closest to the spider, so
# Scrapy's UrlLengthMiddleware never silently drops what scope reports as too long.
# Attachments read for personal data (issue 12) are fetched whole by AttachmentFetchMiddleware,
# after scope has decided (it rewrites the check requests scope lets out), and read off the
# reactor thread by AttachmentScanPipeline before the store writes the row.
SPIDER_MIDDLEWARES = {
    "govaudit.crawler.scope.ScopeMiddleware": 950,
    "govaudit.crawler.attachment_fetch.AttachmentFetchMiddleware": 900,
}
ITEM_PIPELINES = {
    "govaudit.crawler.attachment_scan.AttachmentScanPipeline": 200,
    "govaudit.crawler.pipeline.StorePipeline": 300,
}
# Threads reading attachments (each starts a bounded child process for binary formats).
GOVAUDIT_ATTACHMENT_WORKERS = 2
# The `content:` section of the config (config/defaults.yaml); {} = the shipped defaults.
GOVAUDIT_CONTENT: dict = {}
EXTENSIONS = {
    "govaudit.crawler.progress.Progress": 500,
    # IPv6 status of the start host (功能设计 · IPv6), measured off the reactor (ipv6_probe.py).
    "govaudit.crawler.ipv6_probe.IPv6Probe": 510,
    # Site search tried once, when the crawl is otherwise done (功能设计 · 搜索功能; search_probe.py).
    "govaudit.crawler.search_probe.SearchProbe": 520,
    "scrapy.extensions.logstats.LogStats": None,
}

# Limits against crawler traps.
GOVAUDIT_MAX_PAGES = 20000
# Pages whose list or 解读 box is filled by script are rendered in Chromium (crawler/render.py):
# auto = when the browser is installed (GOVAUDIT_NO_BROWSER=1 turns it off), false = never.
GOVAUDIT_RENDER = "auto"
GOVAUDIT_CHROMIUM = "/usr/bin/chromium"
GOVAUDIT_RENDER_BUDGET = 100  # rendered pages per site; past it such pages are 需人工核实
GOVAUDIT_RENDER_TIMEOUT = 20  # seconds per rendered page
GOVAUDIT_RENDER_ALLOW_HOSTS: list[str] = []  # hosts besides the site's own the browser may load from
GOVAUDIT_MAX_DEPTH = 12
GOVAUDIT_MAX_URL_LENGTH = 1024
GOVAUDIT_MAX_QUERY_VARIANTS = 50
GOVAUDIT_CHECK_EXTERNAL = True
# Work budgets (see budgets.py); each hit is counted and named in the report.
GOVAUDIT_MAX_LINKS_PER_PAGE = 5000
GOVAUDIT_MAX_CHECKS = 50000
GOVAUDIT_MAX_LIST_PAGES = 300
GOVAUDIT_MAX_HOST_FAILURES = 3
# Seconds another site's robots.txt may take (hostbudget.py); the links themselves keep DOWNLOAD_TIMEOUT.
GOVAUDIT_OTHER_ROBOTS_TIMEOUT = 3.0
GOVAUDIT_MAX_ROBOTS_BYTES = 512 * 1024
GOVAUDIT_PROGRESS_INTERVAL = 5.0
# IPv6 measurement: off in distributed workers (the coordinator measures once); seconds it may
# take (None = environment variable GOVAUDIT_IPV6_TIMEOUT, else 5).
GOVAUDIT_IPV6_PROBE = True
GOVAUDIT_IPV6_TIMEOUT = None
# Site search probe: off in distributed workers (a run without stats.search gets no search finding).
GOVAUDIT_SEARCH_PROBE = True
GOVAUDIT_DB = "govaudit.sqlite"

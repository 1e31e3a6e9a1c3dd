"""What both availability checks read: this site's week of probes, judged once (govaudit.availability)."""
from __future__ import annotations

from govaudit import availability as av

from .crawl import Crawl


def week(crawl: Crawl) -> av.Availability:
    """The site's probes are stored under sites[].id (default: the start URL's host), the key the probe
    command used; closures come from sites[].closures."""
    from govaudit.store import default_site_id

    site_id = crawl.run.get("site_id") or crawl.setting("site", "id") or default_site_id(crawl.run["start_url"])
    closures = av.parse_closures(crawl.setting("site", "closures", default=[]))
    return av.site_availability(crawl.db, site_id, crawl.site, crawl.as_of, closures, crawl.config)

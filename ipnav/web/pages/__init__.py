"""The server-rendered pages, one router per feature. Charts: each analysis's ECharts option is embedded
as JSON and drawn in the browser by ECharts from npm; every form that changes something carries the
session's CSRF token."""

from ipnav.web.pages import (
    admin,
    alerts,
    assets,
    auth,
    demands,
    indicators,
    navigation,
    plans,
    registers,
    search,
    searches,
    tm_watch,
    topics,
    trademarks,
)

ROUTERS = (  # the watch pages before trademarks.router, whose /trademarks/{n} would take their paths
    assets.router, auth.router, search.router, searches.router, navigation.router, topics.router,
    indicators.router, plans.router, tm_watch.router, trademarks.router, registers.router, demands.router, admin.router,
    alerts.router,
)  # fmt: skip

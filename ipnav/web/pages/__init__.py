"""The server-rendered pages, one router per feature. Charts: each analysis's ECharts option is embedded
as JSON and drawn in the browser by ECharts from npm; every form that changes something carries the
session's CSRF token."""

from ipnav.web.pages import admin, assets, auth, indicators, navigation, plans, search, searches, topics, trademarks

ROUTERS = (
    assets.router, auth.router, search.router, searches.router, navigation.router, topics.router,
    indicators.router, plans.router, trademarks.router, admin.router,
)  # fmt: skip

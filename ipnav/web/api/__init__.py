"""The JSON API, one router per feature (OpenAPI at /docs)."""

from ipnav.web.api import auth, indicators, navigation, patents, plans, searches, trademarks

ROUTERS = (
    auth.router,
    patents.router,
    searches.router,
    navigation.router,
    indicators.router,
    plans.router,
    trademarks.router,
)

"""The JSON API, one router per feature (OpenAPI at /docs)."""

from ipnav.web.api import auth, demands, indicators, navigation, patents, plans, registers, searches, trademarks, watch

ROUTERS = (
    auth.router,
    patents.router,
    searches.router,
    navigation.router,
    indicators.router,
    plans.router,
    watch.router,  # before trademarks.router: /api/trademarks/risk is not a mark's number
    trademarks.router,
    registers.router,
    demands.router,
)

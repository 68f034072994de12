"""The JSON API, one router per feature (OpenAPI at /docs)."""

from ipnav.web.api import auth, indicators, navigation, patents, plans

ROUTERS = (auth.router, patents.router, navigation.router, indicators.router, plans.router)

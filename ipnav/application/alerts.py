"""Alert operations of `Ipnav`: notifications after ingest (saved searches, trademark watches), the inbox,
the feed and the deliveries (`ipnav.alerts`)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ipnav.accounts import Accounts
    from ipnav.alerts import Alerts
    from ipnav.config import Settings, Workspace
    from ipnav.store.warehouse import Warehouse


class AlertOperations:
    """Collect, list and deliver alerts (the application object provides workspace, settings, accounts)."""

    workspace: Workspace
    settings: Settings

    if TYPE_CHECKING:  # `MatchingOperations`

        def collect_matching_alerts(self, wh: Warehouse, *, patents: list[str], demands: list[str]) -> int: ...

    @property
    def accounts(self) -> Accounts:
        """Users and the accounts database (the application object provides it)."""
        raise NotImplementedError

    @functools.cached_property
    def alerts(self) -> Alerts:
        """Notifications, deliveries, e-mail addresses and feed tokens."""
        from ipnav.alerts import Alerts

        return Alerts(self.accounts)

    def collect_alerts(self, wh: Warehouse) -> int:
        """Notices for what the running ingest brought: its patents matching a saved search, its marks a
        watch finds; stored once each with their deliveries queued. Returns how many are new."""
        from ipnav.accounts.searches import Searches
        from ipnav.alerts.collect import current_run, run_keys, search_notices, trademark_search_notices, watch_notices

        run_id = current_run(wh)
        if run_id is None:
            return 0
        keys = run_keys(wh, run_id)
        saved = Searches(self.accounts).every_saved()
        patents = [s for s in saved if s["kind"] == "patent"]
        marks = [s for s in saved if s["kind"] == "trademark"]
        notices = search_notices(self.workspace, wh, self.settings, patents, keys.get("patent", set()))
        notices += trademark_search_notices(self.workspace, marks, keys.get("trademark", set()), wh)
        notices += watch_notices(self.workspace, wh, self.accounts, keys.get("trademark", set()))
        conf = self.settings
        added = len(self.alerts.add(notices, email=bool(conf.smtp_host), webhook=conf.webhook_url))
        demands = sorted(keys.get("tech_demand", set()))
        return added + (self.collect_matching_alerts(wh, patents=[], demands=demands) if demands else 0)

    def deliver_alerts(self, *, now: bool = False) -> dict[str, int]:
        """Send the due e-mails and webhook posts (new ones and retries; `now`: retry failed ones at once)."""
        from ipnav.alerts.deliver import deliver

        return deliver(self.alerts, self.settings, now=now)

    def alert_feed(self, token: str, base_url: str) -> bytes | None:
        """The Atom feed a secret token opens (None: no such token)."""
        from ipnav.alerts.feed import atom

        user = self.alerts.user_of_token(token)
        if user is None:
            return None
        base = self.settings.public_url or base_url
        return atom(user, self.alerts.inbox(user, limit=100), base, f"{base.rstrip('/')}/feeds/{token}.atom")

    def alert_summary(self, user: str) -> dict[str, Any]:
        """The user's notifications, unread count, e-mail address and feed address."""
        profile = self.alerts.profile(user)
        return {"unread": self.alerts.unread(user), "notifications": self.alerts.inbox(user),
                "email": profile["email"], "feed": f"/feeds/{profile['feed_token']}.atom"}  # fmt: skip

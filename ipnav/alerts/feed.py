"""A user's notifications as an Atom 1.0 feed (RFC 4287), for feed readers and other systems."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


def atom(user: str, notifications: list[dict[str, Any]], base_url: str, feed_url: str) -> bytes:
    """The feed document: one entry a notification, newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"ipnav 提醒 alerts: {user}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url)
    updated = notifications[0]["created_at"] if notifications else "1970-01-01T00:00:00+00:00"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "ipnav"
    for n in notifications:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        kind = "检索式" if n["kind"] == "search" else "商标监测"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{kind} {n['source']}: {n['title']}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{feed_url}#{n['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}link", href=base_url.rstrip("/") + n["link"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = n["created_at"]
        details = "; ".join(f"{k}: {v}" for k, v in n["detail"].items() if v not in (None, "", []))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = details
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")

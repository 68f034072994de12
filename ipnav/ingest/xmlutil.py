"""XML helpers shared by the XML parsers: safe parsing, splitting, declarative field maps.

Parsing never touches the network or external DTDs. Named HTML entities that the
USPTO v2.5 and EPO files define only in their external DTDs are mapped here.
"""

from __future__ import annotations

import functools
import html.entities
import re
from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree

from ipnav.errors import RecordError

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=True,
    remove_comments=True,
    remove_pis=True,
    recover=False,
)
_XML_BUILTIN = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY_RE = re.compile(rb"&([A-Za-z][A-Za-z0-9._-]*);")
_BARE_AMP_RE = re.compile(rb"&(?![A-Za-z_][\w.-]*;|#\d+;|#x[0-9A-Fa-f]+;)")
_BARE_LT_RE = re.compile(rb"<(?=[A-Za-z][^<>=\"]*<)")
_UNDECLARED_RE = re.compile(rb"</?([A-Za-z][\w.-]*):[A-Za-z]")
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.S)


def _entity(match: re.Match[bytes]) -> bytes:
    name = match.group(1).decode("ascii")
    if name in _XML_BUILTIN:
        return match.group(0)
    char = html.entities.html5.get(name + ";") or html.entities.html5.get(name)
    if char is None:
        return f"[{name}]".encode()  # unknown entity (e.g. an image reference): keep its name visibly
    return char.encode("utf-8")


def parse_xml(data: bytes) -> etree._Element:
    """Parse one XML document safely; undefined named entities are mapped, DOCTYPE dropped.

    Raises RecordError('xml', reason) with the parser's line and message on broken XML.
    """
    body = data
    if b"<!DOCTYPE" in body[:4096]:
        head, rest = body[:8192], body[8192:]
        head = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)  # a commented-out DOCTYPE must not confuse us
        body = _DOCTYPE_RE.sub(b"", head, count=1) + rest
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        first_error = exc
    except ValueError as exc:
        raise RecordError("xml", f"broken XML: {exc}") from None
    # Named HTML entities declared only in an external DTD (USPTO v2.5 `&rdquo;`, EPO `&mdash;`) are
    # mapped, and known publisher slips repaired explicitly (never lxml's silent recover mode): a bare
    # '&' (EPO `Kador & Partner`), a '<' opening no tag (`<First Embodiment`), and fragments that use a
    # namespace prefix without declaring it (DOCDB single files). Most documents need none of this,
    # so it runs only after a first parse failed.
    repaired = _ENTITY_RE.sub(_entity, body) if b"&" in body else body
    repaired = _BARE_AMP_RE.sub(b"&amp;", repaired)
    repaired = _BARE_LT_RE.sub(b"&lt;", repaired)
    prefixes = set(_UNDECLARED_RE.findall(repaired)) - set(re.findall(rb"xmlns:([\w.-]+)=", repaired))
    for prefix in prefixes:
        repaired = re.sub(rb"<(/?)" + re.escape(prefix) + rb":", rb"<\1", repaired)
    if repaired != body:
        try:
            return etree.fromstring(repaired, _PARSER)
        except etree.XMLSyntaxError as exc:
            # report the original error unless the repair got past it: it points at the real fault
            first_error = exc if exc.lineno > first_error.lineno else first_error
    raise RecordError("xml", f"broken XML: {first_error.msg} (line {first_error.lineno})") from None


def local(tag: object) -> str:
    """Tag name without namespace."""
    text = str(tag)
    return text.rsplit("}", 1)[-1] if "}" in text else text.rsplit(":", 1)[-1]


def strip_namespaces(root: etree._Element) -> etree._Element:
    """Drop namespaces in place so XPath can use plain names (CNIPA new, ST.96, DOCDB)."""
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    etree.cleanup_namespaces(root)
    return root


_WS_RE = re.compile(r"\s+")


def text_of(element: etree._Element | None, sep: str = " ") -> str:
    """All text inside an element, white space collapsed."""
    if element is None:
        return ""
    if not len(element):  # a leaf: no need to walk or join
        text = element.text or ""
        return " ".join(text.split()) if "\n" in text or "  " in text or "\t" in text else text.strip()
    if sep == " ":  # C-level text serialisation, then white space folded (str.split beats a regex)
        return " ".join(etree.tostring(element, method="text", encoding="unicode", with_tail=False).split())
    return " ".join(sep.join(element.itertext()).split())


@functools.lru_cache(maxsize=4096)
def _xpath(path: str) -> etree.XPath:
    return etree.XPath(path, smart_strings=False)


def xpath(root: etree._Element, path: str) -> list[Any]:
    """XPath with the compiled expression cached (parsers run the same paths thousands of times)."""
    return _xpath(path)(root)  # type: ignore[no-any-return]


def first_text(root: etree._Element, path: str) -> str:
    """Text of the first node an XPath finds (element text or attribute value), or ''."""
    if root is None:
        return ""
    if _is_simple(path):  # plain child path: ElementPath is several times faster than XPath
        node = root.find(path)
        return text_of(node) if node is not None else ""
    found = _xpath(path)(root)
    if not found:
        return ""
    node = found[0]
    if isinstance(node, str):
        return node.strip()
    return text_of(node)


@functools.lru_cache(maxsize=4096)
def _is_simple(path: str) -> bool:
    return bool(_SIMPLE_PATH_RE.match(path))


_SIMPLE_PATH_RE = re.compile(r"^(\.//)?[A-Za-z_][\w.\-]*(/[A-Za-z_][\w.\-]*)*$")


FieldSpec = str | Callable[[etree._Element], Any]


def extract(root: etree._Element, spec: Mapping[str, FieldSpec]) -> dict[str, Any]:
    """Declarative mapping: each field is an XPath (first text) or a function of the root."""
    out: dict[str, Any] = {}
    for name, how in spec.items():
        out[name] = first_text(root, how) if isinstance(how, str) else how(root)
    return out

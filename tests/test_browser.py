"""The web platform in a real browser: Debian's chromium driven by Playwright, over the bundled sample.

A user logs in, searches in Chinese and with fields, refines by a facet, opens a patent, saves a
thematic database, sees its navigation dashboard draw its charts, downloads the Excel report and
opens it, and switches to English. Screenshots of each page go to `test-artifacts/` (or
`$IPNAV_ARTIFACTS`).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
import uvicorn

from ipnav.config import Settings
from ipnav.web.app import create_app
from tests.conftest import ROOT, run_cli

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("IPNAV_ARTIFACTS", ROOT / "test-artifacts"))
PASSWORD = "browser-test-1"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true", reason="Debian chromium is installed by scripts/setup.sh"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


DEMO: dict[str, str] = {}  # what `ipnav demo` printed: the admin password


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ws = tmp_path_factory.mktemp("browser") / "ws"
    built = run_cli("demo", "--no-serve", workspace=ws)  # the newcomer's path: sample, home region, admin
    assert built.returncode == 0, built.stderr
    found = re.search(r"admin account: admin / (\S+)", built.stdout)
    assert found, built.stdout
    DEMO["admin_password"] = found.group(1)
    again = run_cli("demo", "--no-serve", workspace=ws)
    assert again.returncode == 0 and "admin account" not in again.stdout  # the password is printed once
    assert run_cli("user", "add", "ana", "--role", "analyst", workspace=ws, stdin=PASSWORD + "\n").returncode == 0
    port = _free_port()
    config = uvicorn.Config(create_app(Settings.load(ws)), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield instance
        instance.close()


def _shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _login(page: object, server: str, name: str, password: str) -> None:
    """Sign in through the login form; the home page follows."""
    page.goto(server + "/login")  # type: ignore[attr-defined]
    page.fill("input[name=name]", name)  # type: ignore[attr-defined]
    page.fill("input[name=password]", password)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url(server + "/")  # type: ignore[attr-defined]


def _signed_in(browser: object, server: str, name: str, password: str) -> tuple[Any, Any, list[str]]:
    """A Chinese-locale browser context signed in as `name`: (context, page, console violations). The user asked
    for reduced motion: charts are drawn at once, so a click lands on an item, not on one still moving in."""
    context = browser.new_context(locale="zh-CN", reduced_motion="reduce")  # type: ignore[attr-defined]
    page = context.new_page()
    violations = _watch_console(page)
    _login(page, server, name, password)
    return context, page, violations


def _in_chinese(page: Any) -> None:
    """Switch the page to Chinese when the user's language is English."""
    if page.evaluate("document.documentElement.lang") == "en":
        page.click("#lang-switch")
        page.wait_for_load_state()


def _watch_console(page: object) -> list[str]:
    """CSP violations (Chromium logs each refused script, style, image or frame) and script errors."""
    found: list[str] = []

    def console(message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if "Content Security Policy" in text or text.startswith("Refused to"):
            found.append(text)

    page.on("console", console)  # type: ignore[attr-defined]
    # a script error with where it was thrown (CI once saw one that no local run repeats)
    page.on("pageerror", lambda e: found.append(f"{e} @ {page.url}: {(e.stack or '')[:400]}"))  # type: ignore[attr-defined]
    return found


def test_a_user_session_end_to_end(server: str, browser: object, tmp_path: Path) -> None:
    # a user who asked for no motion: the charts are drawn at once, no animation runs under the screenshots
    context = browser.new_context(accept_downloads=True, locale="zh-CN", reduced_motion="reduce")  # type: ignore[attr-defined]
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server) else None)
    violations = _watch_console(page)

    page.goto(server + "/search?q=电池")
    assert page.url.startswith(server + "/login")  # private by default
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit].primary")
    assert "用户名或密码错误" in page.inner_text(".error")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(server + "/search?q=*")
    total_chinese = int(page.inner_text("#total").replace(",", ""))
    assert total_chinese > 0 and page.locator(".hit em").count() > 0  # highlights
    _shot(page, "01-search-chinese")

    page.fill("#q", "")
    page.click("#builder summary")
    page.select_option("#b-field", "ti")
    page.fill("#b-value", "电池")
    page.click("#b-add")
    assert page.input_value("#q") == "ti=电池"
    page.click("#search-go")
    fielded = int(page.inner_text("#total").replace(",", ""))
    assert 0 < fielded <= total_chinese
    page.locator("a.facet").first.click()
    refined = int(page.inner_text("#total").replace(",", ""))
    assert 0 < refined <= fielded and "AND" in page.input_value("#q")
    _shot(page, "02-search-refined")

    page.fill("#q", "ti=(")
    page.click("#search-go")
    assert "position" in page.inner_text("#q-error")  # the syntax message next to the box

    page.goto(server + "/search?q=" + "ti=电池")
    page.locator(".hit a.title").first.click()
    page.wait_for_selector("#value-score")
    assert page.inner_text("#value-score").strip() != ""
    _shot(page, "03-patent")
    page.goto(server + "/patents/CN2126496")
    assert "本库中没有号码为 CN2126496 的专利" in page.inner_text(".error")  # in the user's language
    assert page.locator("main ul a").count() > 0  # with close numbers to follow
    _shot(page, "04-not-found")

    page.goto(server + "/search?q=" + "ti=电池")
    page.fill(".savetopic input[name=name]", "电池专题")
    page.click("#save-topic")
    page.wait_for_url(server + "/navigate?selection=*")
    page.wait_for_selector(".chart canvas")
    page.wait_for_timeout(1500)  # ECharts animates in
    painted = page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart canvas')).filter(c => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < data.length; i += 4 * 97) if (data[i] > 0) return true;
            return false;
        }).length"""
    )
    assert painted >= 10, painted
    _shot(page, "05-navigation")

    with page.expect_download() as download:
        page.click("#report-xlsx")
    target = tmp_path / "report.xlsx"
    download.value.save_as(target)
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) > 10

    page.goto(server + "/topics")
    assert "电池专题" in page.inner_text("#topic-list")
    page.goto(server + "/indicators?name=applications&by=province")
    assert page.locator("#indicator-table").count() == 1
    _shot(page, "06-indicators")
    page.goto(server + "/ingest")
    _shot(page, "07-ingest")

    page.click("#lang-switch")
    page.wait_for_load_state()
    assert "Ingest status" in page.inner_text("h1")
    page.goto(server + "/")
    assert "Search" in page.inner_text("header nav")  # remembered for the user
    _shot(page, "08-home-english")
    assert external == [], external  # nothing loaded from the internet
    assert violations == [], violations  # the pages satisfy their Content-Security-Policy
    context.close()


def test_plan_monitoring_page(server: str, browser: object, tmp_path: Path) -> None:
    context = browser.new_context(accept_downloads=True, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server) else None)
    violations = _watch_console(page)
    page.goto(server + "/login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    page.goto(server + "/plans")
    page.click("text=常州市国家知识产权强市建设试点城市工作方案(2022-2025年)")
    page.wait_for_url(server + "/plans/changzhou-2022-2025*")
    page.fill("#plan-asof input[name=as_of]", "2024-06-30")
    page.click("#plan-asof button[type=submit]")
    page.wait_for_url(server + "/plans/changzhou-2022-2025?as_of=2024-06-30")
    assert page.locator("#phases .phase-done").count() == 2 and page.locator("#phases .phase-current").count() == 1
    for date, value in (("2023-12-31", "3500"), ("2024-06-30", "4800")):  # trainees stay manual
        card = page.locator("#ind-trainees")
        card.locator("summary").click()
        card.locator("input[name=date]").fill(date)
        card.locator("input[name=value]").fill(value)
        card.locator("input[name=source]").fill("市知识产权局统计")
        card.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert "trainees: 4800" in page.inner_text("#plan-notice")
    assert "4800" in page.inner_text("#ind-trainees")
    assert "status-on_track" in (page.get_attribute("#ind-trainees", "class") or "")
    page.wait_for_timeout(800)
    painted = page.evaluate(
        """() => { const c = document.querySelector('#ind-trainees .chart canvas');
            if (!c) return false;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; }"""
    )
    assert painted
    page.select_option("#unit-filter", "市版权局")
    page.click("#tasks form[method=get] button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("#task-table tbody tr")
    assert 0 < rows.count() < 43
    _shot(page, "09-plan")
    with page.expect_download() as download:
        page.click("#report-docx")
    target = tmp_path / "plan.docx"
    download.value.save_as(target)
    from docx import Document

    assert "一、总体情况" in [p.text for p in Document(str(target)).paragraphs]
    assert external == [], external
    assert violations == [], violations
    context.close()


def test_home_page_is_the_demo_regions_dashboard(server: str, browser: object) -> None:
    context, page, violations = _signed_in(browser, server, "admin", DEMO["admin_password"])  # as demo printed it
    assert "重庆市" in page.inner_text("h1")
    figures = page.locator("#headline .figure")
    assert figures.count() == 4
    valid_per_10k = page.locator("[data-indicator=valid_invention_per_10k] .big").inner_text()
    assert float(valid_per_10k.split()[0]) > 0  # 每万人口发明专利拥有量 of 重庆市, not 0
    assert int(page.locator("[data-indicator=valid_invention] .big").inner_text().split()[0]) > 0
    card = page.locator("[data-indicator=valid_invention_per_10k]").inner_text()
    assert "规划目标" in card and "chongqing-2015-2020" in card  # the shipped plan's target beside it
    assert "地区依据" in card and "申请人名称中的地名" in card  # what the figure rests on
    assert "统计日" in card
    page.wait_for_function("document.querySelector('#indicator-map canvas') !== null")  # 重庆's county map
    body = page.inner_text("main")
    assert "主要申请人" in body and "重庆邮电大学" in body
    assert "无法确定地区" in body and "规划实施情况" in body
    _shot(page, "10-home-region-dashboard")
    assert violations == []
    context.close()


def _click_chart(page: object, kind: str, point_js: str) -> None:
    """Click the chart of `kind` where `point_js` (an expression of `chart` and `option`) puts an item."""
    selector = f".chart[data-kind={kind}]"
    page.wait_for_function(f"document.querySelector('{selector} canvas') !== null")  # type: ignore[attr-defined]
    page.wait_for_timeout(1200)  # ECharts animates in
    x, y = page.evaluate(  # type: ignore[attr-defined]
        f"""() => {{
            const el = document.querySelector('{selector}');
            el.scrollIntoView({{block: 'center'}});
            const chart = window.echarts.getInstanceByDom(el);
            const option = chart.getOption();
            const [px, py] = {point_js};
            const box = el.getBoundingClientRect();
            return [box.left + px, box.top + py];
        }}"""
    )
    page.mouse.click(x, y)  # type: ignore[attr-defined]


def test_drill_down_from_a_bar_and_a_map_region(server: str, browser: object) -> None:
    context, page, violations = _signed_in(browser, server, "ana", PASSWORD)
    page.goto(server + "/navigate?selection=" + quote("ti=虚拟现实"))
    answer = page.request.get(server + "/api/analyze/applicants?selection=" + quote("ti=虚拟现实")).json()
    top = answer["rows"][0]
    # the top applicant is the last category of the horizontal bars: click half-way along its bar
    _click_chart(page, "applicants", f"chart.convertToPixel({{seriesIndex: 0}}, [{top['applications']} / 2, "
                 "option.yAxis[0].data[option.yAxis[0].data.length - 1]])")  # fmt: skip
    page.wait_for_url(server + "/search?q=*")
    assert page.input_value("#q") == top["drill"]
    assert int(page.inner_text("#total").replace(",", "")) == top["applications"]
    _shot(page, "11-drill-from-bar")

    page.goto(server + "/navigate?selection=" + quote("ti=虚拟现实"))
    regions = page.request.get(server + "/api/analyze/regions?selection=" + quote("ti=虚拟现实")).json()
    first = regions["rows"][0]
    center = page.request.get(server + "/assets/china.json").json()
    feature = next(f for f in center["features"] if f["properties"]["name"].startswith(first["applicant_province"][:2]))
    lng, lat = feature["properties"].get("cp") or feature["properties"]["center"]
    _click_chart(page, "regions", f"chart.convertToPixel({{seriesIndex: 0}}, [{lng}, {lat}])")
    page.wait_for_url(server + "/search?q=*")
    assert page.input_value("#q") == first["drill"]
    assert int(page.inner_text("#total").replace(",", "")) == first["applications"]
    _shot(page, "12-drill-from-map")
    assert violations == []
    context.close()


def test_search_within_results_and_number_lookup(server: str, browser: object) -> None:
    context, page, violations = _signed_in(browser, server, "ana", PASSWORD)
    page.goto(server + "/search?q=" + quote("ti=虚拟现实"))
    wide = int(page.inner_text("#total").replace(",", ""))
    page.fill("#q", "pa=深圳")
    page.check("#within")  # 二次检索: the new terms within these hits
    page.click("#search-go")
    page.wait_for_selector("#within-trail")
    narrow = int(page.inner_text("#total").replace(",", ""))
    assert 0 < narrow < wide and "ti=虚拟现实" in page.inner_text("#within-trail")
    _shot(page, "13-search-within")
    page.click("#within-undo")
    page.wait_for_selector("#total")
    assert int(page.inner_text("#total").replace(",", "")) == wide

    page.goto(server + "/lookup")
    page.fill("#numbers", "CN212649604U\nCN202021611008.9\nCN999999\n")
    page.click("#lookup-go")
    page.wait_for_selector("#lookup-result")
    assert page.inner_text("#found-count") == "2" and page.inner_text("#not-found-count") == "1"
    assert "CN999999" in page.inner_text("#not-found")
    _shot(page, "14-number-lookup")
    page.locator("#found a").first.click()
    page.wait_for_selector("#value-score")
    timeline = page.locator("#timeline tbody tr")
    # filing first, then the publications (ana may have chosen English in another test: classes, not words)
    assert timeline.count() >= 2 and timeline.first.get_attribute("class") == "event-filing"
    assert page.locator("#family li").count() >= 1
    _shot(page, "15-patent-timeline")
    assert violations == []
    context.close()


def test_hit_table_selection_export_and_topic_curation(server: str, browser: object, tmp_path: Path) -> None:
    context, page, violations = _signed_in(browser, server, "ana", PASSWORD)
    page.goto(server + "/topics")
    page.fill("#topic-create input[name=name]", "浏览器专题")
    page.fill("#topic-create input[name=query]", "ti=区块链")
    page.click("#topic-create button[type=submit]")
    page.wait_for_url(server + "/navigate?selection=*")

    page.goto(server + "/search?q=" + quote("ti=电池"))
    page.click("#columns summary")  # the hit table's columns as the user wants them, kept after a reload
    page.uncheck("input.col-choice[value=value]")
    page.check("input.col-choice[value=main_ipc]")
    assert page.locator("th[data-col=main_ipc]").is_visible() and not page.locator("th[data-col=value]").is_visible()
    page.reload()
    assert page.locator("th[data-col=main_ipc]").is_visible() and not page.locator("th[data-col=value]").is_visible()
    picks = page.locator("#hit-table input.pick")
    picks.nth(0).check()
    picks.nth(1).check()
    page.click("#next-page")  # the choice is kept across pages of the same query
    page.wait_for_selector("#hit-table")
    page.locator("#hit-table input.pick").nth(0).check()
    assert page.inner_text("#selected-count") == "3"
    _shot(page, "16-hit-table-selection")
    with page.expect_download() as download:
        page.click("#export-selected")
    target = tmp_path / "selected.xlsx"
    download.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None and sheet.max_row == 4  # the header and the three chosen hits

    page.select_option("#topic-target", "浏览器专题")
    page.click("#add-to-topic")
    page.wait_for_selector("#search-notice")
    assert "浏览器专题" in page.inner_text("#search-notice")

    page.goto(server + "/topics")
    page.click("text=浏览器专题")
    page.wait_for_selector("#member-list")
    log = page.locator("#topic-log tbody tr")
    assert log.count() == 2  # created from the query, then three added by hand
    size = int(page.inner_text("#topic-size").replace(",", ""))
    page.fill("#add-numbers", "ZL201410408762.5\nCN999999")
    page.click("#topic-add button[type=submit]")
    page.wait_for_selector("#topic-change")
    assert "CN999999" in page.inner_text("#topic-change .error")  # the number not found is named
    assert int(page.inner_text("#topic-size").replace(",", "")) == size + 1
    first = page.locator("#member-list tbody tr").first
    first.locator("td.note input").fill("竞争对手核心专利")
    first.locator("button.save-note").click()
    page.wait_for_selector("#member-list td.note small")  # the note with its author and date
    rows = page.locator("#member-list tbody tr")
    rows.nth(1).locator("input.pick").check()
    rows.nth(2).locator("input.pick").check()
    page.click("#remove-selected")
    page.wait_for_selector("#topic-change")
    assert int(page.inner_text("#topic-size").replace(",", "")) == size - 1
    assert page.locator("#topic-log tbody tr").count() == 4
    assert page.locator("#member-list td.note input").first.input_value() == "竞争对手核心专利"
    _shot(page, "17-topic-curation")

    page.goto(server + "/search")  # the history re-runs a search in one click
    page.locator("#my-searches ol.history a").first.click()
    page.wait_for_selector("#total")
    assert "q=" in page.url
    _shot(page, "18-search-history")
    assert violations == []
    context.close()


def test_trademark_search_mark_page_and_navigation(server: str, browser: object) -> None:
    """An analyst searches marks by pinyin, opens a Chinese mark (goods by class and similar group, events),
    sees a US mark's image read from its TSDR zip, and draws the trademark navigation, whose items open
    the marks they count."""
    context, page, violations = _signed_in(browser, server, "ana", PASSWORD)
    page.goto(server + "/trademarks")
    _in_chinese(page)  # ana may have chosen English in another test
    page.fill("#tm-q", "longcheng")  # pinyin of 龙城
    page.click("#tm-go")
    page.wait_for_load_state()
    assert int(page.inner_text("#tm-total").replace(",", "")) >= 1
    page.click("#tm-hits a.title >> text=龙城智造")
    page.wait_for_url(re.compile(r".*/trademarks/CN61234502$"))
    assert "已注册" in page.inner_text("#tm-status")
    goods = page.inner_text("#tm-goods")
    assert "第9类" in goods and "0901" in goods and "电子计算机及其外部设备" in goods
    assert "注册公告" in page.inner_text("#tm-events")
    _shot(page, "11-trademark")
    page.goto(server + "/trademarks/US76044902")
    image = page.locator("#tm-image img")
    assert image.count() == 1
    page.wait_for_function("document.querySelector('#tm-image img').naturalWidth > 0")
    page.goto(server + "/trademarks/navigate?selection=all")
    page.wait_for_function("document.querySelector('#tm-tm_classes .chart canvas') !== null")
    marks = int(page.inner_text("#tm-nav-marks").replace(",", ""))
    assert marks >= 17
    _shot(page, "12-trademark-navigation")
    table = page.locator("#tm-tm_classes details")
    table.locator("summary").click()
    first = table.locator("tbody tr").first
    counted = int(first.locator("td").nth(1).inner_text())
    first.locator("a.drill").click()
    page.wait_for_load_state()
    assert int(page.inner_text("#tm-total").replace(",", "")) == counted
    assert violations == [], violations
    context.close()


def test_trademark_watch_risk_and_inbox_pages(server: str, browser: object) -> None:
    """An analyst saves a trademark search, adds a watch from the watch page and sees the similar mark of
    another owner with its opposition deadline; the risk page shows its thresholds and reasons; the inbox
    gives the feed address."""
    context, page, violations = _signed_in(browser, server, "ana", PASSWORD)
    page.goto(server + "/trademarks")
    _in_chinese(page)  # ana may have chosen English in another test
    page.fill("#tm-q", "longcheng")
    page.click("#tm-go")
    page.wait_for_load_state()
    page.fill("#tm-save-search input[name=name]", "龙城商标")  # its new marks will raise alerts
    page.click("#tm-save-search button[type=submit]")
    page.wait_for_load_state()
    assert "龙城商标" in page.inner_text("#tm-saved") and page.input_value("#tm-q") == "longcheng"
    page.click("#tm-tools >> text=商标监测")
    page.wait_for_url(re.compile(r".*/trademarks/watches$"))
    page.fill("#watch-name", "龙城监测")
    page.fill("#watch-mark", "龍城智造")
    page.fill("#watch-classes", "9")
    page.click("#watch-save")
    page.wait_for_load_state()
    card = page.locator("section.watch[data-watch='龙城监测']")
    assert card.count() == 1
    row = card.locator("tbody tr").first
    assert "龙城智造" in row.inner_text() and "文字相同" in row.inner_text()
    assert row.locator("td.deadline").inner_text() == "2021-12-27"  # 初审公告 2021-09-27 + 3 months
    assert "商标法第三十三条" in card.inner_text()
    _shot(page, "19-trademark-watch")
    page.goto(server + "/trademarks/risk")
    assert page.locator("#risk-thresholds tbody tr").count() >= 10
    assert "marks_per_day" in page.inner_text("#risk-thresholds")
    page.goto(server + "/inbox")
    page.fill("#inbox-email input[name=email]", "ana@example.org")  # where her alerts are mailed
    page.click("#inbox-email button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value("#inbox-email input[name=email]") == "ana@example.org"
    assert page.locator("#feed-link").get_attribute("href").startswith("/feeds/")
    feed = page.request.get(server + page.locator("#feed-link").get_attribute("href"))
    assert feed.status == 200 and "<feed" in feed.text()
    page.goto(server + "/trademarks/watches")
    card = page.locator("section.watch[data-watch='龙城监测']")
    page.once("dialog", lambda dialog: dialog.accept())
    card.locator("button.danger").click()
    page.wait_for_load_state()
    assert page.locator("section.watch[data-watch='龙城监测']").count() == 0
    assert violations == [], violations
    context.close()


def test_analyst_uploads_a_gi_list_and_a_pledge_list_and_the_plan_counts_them(
    server: str, browser: object, tmp_path: Path
) -> None:
    """An analyst uploads a list of GIs and a pledge registration list on their register pages (a wrong file
    is refused by its headers, a bad row is named), and the Ningxia plan shows the values computed from them
    with the indicator behind each."""
    context, page, violations = _signed_in(browser, server, "ana", PASSWORD)
    page.goto(server + "/plans/ningxia-2021-2025?as_of=2025-12-31")
    _in_chinese(page)
    before_gi = page.inner_text("#ind-gi_products")
    gi = tmp_path / "宁夏地理标志保护产品.csv"
    gi.write_text(
        "产品名称,地理标志类型,批准公告号,批准公告日,申请机构,省份,市,区县\n"
        "贺兰山东麓葡萄酒(示例),地理标志保护产品,2011年第13号,2011-01-30,宁夏回族自治区人民政府,宁夏回族自治区,银川市,\n"
        "灵武长枣(示例),地理标志保护产品,2009年第54号,2009-04-21,灵武市人民政府,宁夏回族自治区,银川市,灵武市\n"
        "坏日期示例,地理标志保护产品,2012年第1号,去年,某县人民政府,宁夏回族自治区,吴忠市,\n",
        encoding="utf-8",
    )
    pledges = tmp_path / "宁夏质押登记.csv"
    pledges.write_text(
        "出质人,质权人,质押登记号,质押登记日,质押金额(万元),知识产权类型,专利号/商标号,行政区划代码\n"
        "宁夏示例装备有限公司,宁夏示例银行股份有限公司,Y2025640000777,2025-08-18,1400,专利,ZL202310000777.1,640106\n",
        encoding="utf-8",
    )
    page.goto(server + "/registers")
    page.click("section.register[data-register='gi'] h2 a")
    page.wait_for_url(server + "/registers/gi")
    page.set_input_files("#register-files", str(pledges))  # the wrong list for this page
    page.click("#register-upload-go")
    page.wait_for_load_state()
    assert "不是地理标志名录" in page.inner_text("main")
    page.goto(server + "/registers/gi")
    page.set_input_files("#register-files", str(gi))
    page.click("#register-upload-go")
    page.wait_for_selector("#job-summary", timeout=120_000)  # the page follows the job until it ends
    assert page.inner_text("#job-rejected") == "1"
    assert "not a date: '去年'" in page.inner_text("#upload-rejects")
    page.fill("#register-q", "灵武长枣")
    page.click("#register-go")
    page.wait_for_load_state()
    page.click("#register-records a.title")
    page.wait_for_load_state()
    assert "640181" in page.inner_text("#record-region") and "所在地名" in page.inner_text("#record-region")
    _shot(page, "21-register-record")
    page.goto(server + "/registers/ip_transaction")
    page.set_input_files("#register-files", str(pledges))
    page.click("#register-upload-go")
    page.wait_for_selector("#job-summary", timeout=120_000)
    assert page.inner_text("#job-rejected") == "0"
    _shot(page, "22-register-upload")
    page.goto(server + "/plans/ningxia-2021-2025?as_of=2025-12-31")
    gi_card, pledge_card = page.locator("#ind-gi_products"), page.locator("#ind-pledge_financing")
    assert gi_card.inner_text() != before_gi and "3" in gi_card.locator(".latest").inner_text()
    assert "0.4" in pledge_card.locator(".latest").inner_text()  # 2,600 + 1,400 万元 since 2021
    link = pledge_card.locator("a[href^='/indicators?name=pledge_amount']")
    assert link.count() == 1
    link.click()
    page.wait_for_load_state()
    page.click("text=" + "计入的名录记录")
    page.wait_for_load_state()
    assert "Y2025640000777" in page.inner_text("#records-behind")
    _shot(page, "23-plan-register-values")
    assert violations == [], violations
    context.close()

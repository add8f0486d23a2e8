"""The topology page in a real browser (Debian's headless Chromium via Selenium) against the e2e mesh.

Sees three services and two edges, denies invoice -> tax by clicking, sees the edge turn denied
and order's calls fail; then changes made elsewhere (an intention through the CLI, a failing
check in Consul, a new job version in Nomad) show on the page within 2 s.
Set TOPOLOGY_SCREENSHOT=path.png to keep a screenshot of the page after the deny.
"""

import os
import shutil
import tempfile
import time

import pytest
import requests

from deployer.clients import Endpoints
from deployer.topology.ui.server import TopologyApp
from deployer.values import load_values
from tests.e2e.mesh import Deployer, order_response
from tests.fixtures.consul import deployer_token
from tests.mesh_values import values_on_free_ports

pytestmark = [pytest.mark.e2e, pytest.mark.devagent, pytest.mark.consul, pytest.mark.envoy]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LIVE_WITHIN = 2.0  # seconds from a change to the page showing it

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip("Debian's chromium and chromium-driver are not installed (make tools installs them)",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402 - only once we know there is a browser to drive
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def browser():
    """Headless Chromium with a throwaway profile; nothing is downloaded (driver path given)."""
    profile = tempfile.mkdtemp(prefix="topology-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
                 "--window-size=1300,520"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def mesh(tmp_path, consul_factory, devagent_factory, capsys):
    """The dev values on free ports, applied to a fresh Consul and devagent with Envoy sidecars."""
    consul = consul_factory()
    agent = devagent_factory(sidecar="envoy", consul=consul)
    values, order_port = values_on_free_ports(tmp_path)
    token = deployer_token(consul)  # the page reads Consul as the deployer does
    deployer = Deployer(agent.address, consul.http_addr, values, capsys, consul_token=token)
    applied = deployer("apply")
    assert applied.code == 0, applied.out + applied.err
    return deployer, Endpoints.resolve(agent.address, None, consul.http_addr, token or None), values, order_port


@pytest.fixture
def page(mesh, browser):
    """`deployer ui`'s app on a free loopback port, loaded in the browser."""
    _, endpoints, values, _ = mesh
    app = TopologyApp(endpoints, load_values(values), port=0).start()
    browser.get(app.url)
    yield browser
    app.close()


# The page replaces its SVG and details when the mesh changes: read them in one script call, so an
# element never goes stale between finding and reading it.
def edge_state(browser, key: str) -> str | None:
    return browser.execute_script(
        "const e = document.querySelector(`#graph g.edge[data-edge=\"${arguments[0]}\"]`);"
        "return e ? e.dataset.state : null;", key)


def names(browser, selector: str, attribute: str) -> list[str]:
    return browser.execute_script(
        "return [...document.querySelectorAll('#graph ' + arguments[0])].map(e => e.dataset[arguments[1]]);",
        selector, attribute)


def click(browser, selector: str) -> None:
    """Click as a user does; if the page re-rendered the element meanwhile, find it again."""
    def clicked(b):
        b.find_element(By.CSS_SELECTOR, selector).click()
        return True
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(clicked)


def edge_figures(browser, key: str) -> str:
    return browser.execute_script(
        "return [...document.querySelectorAll(`#graph g.edge[data-edge=\"${arguments[0]}\"] text.figures`)]"
        ".map(t => t.textContent).join(' | ');", key)


def node_attribute(browser, name: str, what: str) -> str | None:
    """A node's data-status ("status") or its text ("text"), read in one script call."""
    return browser.execute_script(
        "const n = document.querySelector(`#graph g.node[data-node=\"${arguments[0]}\"]`);"
        "if (!n) return null; return arguments[1] === 'status' ? n.dataset.status : n.textContent;", name, what)


def text_of(browser, element_id: str) -> str:
    return browser.execute_script("const e = document.getElementById(arguments[0]); return e ? e.innerText : '';",
                                  element_id)


def test_deny_by_clicking_and_see_it_live(mesh, page):
    deployer, _, _, order_port = mesh
    wait = WebDriverWait(page, 15)

    # three services, two edges, both allowed and confirmed by a probe
    wait.until(lambda b: names(b, "g.node", "node") == ["order", "invoice", "tax"])
    assert names(page, "g.edge", "edge") == ["order->invoice", "invoice->tax"]
    wait.until(lambda b: edge_state(b, "order->invoice") == "allowed" and edge_state(b, "invoice->tax") == "allowed")
    assert order_response(order_port).status_code == 200

    # click the edge: its intention shows, and figures from the sidecars' own statistics
    click(page, '#graph g.edge[data-edge="invoice->tax"] text.action')
    wait.until(lambda b: "invoice -> tax: allow (managed by the deployer)" in text_of(b, "edge-facts"))
    for _ in range(5):
        assert order_response(order_port).status_code == 200
    wait.until(lambda b: "requests" in text_of(b, "edge-facts") and "RBAC denials" in text_of(b, "edge-facts"))
    click(page, "#deny")
    wait.until(lambda b: "enforced by tax's sidecar" in text_of(b, "message"))
    wait.until(lambda b: edge_state(b, "invoice->tax") == "denied")   # denied, and confirmed in the data plane
    assert edge_state(page, "order->invoice") == "allowed"
    failed = order_response(order_port)
    assert failed.status_code == 502 and failed.json()["failed_hop"] == "invoice -> tax", failed.text
    # the sidecars' own figures show it: invoice's calls to tax now fail, tax's sidecar denies them
    wait.until(lambda b: "% err" in edge_figures(b, "invoice->tax") and " 0% err" not in edge_figures(b, "invoice->tax"))
    wait.until(lambda b: "/s (all callers)" in text_of(b, "edge-facts")
               and "0.0 /s (all callers)" not in text_of(b, "edge-facts"))
    if os.environ.get("TOPOLOGY_SCREENSHOT"):
        time.sleep(0.5)  # let the details panel settle for the picture
        page.save_screenshot(os.environ["TOPOLOGY_SCREENSHOT"])

    # a change made elsewhere (the CLI) shows on the page within LIVE_WITHIN seconds
    allowed = deployer("intentions", "allow", "invoice", "tax")
    assert allowed.code == 0, allowed.out + allowed.err
    start = time.monotonic()
    WebDriverWait(page, LIVE_WITHIN, poll_frequency=0.05).until(
        lambda b: edge_state(b, "invoice->tax") == "allowed")
    shown_after = time.monotonic() - start
    assert shown_after <= LIVE_WITHIN
    assert order_response(order_port).status_code == 200


def test_failing_check_and_new_version_show_within_2s(mesh, page):
    _, endpoints, _, _ = mesh
    consul, nomad = endpoints.consul_addr, endpoints.nomad_addr
    # under ACLs the deployer's token (service:write on tax) may put a check on tax
    token = {"X-Consul-Token": endpoints.consul_token} if endpoints.consul_token else {}
    WebDriverWait(page, 15).until(lambda b: node_attribute(b, "tax", "status") == "passing")

    # a check of tax turns critical in Consul
    instance = requests.get(f"{consul}/v1/health/service/tax", headers=token, timeout=5).json()[0]["Service"]["ID"]
    check = {"ID": "topology-test-failing", "Name": "failing on purpose", "ServiceID": instance,
             "TTL": "60s", "Status": "critical"}
    assert requests.put(f"{consul}/v1/agent/check/register", json=check, headers=token, timeout=5).ok
    try:
        WebDriverWait(page, LIVE_WITHIN, poll_frequency=0.05).until(
            lambda b: node_attribute(b, "tax", "status") == "critical")
    finally:
        requests.put(f"{consul}/v1/agent/check/deregister/topology-test-failing", headers=token, timeout=5)
    WebDriverWait(page, LIVE_WITHIN, poll_frequency=0.05).until(
        lambda b: node_attribute(b, "tax", "status") == "passing")

    # a new version of tax is registered in Nomad
    job = requests.get(f"{nomad}/v1/job/tax", timeout=5).json()
    assert job["Version"] == 0
    job["Meta"] = {**(job.get("Meta") or {}), "topology-test": "new version"}
    assert requests.post(f"{nomad}/v1/jobs", json={"Job": job}, timeout=10).ok
    WebDriverWait(page, LIVE_WITHIN, poll_frequency=0.05).until(
        lambda b: "v1 · " in node_attribute(b, "tax", "text"))

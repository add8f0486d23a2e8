"""NOMAD_NAMESPACE and NOMAD_REGION reach every Nomad request the deployer makes, python-nomad's and its own."""

import requests

from deployer.clients import Clients, Endpoints


def record_sends(session: requests.Session) -> list[str]:
    """Answer every request with an empty JSON list and note its URL."""
    urls = []

    def send(request, **kwargs):
        urls.append(request.url)
        response = requests.Response()
        response.status_code, response._content = 200, b"[]"
        response.headers["X-Nomad-Index"] = "1"
        return response

    session.send = send
    return urls


def test_the_namespace_and_region_go_with_python_nomads_calls_and_the_raw_ones():
    endpoints = Endpoints.resolve(nomad_addr="http://127.0.0.1:1", consul_addr="http://127.0.0.1:2",
                                  env={"NOMAD_NAMESPACE": "team", "NOMAD_REGION": "eu"})
    clients = Clients(endpoints)
    urls = record_sends(clients.session)  # python-nomad's calls share this session
    clients.nomad.jobs.get_jobs()
    clients.nomad_get("/v1/job/api/allocations", {"index": "3"})
    assert len(urls) == 2
    for url in urls:
        assert "namespace=team" in url and "region=eu" in url, url
    assert "index=3" in urls[1]


def test_without_them_no_namespace_is_sent():
    endpoints = Endpoints.resolve(nomad_addr="http://127.0.0.1:1", consul_addr="http://127.0.0.1:2", env={})
    assert (endpoints.nomad_namespace, endpoints.nomad_region) == (None, None)

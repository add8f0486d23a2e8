"""Bootstrap Consul's ACLs for `make up` and create the policies (acl/policies/*.hcl) and tokens.

usage: consul-acl.py RUN_DIR    (Consul at $CONSUL_HTTP_ADDR)

Writes RUN_DIR/consul-management.token, consul-agent.token, devagent.token and deployer.token,
each mode 0600, and prints no secret. Safe to run again: tokens that still work are kept.
Exit 0 with nothing written when the agent has ACLs off; 1 with one error line otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devagent.consul_acl import ConsulACL, install_policies  # noqa: E402
from devagent.consul_client import ConsulError  # noqa: E402

TOKENS = {  # file stem: (policy, description)
    "consul-agent": ("consul-agent", "consul agent token (make up)"),
    "devagent": ("devagent", "devagent: Nomad's consul.token (make up)"),
    "deployer": ("deployer", "deployer (make up)"),
}


def works(address: str, secret: str) -> bool:
    """Whether Consul still knows the token (GET /v1/acl/token/self)."""
    try:
        return requests.get(f"http://{address}/v1/acl/token/self", headers={"X-Consul-Token": secret}, timeout=5).ok
    except requests.RequestException:
        return False


def write_secret(path: Path, secret: str) -> None:
    """Write a token file that only its owner can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret)
    os.chmod(path, 0o600)


def read_secret(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


def management_token(address: str, run: Path) -> str | None:
    """The kept management token, or a new one from the bootstrap; None when ACLs are off."""
    path = run / "consul-management.token"
    kept = read_secret(path)
    if kept and works(address, kept):
        return kept
    try:
        token = ConsulACL(address).bootstrap(timeout=30)
    except ConsulError as exc:
        if "ACL support disabled" in str(exc):
            return None
        if "already done" in str(exc):
            raise ConsulError(f"Consul at {address} was bootstrapped before and {path} holds no working "
                             "management token") from exc
        raise
    write_secret(path, token.secret)
    print(f"consul-acl: bootstrapped the ACL system; management token in {path} (0600)")
    return token.secret


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    run = Path(argv[0])
    run.mkdir(parents=True, exist_ok=True)
    address = (os.environ.get("CONSUL_HTTP_ADDR") or "127.0.0.1:8500").removeprefix("http://")
    try:
        management = management_token(address, run)
        if management is None:
            print(f"consul-acl: ACLs are off at {address}: no tokens needed")
            return 0
        acl = ConsulACL(address, management)
        install_policies(acl)
        for stem, (policy, description) in TOKENS.items():
            path = run / f"{stem}.token"
            if works(address, read_secret(path)):
                continue
            token = acl.create_token(description, policies=[policy])
            write_secret(path, token.secret)
            print(f"consul-acl: token for {stem} (policy {policy}, accessor {token.accessor}) in {path} (0600)")
        acl.set_agent_token(read_secret(run / "consul-agent.token"))
    except ConsulError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("hint: `make down` then `make up` starts a fresh Consul; see acl/policies/ for what each token may do",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

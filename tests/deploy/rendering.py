"""The repository's deploy files with a test's paths and ports in place of the production ones.

Only the placeholders change (the code, data and socket folders, the listening ports, the TLS
snippet); every other line is the file as shipped, so what the tests exercise is what an
administrator installs. Each placeholder must be found, so that a renamed one fails here loudly.
"""

import os
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy"
NGINX_DIR = DEPLOY_DIR / "nginx"
SYSTEMD_DIR = DEPLOY_DIR / "systemd"
SITE = NGINX_DIR / "dugnad.conf"
TLS_INCLUDE = "include /etc/nginx/snippets/dugnad-tls.conf;"


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is no longer in the deploy file"
    return text.replace(old, new)


def _drop_ipv6_listens(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("listen [::]"))


def nginx_site(*, data_root: Path, run_dir: Path, redirect_port: int, listen_snippet: Path) -> str:
    """dugnad.conf serving ``data_root``/static and /media, proxying to sockets in ``run_dir``,
    redirecting on ``redirect_port`` and taking its main server's listen (and TLS) from the snippet."""
    text = SITE.read_text()
    text = _replace(text, "root /srv/dugnad;", f"root {data_root};")
    text = _replace(text, "unix:/run/dugnad/", f"unix:{run_dir}/")
    text = _replace(text, "listen 80;", f"listen 127.0.0.1:{redirect_port};")
    text = _replace(text, TLS_INCLUDE, f"include {listen_snippet};")
    return _drop_ipv6_listens(text)


def tls_snippet(name: str, *, port: int, certificate: Path, key: Path) -> str:
    """A TLS snippet (dugnad-tls.conf or dugnad-tls-load-balancer.conf) on a loopback port."""
    text = (NGINX_DIR / name).read_text()
    text = _replace(text, "listen 443 ", f"listen 127.0.0.1:{port} ")
    text = _replace(text, "/etc/ssl/dugnad/fullchain.pem", str(certificate))
    text = _replace(text, "/etc/ssl/dugnad/privkey.pem", str(key))
    return _drop_ipv6_listens(text)


def nginx_main(prefix: Path, site: Path) -> str:
    """A whole nginx.conf around the site, for a process that keeps all its files under ``prefix``."""
    temp = {kind: prefix / "temp" / kind for kind in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    # Run by root (CI), nginx would hand requests to "nobody", who may not enter pytest's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
daemon off;
events {{
    worker_connections 512;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


def systemd_unit(name: str, *, code_dir: Path) -> str:
    """A unit with ``code_dir`` in place of /srv/dugnad/app (so that its commands exist here)."""
    text = (SYSTEMD_DIR / name).read_text()
    return _replace(text, "/srv/dugnad/app", str(code_dir)) if name.endswith(".service") else text

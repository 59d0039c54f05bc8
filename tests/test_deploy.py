"""The shipped hosting files say what the README promises (no image is built here: that
needs a container daemon and its registry)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_image_runs_unprivileged_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    stages = dockerfile.split("\nFROM ")
    final = stages[-1]
    users = re.findall(r"^USER (\S+)", final, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert final.index("USER") < final.index("CMD")
    assert "HEALTHCHECK" in final and "/_stcore/health" in final
    assert "slim" in stages[0] and "slim" in final
    assert "--server.address=0.0.0.0" in final


def test_the_image_leaves_secrets_and_tests_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".git", ".venv", "tests", ".streamlit/secrets.toml"):
        assert entry in ignored


def test_compose_gives_the_app_postgresql_a_shared_cookie_secret_and_a_proxy() -> None:
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    for part in (
        "db:",
        "app:",
        "proxy:",
        "postgres:",
        "PLANNER_LIBRARY_URL: postgresql://",
        "STREAMLIT_SERVER_COOKIE_SECRET",
    ):
        assert part in compose
    assert "service_healthy" in compose  # the app waits for the database
    assert "${POSTGRES_PASSWORD:?" in compose  # no default password
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for part in ("ip_hash", "proxy_http_version 1.1", "Upgrade $http_upgrade", "proxy_read_timeout"):
        assert part in nginx


def test_the_readme_documents_hosting_step_by_step() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hosting = readme[readme.index("## Hosting for a team") :]
    for part in ("sticky", "cookie secret", "WebSocket", "nginx", "docker compose up", "st.login"):
        assert part in hosting or part in readme

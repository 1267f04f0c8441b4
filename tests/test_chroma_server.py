"""The same ingest + search against a real `chroma run` server on localhost."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tutor.config import load_config
from tutor.errors import TutorError
from tutor.workspace import Workspace

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_url(chroma_server: tuple[str, subprocess.Popen[bytes]]) -> str:
    return chroma_server[0]


@pytest.fixture
def chroma_server(tmp_path: Path):
    """(url, process) of a real `chroma run` on a free port."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("chroma server did not start")
                time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ingest_and_search_through_http_client(chroma_url: str, home: Path, notes_dir: Path, embedder, monkeypatch) -> None:
    monkeypatch.setenv("TUTOR_CHROMA_URL", chroma_url)
    ws = Workspace(load_config(home), embedder=embedder)
    assert type(ws.index("notes", create=True).client).__name__ != "PersistentClient"
    report = ws.ingest([notes_dir])
    assert report.added == 3
    assert not (home / "chroma").exists()  # vectors live on the server, not on disk here
    top = ws.search("Glue job bookmarks", collection="notes")[0]
    assert top.source.endswith("glue.txt") and "bookmarks" in top.text
    again = ws.ingest([notes_dir])
    assert again.unchanged == 3


def test_a_server_killed_mid_ingest_is_one_line(chroma_server, home: Path, notes_dir: Path, embedder, monkeypatch) -> None:
    url, proc = chroma_server
    monkeypatch.setenv("TUTOR_CHROMA_URL", url)
    ws = Workspace(load_config(home), embedder=embedder)
    assert ws.ingest([notes_dir]).added == 3
    proc.kill()
    proc.wait(timeout=30)
    (notes_dir / "kinesis.md").write_text("# Kinesis\n\n- Shards split and merge.\n")
    with pytest.raises(TutorError, match=f"Chroma server at {url} stopped answering") as err:
        ws.ingest([notes_dir])  # was a raw httpx.ConnectError traceback
    assert "\n" not in str(err.value)

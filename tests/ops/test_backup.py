"""`runstrong backup` while athletes log sets, and `runstrong restore` of what it wrote."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import requests

from runstrong.web import backup as backup_module
from runstrong.web.backup import BackupError, backup, restore
from tests.ops.live import Site, on_postgres, serve, site

PORT = 8850
LOGGERS = 4

SET_KEYS = (
    "from runstrong.web.coaching.models import SetLog\n"
    "result = list(SetLog.objects.values_list('item_id', 'set_number', 'side'))"
)


def _log_sets_until(stop: threading.Event, base: str, live: Site, acked: list) -> None:
    """Each thread takes athletes in turn and logs their sets, over and over (a repeat updates
    the same set), recording when each was acknowledged."""
    athletes = live.seeded["athletes"]

    def run(offset: int) -> None:
        http = requests.Session()
        for athlete in itertools.islice(itertools.cycle(athletes), offset, None, LOGGERS):
            for entry in athlete["sets"]:
                if stop.is_set():
                    return
                response = http.post(
                    f"{base}/api/v1/sessions/{athlete['session']}/sets",
                    json={**entry, "done": 10},
                    headers={"Authorization": f"Bearer {athlete['token']}"},
                    timeout=60,
                )
                if response.status_code in (200, 201):
                    key = (entry["item_id"], entry["set_number"], entry["side"])
                    acked.append((time.monotonic(), key))
                else:
                    acked.append((time.monotonic(), ("error", response.status_code, "")))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(LOGGERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_a_backup_taken_while_sets_are_logged_restores_every_acknowledged_set(
    tmp_path: Path,
) -> None:
    target = tmp_path / ("club.dump" if on_postgres() else "club.sqlite3")
    acked: list[tuple[float, tuple[object, object, object]]] = []
    with site(tmp_path, "live") as live:
        live.seed(12)
        with serve(live, PORT) as server:
            stop = threading.Event()
            logging_thread = threading.Thread(
                target=_log_sets_until, args=(stop, server.base, live, acked)
            )
            logging_thread.start()
            try:
                while len(acked) < 40 and logging_thread.is_alive():
                    time.sleep(0.05)
                began = time.monotonic()
                made = live.runstrong("backup", str(target), check=False)
                ended = time.monotonic()
                while not any(when > ended for when, _ in acked) and logging_thread.is_alive():
                    time.sleep(0.05)
            finally:
                stop.set()
                logging_thread.join()
        assert made.returncode == 0, made.stderr
        assert made.stdout.strip() == f"Backed up to {target}."
        errors = [key for _, key in acked if key[0] == "error"]
        assert not errors
        before = {key for when, key in acked if when < began}
        during = [key for when, key in acked if began <= when <= ended]
        assert before
        assert during, "sets were being logged while the backup ran"
        print(f"acknowledged: {len(before)} sets before the backup, {len(during)} during it")

    with site(tmp_path, "restored") as restored:
        done = restored.runstrong("restore", str(target), "--yes", check=False)
        assert done.returncode == 0, done.stderr
        assert restored.runstrong("manage", "check", "--fail-level", "WARNING").returncode == 0
        migrated = restored.runstrong("manage", "migrate", "--check", check=False)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        kept = {tuple(row) for row in restored.query(SET_KEYS)}
        assert before <= kept, f"{len(before - kept)} acknowledged sets missing"
        assert (
            restored.query(
                "from runstrong.web.coaching.models import Athlete\n"
                "result = Athlete.objects.count()"
            )
            == 12
        )


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n")
    with site(tmp_path, "target") as target:
        target.runstrong("manage", "migrate", "--verbosity", "0")
        refused = target.runstrong("restore", str(junk), "--yes", check=False)
        assert refused.returncode == 2
        [line] = refused.stderr.splitlines()
        assert line.startswith("runstrong: error: ")
        assert str(junk) in line
        still = target.runstrong("manage", "migrate", "--check", check=False)
        assert still.returncode == 0, "the database was left as it was"


def test_restore_asks_before_replacing_the_database(tmp_path: Path) -> None:
    with site(tmp_path, "ask") as ask:
        ask.runstrong("manage", "migrate", "--verbosity", "0")
        copy = tmp_path / "copy.bin"
        assert ask.runstrong("backup", str(copy)).returncode == 0
        declined = ask.runstrong("restore", str(copy), check=False, answer="n\n")
        assert declined.returncode == 2
        assert "restore cancelled; nothing changed" in declined.stderr


def test_missing_postgresql_tools_are_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module.shutil, "which", lambda tool: None)
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": "club"}
    with pytest.raises(BackupError, match=r"^pg_dump not found: install PostgreSQL's client"):
        backup(database, tmp_path / "club.dump")
    assert not list(tmp_path.iterdir()), "no empty file left behind"


def test_a_backup_never_overwrites_the_live_database(tmp_path: Path) -> None:
    live = tmp_path / "runstrong.sqlite3"
    sqlite3.connect(live).close()
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(live)}
    with pytest.raises(BackupError, match="is the live database"):
        backup(database, tmp_path / "." / "runstrong.sqlite3")
    with pytest.raises(BackupError, match="is the live database itself"):
        restore(database, live)

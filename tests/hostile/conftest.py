"""At the end of the session: time, peak memory and outcome of every hostile file the CLI was run on."""
from __future__ import annotations

import sys


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    module = sys.modules.get("tests.hostile.test_hostile_cli")
    results = getattr(module, "RESULTS", None)
    if not results:
        return
    write = terminalreporter.write_line
    terminalreporter.section("hostile files: time and peak memory of `python -m loaders` (budget 5 s CPU, 500 MB)")
    write(f"{'file':34} {'expect':7} {'seconds':>7} {'CPU s':>6} {'peak MB':>8} {'rc':>7} {'status':8} "
          f"{'error_code':22} verdict")
    for _name, r in results.items():
        verdict = "ok" if not r["problems"] else r["problems"][0][:70]
        status = "TIMEOUT" if r["timed_out"] else (r["status"] or "-")
        write(f"{r['file']:34} {r['expect']:7} {r['seconds']:7.2f} {r['cpu']:6.2f} {r['peak_mb']:8.0f} "
              f"{str(r['rc']):>7} {status:8} {str(r['code'] or '-'):22} {verdict}")
    bad = sum(1 for r in results.values() if r["problems"])
    slowest = max(r["seconds"] for r in results.values())
    write(f"{len(results)} files run, {bad} with problems, slowest {slowest:.1f} s, "
          f"largest {max(r['peak_mb'] for r in results.values()):.0f} MB")

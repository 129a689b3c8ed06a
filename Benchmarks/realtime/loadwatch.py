#!/usr/bin/env python3
"""Samples the machine once a second while a benchmark runs, to report its load conditions:
whole-machine CPU busy (of all cores, from /proc/stat), the server's own CPU (utime+stime of PID),
and how many compiler processes (swift-frontend, swiftc, swift-build, clang, ld) were running —
the machine is shared with builds.

  loadwatch.py PID OUT        (runs until killed with SIGTERM or until PID exits; writes a summary line to OUT)
"""
import os, signal, sys, time

pid, out = int(sys.argv[1]), sys.argv[2]
hz = os.sysconf("SC_CLK_TCK")
ncpu = os.cpu_count() or 1
COMPILERS = ("swift-frontend", "swiftc", "swift-build", "clang", "ld", "ld.gold", "ld.lld")


def machine():
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def server_cpu():
    try:
        parts = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return int(parts[11]) + int(parts[12])
    except OSError:
        return None


def compilers():
    n = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if open(f"/proc/{entry}/comm").read().strip() in COMPILERS:
                    n += 1
            except OSError:
                pass
    return n


stop = False
signal.signal(signal.SIGTERM, lambda *_: globals().__setitem__("stop", True))
busy0, total0 = machine(); srv0 = server_cpu(); t0 = time.time()
samples, compiler_seconds, compiler_max = 0, 0, 0
while not stop and server_cpu() is not None:
    time.sleep(1)
    c = compilers()
    samples += 1; compiler_seconds += c > 0; compiler_max = max(compiler_max, c)
busy1, total1 = machine(); srv1 = server_cpu() or srv0; t1 = time.time()
wall = t1 - t0
line = (f"load: {wall:.0f} s sampled; machine CPU busy {100 * (busy1 - busy0) / max(1, total1 - total0):.0f} % of {ncpu} cores; "
        f"server {100 * (srv1 - srv0) / hz / wall:.0f} % of one core; "
        f"compiler processes running in {compiler_seconds} of {samples} one-second samples (at most {compiler_max} at once); "
        f"loadavg at end {open('/proc/loadavg').read().split()[0]}")
open(out, "w").write(line + "\n")

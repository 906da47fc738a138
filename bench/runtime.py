#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""runtime.py: runs a command (stdout discarded), prints "WALL_MS CPU_MS".

CPU is user + system time of the command and all its children (a
pipeline run with bash -c counts every stage): on a busy machine it is
steadier than wall time, which includes waiting for a core.
"""
import resource
import subprocess
import sys
import time

t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %.3f" % (wall * 1000, (r.ru_utime + r.ru_stime) * 1000))
sys.exit(rc)

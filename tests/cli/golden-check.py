#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""golden-check.py: recompute the numbers of a twadvise report from its snapshot.

    golden-check.py --snapshot DIR --json FILE [--text FILE] [--conf FILE]
                    [--data-dir DIR] [--label "SCENARIO PROFILE"]
                    [--known TAG=REASON]... [--hits FILE] [--quiet]

A golden file is the program's own output, so on its own it proves nothing:
`golden.sh --update` would bless a wrong number as readily as a right one
(a report once said "TCPTimeWaitOverflow = 0" in a finding while its cost
section said 5,123, and a golden pinned the 0). This script is the second
opinion. It reads the snapshot's files itself (ss-tan.txt, sysctl-a.txt,
proc/net/netstat, proc/net/snmp, proc/net/sockstat{,6}, proc/slabinfo,
proc/meminfo, proc/net/nf_conntrack, dmesg.txt, etc/sysctl.d...) and the
profile's YAML, computes every number the report states, and compares. It
never reads a number from twadvise's output to compute an expectation, and
shares no code with twadvise (Python standard library only).

What it checks (TAG in brackets, used by --known):
  [tw-total]    time_wait.total/client/server: TIME-WAIT lines of ss-tan.txt,
                by side (below).
  [top]         each time_wait.top row: the tuple exists on that side; count =
                its TIME-WAIT sockets; held (when the key is present) = its
                sockets in a port-holding state (ESTAB, SYN-SENT, FIN-WAIT-1/2,
                CLOSE-WAIT, LAST-ACK, CLOSING, TIME-WAIT); ages (when present)
                sum to at most count; rows sorted by utilization and no
                unlisted tuple busier than the least busy listed one.
  [utilization] (held if present else count) / ports, ports = the local range
                minus reserved ports in it (client) or the profile's
                peer_ports, default 28232 (server); 4 decimals; raw or capped
                at 1 both accepted (the summary line says which was seen).
  [ports]       port_range and ports_available from sysctl-a.txt (null when
                the range is unknown, never [0, 0]).
  [summary]     summary counts = the findings' severities (JSON and text).
  [verdict]     top-level verdict (JSON key when present, and the text's
                "Verdict:" line): act beside a non-acknowledged critical, at
                least watch beside a warning; the cost verdict is never above
                it; and never above the findings (act needs a critical
                finding, watch a warning or above, acknowledged or not).
  [counter]     a kernel counter quoted in findings' evidence or in cost texts
                ("TcpExt TCPTimeWaitOverflow = 5,123", "PAWSPassive (...) = 0",
                "5,123 sockets closed ... (TCPTimeWaitOverflow)") equals
                proc/net/netstat or proc/net/snmp.
  [sysctl-quote] "key = value" / "key is value" in those texts equals
                sysctl-a.txt (or a value a sysctl.d file of the snapshot
                assigns: evidence may quote the boot value).
  [evidence]    other numbers of the evidence: a percentage after a tuple
                (addr:port) = that tuple's utilization; "N TIME_WAIT sockets"
                = the total or the named tuple's count; "(C client-side, S
                server-side)"; "of N (usable) ports" = ports available; "range
                LO-HI" = the current or a recommended range; listeners in the
                range; "busiest destination/peer" percentages.
  [cost]        each cost item's value, limit, share and extra, recomputed from
                the files (what each item measures is src/cost/cost.c's
                definition; the numbers are computed here). An item this
                script does not know is a failure: teach it first.
  [fragment]    sysctl_d (and --conf, which must equal it): every line is
                "key = value"; the key is in sysctl-a.txt, once; tcp_tw_recycle
                only 0; the value is a non-acknowledged finding's
                recommendation; a written ip_local_port_range is "lo hi" with
                lo <= hi and leaves no listening port inside it unreserved;
                every change's current = sysctl-a.txt; persisted FILE:LINE
                really assigns that value.
  [rfc1337]     tcp_rfc1337 never appears in the fragment (issue 8, defect 4).
  [nat]         the "nat" section (present when conntrack holds source-NATed
                TCP entries): from proc/net/nf_conntrack or conntrack-L.txt,
                an entry is SNATed when its reply dst differs from its
                original src; per (reply dst, orig dst, orig dport) the
                entries and TIME_WAIT ones; utilization = entries / the
                profile's snat_ports (default 64512); insert_failed and drop
                summed over the hex rows of proc/net/stat/nf_conntrack; the
                text NAT table and nat-* evidence quote the same numbers.
  [text]        --format text states the same total, range, finding counts and
                top rows (count and percentage) as recomputed here.

Each mismatch prints one line
    golden-check: SNAPSHOT PROFILE: what: expected X (from FILE), got Y
and the exit status is 1. A mismatch whose TAG was passed with --known
TAG=REASON is printed as "KNOWN-WRONG (REASON)" and does not fail (golden.sh
keeps that list, KNOWN_WRONG, one line per known defect). --hits FILE
appends "TAG" for every known-wrong mismatch seen, so the caller can tell
when a KNOWN_WRONG entry no longer fails.

How a golden is reviewed: run golden.sh (it runs this script on every fresh
output and on every stored golden); only when golden-check is clean read
`git diff tests/fixtures/golden/` for what no number can say (wording,
order, which findings fire, what the fragment proposes). See
tests/fixtures/golden/README.
"""
import argparse
import glob
import ipaddress
import json
import math
import os
import re
import sys

DEFAULT_RANGE = (32768, 60999)
DEFAULT_PEER_PORTS = 28232
HOLDING = {"ESTAB", "SYN-SENT", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
           "LAST-ACK", "CLOSING", "TIME-WAIT"}
SS_STATES = {"ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
             "TIME-WAIT", "UNCONN", "CLOSE", "CLOSED", "CLOSE-WAIT",
             "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV"}
NETSTAT_STATES = {"ESTABLISHED": "ESTAB", "SYN_SENT": "SYN-SENT",
                  "SYN_RECV": "SYN-RECV", "FIN_WAIT1": "FIN-WAIT-1",
                  "FIN_WAIT2": "FIN-WAIT-2", "TIME_WAIT": "TIME-WAIT",
                  "CLOSE": "CLOSE", "CLOSE_WAIT": "CLOSE-WAIT",
                  "LAST_ACK": "LAST-ACK", "LISTEN": "LISTEN",
                  "CLOSING": "CLOSING"}
TOP_KEYS = {"side", "local", "remote", "remote_port", "local_port", "count",
            "utilization", "held", "ages"}
SEVERITIES = ("critical", "warning", "info")
LEVELS = {"harmless": 0, "watch": 1, "act": 2}
# Counters an evidence text may name even when this snapshot lacks them (a
# number quoted for an absent counter is wrong: unknown is not a number).
TW_COUNTERS = {"TCPTimeWaitOverflow", "TWRecycled", "TWKilled", "PAWSPassive",
               "PAWSActive", "PAWSEstab", "PAWSTimewait", "ActiveOpens",
               "PassiveOpens", "AttemptFails", "EstabResets", "CurrEstab",
               "TCPAbortOnLinger", "TCPChallengeACK", "TCPSYNChallenge",
               "TCPACKSkippedTimeWait", "TCPTSReorder"}
NUM = r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\d,]*\d)(?!\.\d)"


def num(s):
    return int(s.replace(",", ""))


# ---------------------------------------------------------------- reporting

class Checker:
    def __init__(self, snapshot, profile, source, known, quiet):
        self.snapshot = snapshot
        self.profile = profile
        self.source = source
        self.known = known
        self.quiet = quiet
        self.failed = 0
        self.known_hits = set()
        self.checked = 0
        self.notes = []

    def ok(self):
        self.checked += 1

    def bad(self, tag, what, expected, origin, got):
        line = "%s %s: %s: expected %s (from %s), got %s" % (
            self.snapshot, self.profile, what, expected, origin, got)
        if self.source:
            line += " [%s]" % self.source
        if tag in self.known:
            self.known_hits.add(tag)
            print("golden-check: KNOWN-WRONG (%s): %s" % (self.known[tag], line))
        else:
            self.failed += 1
            print("golden-check: " + line)

    def eq(self, tag, what, expected, origin, got):
        if expected == got:
            self.ok()
        else:
            self.bad(tag, what, show(expected), origin, show(got))

    def close(self, tag, what, expected, origin, got, rel=1e-5):
        """Equal; to 6 significant digits unless both are integers (the
        JSON writer prints integral values exactly)."""
        if same_number(expected, got, rel):
            self.ok()
        else:
            self.bad(tag, what, show(expected), origin, show(got))


def same_number(expected, got, rel=1e-5):
    if not isinstance(got, (int, float)) or isinstance(got, bool) or expected is None:
        return False
    if float(expected).is_integer() and float(got).is_integer():
        return expected == got
    return abs(got - expected) <= rel * max(abs(expected), abs(got)) + 1e-9


def show(v):
    if isinstance(v, str):
        return '"%s"' % v
    if v is None:
        return "null"
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, float):
        return "%.6g" % v
    if isinstance(v, (set, frozenset)):
        return " or ".join(sorted(show(x) for x in v)) or "nothing"
    return json.dumps(v) if isinstance(v, (list, dict, bool)) else str(v)


# ---------------------------------------------------------------- snapshot

def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def norm_addr(a):
    a = a.strip("[]")
    if "%" in a:
        a = a.split("%", 1)[0]
    if a == "*":
        return "*"
    try:
        ip = ipaddress.ip_address(a)
    except ValueError:
        return a
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


def split_endpoint(ep):
    """'10.0.0.1:80', '[::1]:80', '::1:80' (netstat), '*:*' -> (addr, port)."""
    if ep.startswith("["):
        addr, _, port = ep[1:].partition("]")
        port = port.lstrip(":")
    else:
        addr, _, port = ep.rpartition(":")
    if not addr:
        return None
    p = 0 if port in ("*", "") else (int(port) if port.isdigit() else None)
    if p is None or p > 65535:
        return None
    return norm_addr(addr), p


def parse_timer(tokens):
    """ss -o 'timer:(timewait,45sec,0)' -> remaining ms, or None."""
    for t in tokens:
        m = re.match(r"timer:\(timewait,([^,]*),", t)
        if not m:
            continue
        s = m.group(1)
        mm = re.fullmatch(r"(?:(\d+)min)?(?:(\d+)sec|(\d+)\.(\d+)ms|(\d+)ms|(\d+))?", s)
        if not mm:
            return None
        ms = int(mm.group(1) or 0) * 60000
        if mm.group(2):
            ms += int(mm.group(2)) * 1000
        elif mm.group(3):
            ms += int(mm.group(3)) * 1000 + int(mm.group(4))
        elif mm.group(5):
            ms += int(mm.group(5))
        elif mm.group(6):
            ms += int(mm.group(6)) * 1000
        return ms
    return None


def parse_ss(text):
    """Every TCP socket of ss -tan[H][op] / ss -an / ss -tan state time-wait /
    netstat -tan, as dicts {state, laddr, lport, raddr, rport, timer_ms}."""
    socks = []
    for line in text.splitlines():
        t = line.split()
        if not t or t[0] in ("State", "Netid", "Recv-Q", "Active", "Proto"):
            continue
        if t[0] in ("tcp", "tcp4", "tcp6") and len(t) >= 6 and t[5] in NETSTAT_STATES:
            state, local, peer = NETSTAT_STATES[t[5]], t[3], t[4]
        else:
            if t[0] in ("tcp", "tcp4", "tcp6") and len(t) > 1 and t[1] in SS_STATES:
                t = t[1:]
            elif not t[0].isdigit() and t[0] not in SS_STATES:
                continue  # another protocol of ss -an's Netid column
            if t[0].isdigit():  # no State column: `state time-wait`
                if len(t) < 4:
                    continue
                state, local, peer = "TIME-WAIT", t[2], t[3]
            else:
                if len(t) < 5:
                    continue
                state, local, peer = t[0], t[3], t[4]
        le, pe = split_endpoint(local), split_endpoint(peer)
        if not le or not pe:
            continue
        socks.append({"state": state, "laddr": le[0], "lport": le[1],
                      "raddr": pe[0], "rport": pe[1], "timer_ms": parse_timer(t)})
    return socks


def parse_sysctl_a(text):
    d = {}
    for line in (text or "").splitlines():
        if " = " in line:
            k, v = line.split(" = ", 1)
        elif "=" in line:
            k, v = line.split("=", 1)
        else:
            continue
        d[k.strip()] = " ".join(v.split())
    return d


def parse_counters(text):
    """proc/net/netstat or snmp: {group: {name: int}}."""
    groups = {}
    lines = (text or "").splitlines()
    for a, b in zip(lines[0::2], lines[1::2]):
        ga, _, na = a.partition(":")
        gb, _, vb = b.partition(":")
        if ga != gb:
            continue
        names, vals = na.split(), vb.split()
        g = groups.setdefault(ga.strip(), {})
        for n, v in zip(names, vals):
            try:
                g[n] = int(v)
            except ValueError:
                pass
    return groups


def parse_port_set(s):
    """ip_local_reserved_ports text '8080,9000-9100' -> set of ports."""
    ports = set()
    for part in (s or "").replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            if a.isdigit() and b.isdigit():
                ports.update(range(int(a), int(b) + 1))
        elif part.isdigit():
            ports.add(int(part))
    return ports


SYSCTL_D_DIRS = ["etc/sysctl.d", "run/sysctl.d", "usr/local/lib/sysctl.d",
                 "usr/lib/sysctl.d", "lib/sysctl.d"]


def parse_sysctl_d(snap):
    """Every assignment of the snapshot's sysctl.d files: list of
    (host path, line, key, value)."""
    files = [os.path.join(snap, "etc/sysctl.conf")]
    for d in SYSCTL_D_DIRS:
        files += sorted(glob.glob(os.path.join(snap, d, "*.conf")))
    out = []
    for f in files:
        text = read(f)
        if text is None:
            continue
        host = "/" + os.path.relpath(f, snap)
        for i, line in enumerate(text.splitlines(), 1):
            s = line.strip()
            if not s or s[0] in "#;" or "=" not in s:
                continue
            k, v = s.split("=", 1)
            k = k.strip().lstrip("-").replace("/", ".")
            out.append((host, i, k, " ".join(v.split())))
    return out


def profile_threshold(data_dir, name, key, seen=()):
    """A profile's threshold, following 'inherits' (tiny YAML reader: the
    shipped profiles are flat 'key: value' maps)."""
    if not name or name in seen:
        return None
    path = os.path.join(data_dir, "profiles", name + ".yaml")
    if not os.path.isfile(path):
        for p in glob.glob(os.path.join(data_dir, "profiles", "*.yaml")):
            if re.search(r"^name:\s*%s\s*$" % re.escape(name), read(p) or "", re.M):
                path = p
                break
        else:
            return None
    text = read(path) or ""
    block = re.search(r"^thresholds:\s*\n((?:[ \t]+.*\n|\s*\n|#.*\n)*)", text + "\n", re.M)
    if block:
        m = re.search(r"^[ \t]+%s:\s*([0-9.]+)" % re.escape(key), block.group(1), re.M)
        if m:
            return float(m.group(1))
    parent = re.search(r"^inherits:\s*(\S+)", text, re.M)
    if parent:
        return profile_threshold(data_dir, parent.group(1).strip("'\""), key, seen + (name,))
    return None


class Snapshot:
    def __init__(self, path):
        self.path = path
        self.ss_text = read(os.path.join(path, "ss-tan.txt")) or ""
        self.socks = parse_ss(self.ss_text)
        self.sysctl = parse_sysctl_a(read(os.path.join(path, "sysctl-a.txt")))
        nstat = read(os.path.join(path, "proc/net/netstat"))
        snmp = read(os.path.join(path, "proc/net/snmp"))
        self.counters_known = {"netstat": nstat is not None, "snmp": snmp is not None}
        self.counters = parse_counters(nstat)
        for g, d in parse_counters(snmp).items():
            self.counters.setdefault(g, {}).update(d)
        self.sockstat = self._sockstat()
        self.slab = self._slab()
        self.meminfo = self._meminfo()
        self.dmesg = read(os.path.join(path, "dmesg.txt"))
        ct = read(os.path.join(path, "proc/net/nf_conntrack"))
        self.conntrack_lines = None if ct is None else [l for l in ct.splitlines() if l.strip()]
        ctl = read(os.path.join(path, "conntrack-L.txt"))
        nat_lines = self.conntrack_lines if ct is not None else \
            (None if ctl is None else [l for l in ctl.splitlines() if l.strip()])
        self.conntrack_lines = nat_lines   # twadvise reads conntrack-L.txt without nf_conntrack
        self.nat = self._nat(nat_lines)
        self.ct_stat = self._ct_stat(read(os.path.join(path, "proc/net/stat/nf_conntrack")))
        self.persisted = parse_sysctl_d(path)
        self._tuples()

    @staticmethod
    def _nat(lines):
        """{(public, dst, dport): [entries, time_wait]} of SNATed TCP entries."""
        if lines is None:
            return None
        keys = {}
        for line in lines:
            t = line.split()
            if t[0] in ("ipv4", "ipv6"):
                t = t[2:]
            if len(t) < 2 or t[1] != "6":
                continue
            tw = "TIME_WAIT" in t[2:4]
            kv = [x.split("=", 1) for x in t if "=" in x]
            srcs = [i for i, (k, _) in enumerate(kv) if k == "src"]
            orig = dict(kv[srcs[0]:srcs[1]])
            reply = dict(kv[srcs[1]:])
            if ipaddress.ip_address(reply["dst"]) == ipaddress.ip_address(orig["src"]):
                continue
            k = (str(ipaddress.ip_address(reply["dst"])), str(ipaddress.ip_address(orig["dst"])),
                 int(orig["dport"]))
            e = keys.setdefault(k, [0, 0])
            e[0] += 1
            e[1] += tw
        return keys

    @staticmethod
    def _ct_stat(text):
        if text is None:
            return None
        rows = [l.split() for l in text.splitlines() if l.strip()]
        head, out = rows[0], {}
        for name in ("insert_failed", "drop"):
            i = head.index(name)
            out[name] = sum(int(r[i], 16) for r in rows[1:])
        return out

    def _sockstat(self):
        out = {}
        for name in ("sockstat", "sockstat6"):
            text = read(os.path.join(self.path, "proc/net", name))
            for line in (text or "").splitlines():
                proto, _, rest = line.partition(":")
                t = rest.split()
                for k, v in zip(t[0::2], t[1::2]):
                    if v.isdigit():
                        out[(proto.strip(), k)] = int(v)
        return out

    def _slab(self):
        text = read(os.path.join(self.path, "proc/slabinfo"))
        if text is None:
            return None
        rows = {}
        for line in text.splitlines():
            t = line.split()
            if len(t) >= 16 and t[1].isdigit():
                # name active_objs num_objs objsize objperslab pagesperslab :
                # tunables l b s : slabdata active_slabs num_slabs sharedavail
                rows[t[0]] = {"active": int(t[1]), "objsize": int(t[3]),
                              "pagesperslab": int(t[5]), "num_slabs": int(t[14])}
        return rows

    def _meminfo(self):
        text = read(os.path.join(self.path, "proc/meminfo"))
        out = {}
        for line in (text or "").splitlines():
            m = re.match(r"(\w+):\s+(\d+)", line)
            if m:
                out[m.group(1)] = int(m.group(2))
        return out

    def dmesg_entries(self, what):
        m = re.search(r"TCP %s hash table entries: (\d+)" % what, self.dmesg or "")
        return int(m.group(1)) if m else None

    def counter(self, name, group=None):
        """Values of counter NAME (in GROUP, or any group)."""
        return {d[name] for g, d in self.counters.items()
                if name in d and (group is None or g == group)}

    # -- port range and sides
    def port_range(self):
        v = self.sysctl.get("net.ipv4.ip_local_port_range")
        m = re.fullmatch(r"(\d+) (\d+)", v or "")
        if not m:
            return None
        lo, hi = int(m.group(1)), int(m.group(2))
        if not (1 <= lo <= hi <= 65535):
            return None
        return lo, hi

    def reserved(self):
        return parse_port_set(self.sysctl.get("net.ipv4.ip_local_reserved_ports"))

    def ports_available(self):
        r = self.port_range()
        if not r:
            return None
        return r[1] - r[0] + 1 - len([p for p in self.reserved() if r[0] <= p <= r[1]])

    def _tuples(self):
        """Sides and tuples, as src/facts/tuples.h's comment defines them:
        local port listening -> server; else local port in the ephemeral
        range, or remote port not in it -> client; else server."""
        self.listening = {s["lport"] for s in self.socks if s["state"] == "LISTEN"}
        lo, hi = self.port_range() or DEFAULT_RANGE
        self.tw = [s for s in self.socks if s["state"] == "TIME-WAIT"]
        self.tuples = {}  # (side, local, remote, port) -> {count, held, timers}
        for s in self.socks:
            if s["state"] not in HOLDING:
                continue
            if s["lport"] in self.listening:
                side = "server"
            elif lo <= s["lport"] <= hi or not lo <= s["rport"] <= hi:
                side = "client"
            else:
                side = "server"
            s["side"] = side
            port = s["rport"] if side == "client" else s["lport"]
            t = self.tuples.setdefault((side, s["laddr"], s["raddr"], port),
                                       {"count": 0, "held": 0, "timers": []})
            t["held"] += 1
            if s["state"] == "TIME-WAIT":
                t["count"] += 1
                t["timers"].append(s["timer_ms"])
        self.tw_client = sum(1 for s in self.tw if s["side"] == "client")
        self.tw_server = sum(1 for s in self.tw if s["side"] == "server")

    def tw_sockstat(self):
        return self.sockstat.get(("TCP", "tw"))


# ---------------------------------------------------------------- checks

class Report:
    def __init__(self, args, snap, doc, c):
        self.args, self.snap, self.doc, self.c = args, snap, doc, c
        self.peer_ports = int(profile_threshold(args.data_dir, doc.get("profile"), "peer_ports")
                              or DEFAULT_PEER_PORTS)
        self.client_ports = snap.ports_available() or (DEFAULT_RANGE[1] - DEFAULT_RANGE[0] + 1)
        self.uses_held = any("held" in r for r in (doc.get("time_wait") or {}).get("top") or [])
        self.over_one = []

    def snat_ports(self):
        return int(profile_threshold(self.args.data_dir, self.doc.get("profile"), "snat_ports") or 64512)

    def nat_ratios(self):
        n = self.snap.nat or {}
        return {v[0] / self.snat_ports() for v in n.values()}

    # -- nat
    def check_nat(self):
        c, s, nat = self.c, self.snap, self.doc.get("nat")
        keys = s.nat or {}
        masq = sum(v[0] for v in keys.values())
        if not masq:
            c.eq("nat", "nat section", None, "no SNATed TCP entry in the conntrack table", nat)
            return
        if not isinstance(nat, dict):
            c.bad("nat", "nat section", "an object", "conntrack table with %d SNATed entries" % masq, show(nat))
            return
        src = "proc/net/nf_conntrack or conntrack-L.txt"
        c.eq("nat", "nat.masqueraded", masq, src, nat.get("masqueraded"))
        c.eq("nat", "nat.time_wait", sum(v[1] for v in keys.values()), src, nat.get("time_wait"))
        c.eq("nat", "nat.keys", len(keys), src, nat.get("keys"))
        ports = self.snat_ports()
        c.eq("nat", "nat.snat_ports", ports, "the profile's snat_ports", nat.get("snat_ports"))
        to = s.sysctl.get("net.netfilter.nf_conntrack_tcp_timeout_time_wait")
        to = float(to) if to and to.isdigit() else 120.0
        c.eq("nat", "nat.timeout_time_wait", to, "sysctl-a.txt", nat.get("timeout_time_wait"))
        st = s.ct_stat
        c.eq("nat", "nat.insert_failed", st and st["insert_failed"], "proc/net/stat/nf_conntrack", nat.get("insert_failed"))
        c.eq("nat", "nat.drop", st and st["drop"], "proc/net/stat/nf_conntrack", nat.get("drop"))
        rows = nat.get("top") or []
        want = sorted(keys.items(), key=lambda kv: (-kv[1][0], -kv[1][1]))
        c.eq("nat", "nat.top rows", min(len(keys), 16), src, len(rows))
        for i, r in enumerate(rows):
            k = (r.get("public"), r.get("remote"), r.get("remote_port"))
            what = "nat.top[%d] %s -> %s:%s" % (i, *k)
            if k not in keys:
                c.bad("nat", what, "a key of the table", src, "none such")
                continue
            c.eq("nat", what + " held", keys[k][0], src, r.get("held"))
            c.eq("nat", what + " time_wait", keys[k][1], src, r.get("time_wait"))
            c.eq("nat", what + " utilization", float("%.4g" % (keys[k][0] / ports)), "held / snat_ports (4 digits)",
                 r.get("utilization"))
            c.eq("nat", what + " order", want[i][1][0], "sorted by held", keys[k][0])
        for f in self.doc.get("findings") or []:
            m = re.search(r"%s conntrack entries from (\S+) to (\S+):(\d+)\s+\(%s in TIME_WAIT\) hold\s+(\S+%%) of its %s SNAT" % (NUM, NUM, NUM),
                          f.get("evidence") or "")
            if f.get("id") == "nat-snat-ports" and not m:
                c.bad("nat", "nat-snat-ports evidence", "the key's numbers", src, f.get("evidence"))
            if not m:
                continue
            k = (m.group(2), m.group(3), int(m.group(4)))
            e = keys.get(k, [None, None])
            c.eq("nat", f["id"] + " evidence entries", e[0], src, num(m.group(1)))
            c.eq("nat", f["id"] + " evidence TIME_WAIT", e[1], src, num(m.group(5)))
            c.eq("nat", f["id"] + " evidence ports", ports, "snat_ports", num(m.group(7)))
            if e[0] is not None and not self.pct_ok(m.group(6), {e[0] / ports}):
                c.bad("nat", f["id"] + " evidence share", "%.2f%%" % (100 * e[0] / ports), src, m.group(6))
        t = self.args.text_content
        if t is not None:
            trows = re.findall(r"^\s+(\S+)\s+(\S+):(\d+)\s+%s\s+%s\s+\[" % (NUM, NUM), t, re.M)
            c.eq("nat", "text NAT rows", min(len(keys), 5), src, len(trows))
            for pub, dst, dp, h, tw in trows:
                k = (pub, dst.strip("[]"), int(dp))
                c.eq("nat", "text NAT row %s -> %s:%s" % k, keys.get(k), src, [num(h), num(tw)])

    def ports_of(self, side):
        return self.client_ports if side == "client" else self.peer_ports

    def util(self, key, t, held=None):
        h = self.uses_held if held is None else held
        return (t["held"] if h else t["count"]) / self.ports_of(key[0])

    # -- time_wait
    def check_time_wait(self):
        c, s, tw = self.c, self.snap, self.doc.get("time_wait") or {}
        c.eq("tw-total", "time_wait.total", len(s.tw), "ss-tan.txt TIME-WAIT lines", tw.get("total"))
        if "client" in tw:
            c.eq("tw-total", "time_wait.client", s.tw_client, "ss-tan.txt, sides as tuples.h says", tw.get("client"))
        if "server" in tw:
            c.eq("tw-total", "time_wait.server", s.tw_server, "ss-tan.txt, sides as tuples.h says", tw.get("server"))
        r = s.port_range()
        c.eq("ports", "time_wait.port_range", list(r) if r else None,
             "sysctl-a.txt net.ipv4.ip_local_port_range", tw.get("port_range"))
        c.eq("ports", "time_wait.ports_available", s.ports_available(),
             "sysctl-a.txt ip_local_port_range minus ip_local_reserved_ports in it",
             tw.get("ports_available"))
        rows = tw.get("top") or []
        shown = []
        for i, row in enumerate(rows):
            what = "time_wait.top[%d]" % i
            side = row.get("side")
            if side == "client":
                key = ("client", norm_addr(str(row.get("local"))), norm_addr(str(row.get("remote"))), row.get("remote_port"))
            else:
                key = ("server", norm_addr(str(row.get("local"))), norm_addr(str(row.get("remote"))), row.get("local_port"))
            t = s.tuples.get(key)
            if t is None:
                other = [k for k in s.tuples if k[1:] == key[1:]]
                c.bad("top", what + " (%s %s -> %s port %s)" % key, "a %s tuple" % side,
                      "ss-tan.txt", "no such %s tuple%s" % (side, " (it is %s)" % other[0][0] if other else ""))
                continue
            c.ok()
            shown.append(key)
            unknown = [k for k, v in row.items() if k not in TOP_KEYS and isinstance(v, (int, float, list))]
            if unknown:
                c.bad("top", what + " keys", "only numbers golden-check recomputes (%s)" % ", ".join(sorted(TOP_KEYS)),
                      "tests/cli/golden-check.py", "%s: teach golden-check" % ", ".join(unknown))
            c.eq("top", what + ".count", t["count"], "ss-tan.txt TIME-WAIT sockets of that tuple", row.get("count"))
            if "held" in row:
                c.eq("top", what + ".held", t["held"], "ss-tan.txt sockets of that tuple in a port-holding state", row.get("held"))
            if "ages" in row:
                self.check_ages(what, t, row["ages"])
            u = self.util(key, t)
            got = row.get("utilization")
            if u > 1:
                self.over_one.append(got)
            ok = isinstance(got, (int, float)) and abs(got * 1e4 - round(got * 1e4)) < 1e-6 and (
                abs(got - u) <= 5e-5 + 1e-12 or (u > 1 and got == 1))
            if ok:
                c.ok()
            else:
                c.bad("utilization", what + ".utilization", "%.4f (%d / %d ports%s)" % (
                    u, t["held"] if self.uses_held else t["count"], self.ports_of(side),
                    ", or 1 capped" if u > 1 else ""),
                      "ss-tan.txt, sysctl-a.txt" if side == "client" else "ss-tan.txt, profile peer_ports",
                      show(got))
        # Order and completeness: nothing unlisted is busier than the least
        # busy listed row; listed rows descend.
        us = [self.util(k, s.tuples[k]) for k in shown]
        if any(a < b - 1e-12 for a, b in zip(us, us[1:])):
            c.bad("top", "time_wait.top order", "rows by descending utilization", "ss-tan.txt",
                  ", ".join("%.4f" % u for u in us))
        else:
            c.ok()
        cands = [k for k, t in s.tuples.items() if t["count"] > 0 and k not in shown]
        floor = min(us) if us else -1
        missed = [k for k in cands if self.util(k, s.tuples[k]) > floor + 1e-12]
        if missed and (rows or cands):
            k = max(missed, key=lambda k: self.util(k, s.tuples[k]))
            c.bad("top", "time_wait.top completeness",
                  "%s tuple %s -> %s port %s (utilization %.4f) listed" % (k[0], k[1], k[2], k[3], self.util(k, s.tuples[k])),
                  "ss-tan.txt", "it is missing" if rows else "an empty list")
        else:
            c.ok()

    def check_ages(self, what, t, ages):
        c = self.c
        timed = sum(1 for x in t["timers"] if x is not None)
        if ages is None:
            # Unknown is null: right only when the listing lacks a timer
            # for some TIME_WAIT socket of the tuple (plain ss -tan).
            if timed == t["count"] and t["count"] > 0:
                c.bad("top", what + ".ages", "a list of counts (every TIME_WAIT socket has a timer)",
                      "ss-tan.txt timer:(timewait,...) fields", show(ages))
            else:
                c.ok()
            return
        if not (isinstance(ages, list) and all(isinstance(a, int) and a >= 0 for a in ages)):
            c.bad("top", what + ".ages", "a list of counts (golden-check knows no other shape)",
                  "contract", show(ages))
            return
        if timed == t["count"] and t["count"] > 0:
            c.eq("top", what + ".ages sum", timed, "ss-tan.txt timer:(timewait,...) fields", sum(ages))
        elif sum(ages) > t["count"]:
            c.bad("top", what + ".ages sum", "at most %d" % t["count"], "ss-tan.txt", sum(ages))
        else:
            c.ok()

    # -- summary and verdict
    def check_summary(self):
        c, doc = self.c, self.doc
        fs = doc.get("findings") or []
        want = {sev: sum(1 for f in fs if f.get("severity") == sev) for sev in SEVERITIES}
        summ = doc.get("summary") or {}
        for sev in SEVERITIES:
            c.eq("summary", "summary." + sev, want[sev], "the findings' severities", summ.get(sev))
        live = [f for f in fs if not f.get("acknowledged")]
        floor = "act" if any(f.get("severity") == "critical" for f in live) else \
            "watch" if any(f.get("severity") == "warning" for f in live) else "harmless"
        cost_v = (doc.get("cost") or {}).get("verdict")
        for origin, v in (("JSON verdict", doc.get("verdict")), ("text Verdict line", self.text_verdict())):
            if v is None:
                continue
            if v not in LEVELS:
                c.bad("verdict", origin, "harmless, watch or act", "contract", show(v))
                continue
            if LEVELS[v] < LEVELS[floor]:
                why = "a non-acknowledged critical finding" if floor == "act" else "a non-acknowledged warning"
                c.bad("verdict", origin, "%s (%s)" % ('"act"' if floor == "act" else 'at least "watch"', why),
                      "the findings", show(v))
            else:
                c.ok()
            # The converse: a verdict is explained by a finding. The cost
            # items may raise it, but each has a rule that reports it (an
            # acknowledged finding still explains it).
            top = "act" if any(f.get("severity") == "critical" for f in fs) else \
                "watch" if any(f.get("severity") == "warning" for f in fs) else "harmless"
            if LEVELS[v] > LEVELS[top]:
                c.bad("verdict", origin, "a finding at %s" % ("critical" if v == "act" else "warning or above"),
                      "the findings", show(v))
            else:
                c.ok()
            if cost_v in LEVELS and LEVELS[cost_v] > LEVELS[v]:
                c.bad("verdict", origin + " vs cost.verdict", "at least the cost verdict %s" % show(cost_v),
                      "cost items", show(v))
            else:
                c.ok()
        if doc.get("verdict") is not None and self.text_verdict() is not None:
            c.eq("verdict", "text Verdict line", doc.get("verdict"), "the JSON verdict", self.text_verdict())

    def text_verdict(self):
        m = re.search(r"^Verdict: (\w+)", self.args.text_content or "", re.M)
        return m.group(1) if m else None

    # -- texts: counters, sysctls, evidence numbers
    def texts(self):
        for f in self.doc.get("findings") or []:
            yield "finding %s evidence" % f.get("id"), f.get("evidence") or "", f
        cost = self.doc.get("cost") or {}
        if cost.get("summary"):
            yield "cost summary", cost["summary"], None
        for it in cost.get("items") or []:
            yield "cost %s verdict" % it.get("name"), it.get("verdict") or "", None

    def check_counters(self):
        c, s = self.c, self.snap
        names = set(TW_COUNTERS)
        for d in s.counters.values():
            names |= {n for n in d if len(n) >= 4}
        groups = "|".join(sorted({"TcpExt", "Tcp", "IpExt", "Ip", "Udp", "Icmp", "MPTcpExt"} | set(s.counters)))
        for where, text, _ in self.texts():
            for n in names:
                for m in re.finditer(r"(?:\b(%s)\s+)?\b%s\b(?:\s*\([^()]*\))?\s*[=:]?\s*%s(?!\s*(?:/s|%%|per))"
                                     % (groups, re.escape(n), NUM), text):
                    self.counter_match(where, n, m.group(1), num(m.group(2)))
                # "5,123 sockets closed without TIME_WAIT (TCPTimeWaitOverflow)"
                for m in re.finditer(r"%s [a-zA-Z_ ,]{0,60}\((?:%s )?%s\)" % (NUM, groups, re.escape(n)), text):
                    self.counter_match(where, n, None, num(m.group(1)))

    def counter_match(self, where, name, group, value):
        c, s = self.c, self.snap
        vals = s.counter(name, group)
        label = "%s%s in %s" % (group + " " if group else "", name, where)
        if not vals:
            src = "proc/net/netstat" if group != "Tcp" else "proc/net/snmp"
            c.bad("counter", label, "no number (the counter is not in this snapshot: unknown)", src, value)
        elif value in vals:
            c.ok()
        else:
            src = "proc/net/snmp" if any(name in d for g, d in s.counters.items() if g in ("Tcp", "Ip", "Udp", "Icmp")) \
                else "proc/net/netstat"
            c.bad("counter", label, show(set(vals)) if len(vals) > 1 else next(iter(vals)), src, value)

    def check_sysctl_quotes(self):
        c, s = self.c, self.snap
        leaves = {}
        for k in list(s.sysctl) + [p[2] for p in s.persisted]:
            leaves.setdefault(k.rsplit(".", 1)[-1], set()).add(k)
        for where, text, finding in self.texts():
            for m in re.finditer(r"(?<![\w./-])([a-z][a-z0-9_.\-]*[a-z0-9_])\s+(=|is)\s+", text):
                name = m.group(1)
                keys = {name} if "." in name and (name in s.sysctl or any(p[2] == name for p in s.persisted)) \
                    else leaves.get(name.rsplit(".", 1)[-1], set()) if "." in name else leaves.get(name, set())
                if not keys:
                    continue
                rest = text[m.end():]
                cur = {s.sysctl[k] for k in keys if k in s.sysctl}
                if name.endswith("ip_local_reserved_ports"):
                    tok = re.match(r'"?([\d,\-]*)"?', rest).group(1)
                    got, cmp = tok, lambda v: parse_port_set(v) == parse_port_set(tok)
                else:
                    nwant = max([len(v.split()) for v in cur] + [1])
                    nums = re.match(r"%s(?:\s+%s){0,%d}" % (NUM, NUM, nwant - 1), rest)
                    if nums:
                        got = " ".join(str(num(x)) for x in re.findall(NUM, nums.group(0)))
                    else:
                        w = re.match(r'"?([\w./-]+)"?', rest)
                        if not w:
                            continue
                        got = w.group(1)
                    cmp = lambda v: v == got  # noqa: E731
                ok_live = any(cmp(v) for v in cur)
                ok_boot = any(cmp(p[3]) for p in s.persisted if p[2] in keys)
                if ok_live or ok_boot:
                    c.ok()
                else:
                    c.bad("sysctl-quote", "%s = in %s" % (name, where),
                          show(cur) if cur else "a value of a sysctl.d file (the key is not in sysctl-a.txt)",
                          "sysctl-a.txt" if cur else "etc/sysctl.d", show(got))

    def tuple_candidates(self, sentence, ep):
        addr, port = ep
        cands = [k for k in self.snap.tuples
                 if (k[0] == "client" and k[2] == addr and k[3] == port) or
                 (k[0] == "server" and k[1] == addr and k[3] == port)]
        # Bare addresses (not addr:port) of the sentence name the tuple's
        # other end ("from 10.0.0.5 to 10.0.1.20:5432", "come from 10.0.3.1").
        others = {norm_addr(a) for a in re.findall(
            r"(?<![\d.])(\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]+\])(?![\d.]|:\d)", sentence)}
        if not others:
            return cands
        return [k for k in cands if (k[1] if k[0] == "client" else k[2]) in others]

    def pct_ok(self, text, u_values):
        """'96%' against candidate utilizations, to the printed precision."""
        m = re.fullmatch(r"(<)?(\d+(?:\.(\d+))?)%", text)
        if not m:
            return False
        v = float(m.group(2))
        if m.group(1):  # "<0.1%": only a bound twadvise prints
            return v in (0.01, 0.1, 1) and any(0 <= u * 100 < v + 1e-9 for u in u_values)
        half = 0.5 * 10 ** -(len(m.group(3)) if m.group(3) else 0)
        return any(abs(v - u * 100) <= half + 1e-9 or (u > 1 and v == 100) for u in u_values)

    def check_evidence(self):
        c, s = self.c, self.snap
        ep_re = r"(\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]+\]):(\d+)"
        totals = {len(s.tw)} | ({s.tw_sockstat()} if s.tw_sockstat() is not None else set())
        changes = [ch for f in self.doc.get("findings") or [] for ch in f.get("changes") or []]
        ranges = {s.port_range()} | {tuple(int(x) for x in ch["recommended"].split())
                                     for ch in changes if ch.get("sysctl") == "net.ipv4.ip_local_port_range"
                                     and re.fullmatch(r"\d+ \d+", ch.get("recommended") or "")}
        client_t = [(k, t) for k, t in s.tuples.items() if k[0] == "client" and t["count"]]
        rr = [ch.get("recommended") for ch in changes if ch.get("sysctl") == "net.ipv4.ip_local_port_range"]
        m = re.fullmatch(r"(\d+) (\d+)", rr[0] or "") if rr else None
        rec_range = (int(m.group(1)), int(m.group(2))) if m else None
        rec_reserved = next((ch.get("recommended") for ch in changes
                             if ch.get("sysctl") == "net.ipv4.ip_local_reserved_ports"), None)
        server_t = [(k, t) for k, t in s.tuples.items() if k[0] == "server" and t["count"]]

        def busiest(ts):
            us = set()
            for h in (False, True):
                vals = [self.util(k, t, h) for k, t in ts]
                us.add(max(vals) if vals else 0.0)
            return us

        # Any percentage of the evidence is one of the ratios recomputed here
        # (the rules below pin most of them to one ratio).
        ratios = set(self.all_shares) | self.nat_ratios()
        for k, t in s.tuples.items():
            ratios |= {self.util(k, t, False), self.util(k, t, True)}
        for where, text, finding in self.texts():
            if not where.startswith("finding"):
                continue
            for p in re.finditer(r"(?<![\w.,])<?\d+(?:\.\d+)?%", text):
                if self.pct_ok(p.group(0), ratios):
                    c.ok()
                else:
                    c.bad("evidence", "percentage in %s" % where, "one of the ratios recomputed from the snapshot",
                          "ss-tan.txt, sysctl-a.txt, cost inputs", p.group(0))
            # The cost summary quoted in an evidence (timewait-harmless).
            m = re.search(r"TIME_WAIT (?:is|looks) harmless here: .*", text)
            if m:
                allowed = dict(self.cost_everything)
                allowed["nums"] = allowed["nums"] | totals
                self.explain("cost summary in " + where, m.group(0), allowed, "the cost items")
            for sent in re.split(r"(?<=[.;])\s+", text):
                eps = [(m, (norm_addr(m.group(1)), int(m.group(2)))) for m in re.finditer(ep_re, sent)]
                # percentages and counts after a tuple
                for m, ep in eps:
                    cands = self.tuple_candidates(sent, ep)
                    if not cands:
                        c.bad("evidence", "tuple %s:%d in %s" % (ep[0], ep[1], where), "a tuple of the snapshot",
                              "ss-tan.txt", "no TIME_WAIT or held socket with that endpoint")
                        continue
                    us = {self.util(k, s.tuples[k], h) for k in cands for h in (False, True)}
                    counts = {s.tuples[k][f] for k in cands for f in ("count", "held")}
                    p = re.search(r"(<?\d+(?:\.\d+)?%)", sent[m.end():])
                    rest = sent[m.end() + p.end():] if p else ""
                    if p and re.match(r" of the " + NUM + r"/s", rest):
                        # "N% of the R/s its ports sustain": a rate share
                        # (the connect_rate item's value / limit).
                        if self.pct_ok(p.group(1), self.all_shares):
                            c.ok()
                        else:
                            c.bad("evidence", "rate share of %s:%d in %s" % (ep[0], ep[1], where),
                                  "a cost share", "ss-tan.txt timers, sysctl-a.txt", p.group(1))
                    elif p:
                        if self.pct_ok(p.group(1), us):
                            c.ok()
                        else:
                            c.bad("evidence", "utilization of %s:%d in %s" % (ep[0], ep[1], where),
                                  " or ".join(sorted({"%.2f%%" % (u * 100) for u in us})), "ss-tan.txt, sysctl-a.txt",
                                  p.group(1))
                    tw_counts = {s.tuples[k]["count"] for k in cands}
                    for n in re.finditer(NUM + r" (?:client-side |server-side )?TIME_WAIT sockets", sent):
                        if n.start() < m.start():
                            c.eq("evidence", "TIME_WAIT count of %s:%d in %s" % (ep[0], ep[1], where),
                                 show(tw_counts) if num(n.group(1)) not in tw_counts else num(n.group(1)),
                                 "ss-tan.txt", num(n.group(1)))
                    for n in re.finditer(r"\bholds? " + NUM + r" of", sent[m.end():]):
                        c.eq("evidence", "sockets held toward %s:%d in %s" % (ep[0], ep[1], where),
                             show(counts) if num(n.group(1)) not in counts else num(n.group(1)),
                             "ss-tan.txt", num(n.group(1)))
                if not eps:
                    for n in re.finditer(NUM + r" (?:TIME_WAIT sockets|sockets in TIME_WAIT|sockets are in TIME_WAIT)", sent):
                        if re.search(r"client-side TIME_WAIT sockets from", sent[n.start():n.end() + 30]):
                            continue
                        c.eq("evidence", "TIME_WAIT total in %s" % where,
                             num(n.group(1)) if num(n.group(1)) in totals else show(totals),
                             "ss-tan.txt / proc/net/sockstat", num(n.group(1)))
                m = re.search(r"\(%s client-side, %s server-side\)" % (NUM, NUM), sent)
                if m:
                    c.eq("evidence", "client-side count in %s" % where, s.tw_client, "ss-tan.txt", num(m.group(1)))
                    c.eq("evidence", "server-side count in %s" % where, s.tw_server, "ss-tan.txt", num(m.group(2)))
                m = re.search(NUM + r" of " + NUM + r" TIME_WAIT sockets are server-side", sent)
                if m:
                    c.eq("evidence", "server-side count in %s" % where, s.tw_server, "ss-tan.txt", num(m.group(1)))
                    c.eq("evidence", "TIME_WAIT total in %s" % where, len(s.tw), "ss-tan.txt", num(m.group(2)))
                m = re.search(NUM + r" server-side sockets", sent)
                if m:
                    c.eq("evidence", "server-side count in %s" % where, s.tw_server, "ss-tan.txt", num(m.group(1)))
                m = re.search(NUM + r" distinct peer", sent)
                if m:
                    peers = {k[2] for k, _ in server_t}
                    c.eq("evidence", "distinct server-side peers in %s" % where, len(peers), "ss-tan.txt", num(m.group(1)))
                m = re.search(NUM + r" client-side TIME_WAIT sockets from (\S+) toward " + NUM +
                              r" destinations use " + NUM + r" distinct local ports", sent)
                if m:
                    a = norm_addr(m.group(2))
                    mine = [x for x in s.tw if x["side"] == "client" and x["laddr"] == a]
                    c.eq("evidence", "client TIME_WAIT from %s in %s" % (a, where), len(mine), "ss-tan.txt", num(m.group(1)))
                    c.eq("evidence", "destinations of %s in %s" % (a, where),
                         len({(x["raddr"], x["rport"]) for x in mine}), "ss-tan.txt", num(m.group(3)))
                    c.eq("evidence", "distinct local ports of %s in %s" % (a, where),
                         len({x["lport"] for x in mine}), "ss-tan.txt", num(m.group(4)))
                m = re.search(r"busiest destination uses (<?\d+(?:\.\d+)?%)", sent)
                if m:
                    us = busiest(client_t)
                    if self.pct_ok(m.group(1), us):
                        c.ok()
                    else:
                        c.bad("evidence", "busiest destination's utilization in %s" % where,
                              show({"%.2f%%" % (u * 100) for u in us}), "ss-tan.txt", m.group(1))
                m = re.search(r"busiest peer (<?\d+(?:\.\d+)?%)", sent)
                if m:
                    us = busiest(server_t)
                    if self.pct_ok(m.group(1), us):
                        c.ok()
                    else:
                        c.bad("evidence", "busiest peer's utilization in %s" % where,
                              show({"%.2f%%" % (u * 100) for u in us}), "ss-tan.txt, profile peer_ports", m.group(1))
                for m in re.finditer(r"of (?:its |the )?" + NUM + r" (?:usable )?(?:ephemeral )?ports", sent):
                    c.eq("evidence", "ports available in %s" % where, self.client_ports,
                         "sysctl-a.txt", num(m.group(1)))
                for m in re.finditer(r"\(" + NUM + r" ports / 60 s\)", sent):
                    c.eq("evidence", "ports available in %s" % where, self.client_ports,
                         "sysctl-a.txt", num(m.group(1)))
                for m in re.finditer(r"a peer's " + NUM + r" (?:ephemeral )?ports", sent):
                    c.eq("evidence", "peer ports in %s" % where, self.peer_ports, "profile peer_ports", num(m.group(1)))
                for m in re.finditer(r"range (\d+)-(\d+)", sent):
                    got = (int(m.group(1)), int(m.group(2)))
                    if got in ranges:
                        c.ok()
                    else:
                        c.bad("evidence", "port range in %s" % where,
                              " or ".join("%d-%d" % r for r in ranges if r), "sysctl-a.txt / the recommended range",
                              "%d-%d" % got)
                m = re.search(r"range (\d+)-(\d+), " + NUM + " reserved", sent)
                if m:
                    lo, hi = int(m.group(1)), int(m.group(2))
                    c.eq("evidence", "reserved ports in range in %s" % where,
                         len([p for p in s.reserved() if lo <= p <= hi]), "sysctl-a.txt", num(m.group(3)))
                for m in re.finditer(r"at most %s new connections/s \(%s ports / 60 s\)" % (NUM, NUM), sent):
                    c.eq("evidence", "connections/s without reuse in %s" % where, round(self.client_ports / 60),
                         "ports available / 60 s", num(m.group(1)))
                m = re.search(r"With reuse it sustains about %s new connections/s" % NUM, sent)
                if m:
                    caps = {round(self.client_ports / self.reuse_delay(k[2])) for k, _ in client_t}
                    c.eq("evidence", "connections/s with reuse in %s" % where,
                         num(m.group(1)) if num(m.group(1)) in caps else show(caps),
                         "ports available / tcp_tw_reuse_delay", num(m.group(1)))
                if rec_range:
                    lo, hi = rec_range
                    res = parse_port_set(rec_reserved) if rec_reserved is not None else s.reserved()
                    wide = hi - lo + 1 - len([p for p in res if lo <= p <= hi])
                    m = re.search(r"gives each destination %s ports, about %s new connections/s" % (NUM, NUM), sent)
                    if m:
                        c.eq("evidence", "ports of the recommended range in %s" % where, wide,
                             "recommended range minus reserved ports", num(m.group(1)))
                        c.eq("evidence", "connections/s of the recommended range in %s" % where, round(wide / 60),
                             "its ports / 60 s", num(m.group(2)))
                    m = re.search(NUM + r" listening port\(s\) of this host fall inside it", sent)
                    if m:
                        c.eq("evidence", "listeners inside the recommended range in %s" % where,
                             len([p for p in s.listening if lo <= p <= hi]), "ss-tan.txt LISTEN", num(m.group(1)))
                    m = re.search(r"also reserves %s listening port\(s\) inside the range" % NUM, sent)
                    if m and s.port_range():
                        clo, chi = s.port_range()
                        new = [p for p in s.listening if lo <= p <= hi and p not in s.reserved()
                               and not clo <= p <= chi]
                        c.eq("evidence", "listeners the recommended range adds in %s" % where, len(new),
                             "ss-tan.txt LISTEN", num(m.group(1)))
                m = re.search(NUM + r" listening port\(s\) lie inside ip_local_port_range", sent)
                if m and s.port_range():
                    lo, hi = s.port_range()
                    want = len([p for p in s.listening if lo <= p <= hi and p not in s.reserved()])
                    c.eq("evidence", "unreserved listeners in the range in %s" % where, want,
                         "ss-tan.txt LISTEN, sysctl-a.txt", num(m.group(1)))

    # -- cost
    def check_cost(self):
        c, s = self.c, self.snap
        self.cost_texts = []
        for i, it in enumerate((self.doc.get("cost") or {}).get("items") or []):
            name = it.get("name")
            fn = getattr(self, "cost_" + str(name), None)
            if fn is None:
                c.bad("cost", "cost.items[%d] %s" % (i, name), "an item golden-check can recompute",
                      "tests/cli/golden-check.py", "an unknown item: teach golden-check what it measures")
                continue
            want = fn()
            if want is None:
                c.bad("cost", "cost %s" % name, "no such item (its inputs are unknown)", "the snapshot", "an item")
                continue
            origin = want.pop("from")
            self.cost_texts.append((name, it.get("verdict") or "", want, origin))
            for field in ("value", "limit"):
                if field not in want:
                    continue
                w = want[field]
                if isinstance(w, set):
                    if any(same_number(x, it.get(field)) for x in w):
                        c.ok()
                    else:
                        c.bad("cost", "cost %s %s" % (name, field), show(w), origin, show(it.get(field)))
                elif w is None:
                    c.eq("cost", "cost %s %s" % (name, field), None, origin, it.get(field))
                else:
                    c.close("cost", "cost %s %s" % (name, field), w, origin, it.get(field))
            # The share from the recomputed value and limit (the JSON's own
            # value when several are acceptable and it is one of them).
            lim, val = want.get("limit"), want.get("value")
            if isinstance(val, set):
                val = it.get("value") if any(same_number(x, it.get("value")) for x in val) else min(val, default=None)
            if isinstance(lim, (int, float)) and lim > 0 and isinstance(val, (int, float)):
                c.close("cost", "cost %s share" % name, val / lim, "value / limit", it.get("share"))
            ex = it.get("extra")
            if isinstance(ex, dict) and "extra" in want:
                wname, wval = want["extra"]
                if ex.get("name") != wname:
                    c.bad("cost", "cost %s extra.name" % name, show(wname), "tests/cli/golden-check.py", show(ex.get("name")))
                elif isinstance(wval, set):
                    if any(same_number(x, ex.get("value")) for x in wval):
                        c.ok()
                    else:
                        c.bad("cost", "cost %s extra %s" % (name, wname), show(wval), origin, show(ex.get("value")))
                else:
                    c.close("cost", "cost %s extra %s" % (name, wname), wval, origin, ex.get("value"), rel=1e-4)
            elif "extra" in want:
                c.bad("cost", "cost %s extra" % name, "%s = %s" % (want["extra"][0], show(want["extra"][1])),
                      origin, show(ex))
            elif isinstance(ex, dict):
                c.bad("cost", "cost %s extra %s" % (name, ex.get("name")), "an extra golden-check can recompute",
                      "tests/cli/golden-check.py", show(ex.get("value")))
            if "measured" in want:
                c.eq("cost", "cost %s measured" % name, want["measured"], origin, it.get("measured"))
            if "level" in want:
                if it.get("level") in want["level"]:
                    c.ok()
                else:
                    c.bad("cost", "cost %s level" % name, show(want["level"]), origin, show(it.get("level")))
                # Its finding: connect-rate-over-capacity reports a connect_rate
                # item above harmless, critical at "act".
                if name == "connect_rate":
                    f = [x for x in self.doc.get("findings") or [] if x.get("id") == "connect-rate-over-capacity"]
                    sev = {"harmless": None, "watch": "warning", "act": "critical"}.get(it.get("level"))
                    c.eq("cost", "connect-rate-over-capacity severity", sev, "the connect_rate level",
                         f[0].get("severity") if f else None)

    def check_cost_texts(self):
        """Every number of a cost item's verdict is one of the numbers
        recomputed for that item (value, limit, extra, share as a
        percentage, the same in KB/MB, and the item's own inputs); the
        cost summary may use any item's. Endpoints name the busiest tuple."""
        everything = {"nums": set(), "shares": set(), "eps": set()}
        checks = []
        for name, text, want, origin in self.cost_texts:
            allowed = {"nums": {60}, "shares": set(), "eps": set()}
            vals = {}
            for f in ("value", "limit"):
                w = want.get(f)
                vals[f] = w if isinstance(w, set) else ({w} if w is not None else set())
                allowed["nums"] |= vals[f]
            if "extra" in want:
                ex = want["extra"][1]
                allowed["nums"] |= ex if isinstance(ex, set) else {ex}
            allowed["nums"] |= want.get("numbers", set())
            allowed["eps"] |= want.get("endpoints", set())
            for v in vals["value"]:
                for l in vals["limit"]:
                    if l:
                        allowed["shares"].add(v / l)
            for k in everything:
                everything[k] |= allowed[k]
            checks.append(("cost %s verdict" % name, text, allowed, origin))
        self.all_shares = everything["shares"]
        self.cost_everything = everything
        summ = (self.doc.get("cost") or {}).get("summary")
        if summ:
            checks.append(("cost summary", summ, everything, "the cost items"))
        for where, text, allowed, origin in checks:
            self.explain(where, text, allowed, origin)

    def explain(self, where, text, allowed, origin):
        c = self.c
        ep_re = r"(\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]+\]):(\d+)|from (\d+\.\d+\.\d+\.\d+|[0-9a-fA-F:]*:[0-9a-fA-F:.]+) to port (\d+)"
        for m in re.finditer(ep_re, text):
            ep = ("client", norm_addr(m.group(1)), int(m.group(2))) if m.group(1) else \
                ("server", norm_addr(m.group(3)), int(m.group(4)))
            if ep in allowed["eps"]:
                c.ok()
            else:
                c.bad("cost", "tuple named in %s" % where, show({"%s %s port %d" % e for e in allowed["eps"]}),
                      "ss-tan.txt busiest tuple", "%s %s port %d" % ep)
        text = re.sub(ep_re, " ADDR ", text)
        text = re.sub(r"\bRFC \d+|/\S+|\d+\.\d+\.\d+\.\d+|\b%s\b" % re.escape(self.doc.get("kernel") or "@@"), " ", text)
        for m in re.finditer(r"(?<![\w.,])(<)?(\d+(?:\.\d+)?)%", text):
            if self.pct_ok(m.group(0), allowed["shares"]):
                c.ok()
            else:
                c.bad("cost", "percentage in %s" % where,
                      show({"%.2f%%" % (u * 100) for u in allowed["shares"]}), origin, m.group(0))
        text = re.sub(r"(?<![\w.,])<?\d+(?:\.\d+)?%", " ", text)
        unit = {"bytes": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
        for m in re.finditer(r"(?<![\w.,])(\d+(?:\.(\d+))?) (bytes|KB|MB|GB)\b", text):
            half = 0.5 * 10 ** -(len(m.group(2) or ""))
            v = float(m.group(1))
            if any(abs(x / unit[m.group(3)] - v) <= half + 1e-9 for x in allowed["nums"]):
                c.ok()
            else:
                c.bad("cost", "size in %s" % where, "one of the item's byte counts %s" % show(
                    {"%.1f %s" % (x / unit[m.group(3)], m.group(3)) for x in allowed["nums"] if x > 1000}),
                      origin, m.group(0))
        text = re.sub(r"(?<![\w.,])\d+(?:\.\d+)? (?:bytes|KB|MB|GB)\b", " ", text)
        for m in re.finditer(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w,]*\d)", text):
            v = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
            half = 0.5 * 10 ** -(len(m.group(2) or ""))
            if any(abs(x - v) <= half + 1e-9 for x in allowed["nums"]):
                c.ok()
            else:
                c.bad("cost", "number in %s" % where, "one of %s" % show(
                    {show(round(x, 3)) for x in allowed["nums"]}), origin, m.group(0))

    def tw_count(self):
        v = self.snap.tw_sockstat()
        return (v, "proc/net/sockstat TCP tw") if v is not None else (len(self.snap.tw), "ss-tan.txt")

    def reuse_delay(self, remote):
        sc = self.snap.sysctl
        reuse, ts = sc.get("net.ipv4.tcp_tw_reuse"), sc.get("net.ipv4.tcp_timestamps")
        if reuse not in ("1", "2") or ts in (None, "0"):
            return 60.0
        if reuse == "2" and not (remote.startswith("127.") or remote == "::1"):
            return 60.0
        d = sc.get("net.ipv4.tcp_tw_reuse_delay")
        return int(d) / 1000.0 if d and d.isdigit() and 1 <= int(d) <= 60000 else 1.0

    def top_of(self, side):
        ts = [(k, t) for k, t in self.snap.tuples.items() if k[0] == side and t["count"] > 0]
        if not ts:
            return []
        best = max((t["held"], t["count"]) for _, t in ts)
        best_c = max(t["count"] for _, t in ts)
        # The busiest by held (then count), or by count alone.
        return [(k, t) for k, t in ts if (t["held"], t["count"]) == best or t["count"] == best_c]

    def cost_tuples(self):
        top = self.top_of("client")
        ports = self.client_ports
        if not top:
            return {"value": 0, "limit": ports, "from": "ss-tan.txt (no client TIME_WAIT), sysctl-a.txt"}
        vals = {t[f] for _, t in top for f in ("count", "held")}
        caps = {ports / self.reuse_delay(k[2]) for k, _ in top}
        return {"value": vals, "limit": ports, "extra": ("capacity_per_s", caps),
                "numbers": {self.reuse_delay(k[2]) for k, _ in top},
                "endpoints": {("client", k[2], k[3]) for k, _ in top},
                "from": "ss-tan.txt busiest client tuple, sysctl-a.txt range and reuse"}

    def cost_connect_rate(self):
        """New connections/s toward the busiest client tuple, from its TIME_WAIT
        timers (a snapshot has no --interval): the sockets with more than 50 s
        left entered TIME_WAIT in the last 10 s. Capacity = ports / 60 s, or
        / the reuse delay. The level: the profile's utilization thresholds on
        rate / capacity, "act" only when the last 30 s (more than 30 s left)
        reach it too, else "watch" (cost.c: a burst)."""
        top = [(k, t) for k, t in self.top_of("client")
               if t["timers"] and all(x is not None for x in t["timers"])]
        if not top:
            return None
        out = {"value": set(), "limit": set(), "level": set(), "numbers": set(),
               "endpoints": set(), "from": "ss-tan.txt timer:(timewait,...) of the busiest client tuple, "
                                           "sysctl-a.txt range and reuse, profile thresholds"}
        warn = profile_threshold(self.args.data_dir, self.doc.get("profile"), "utilization_warning") or 0.5
        crit = profile_threshold(self.args.data_dir, self.doc.get("profile"), "utilization_critical") or 0.8
        for k, t in top:
            r10 = sum(1 for x in t["timers"] if x > 50000) / 10.0
            r30 = sum(1 for x in t["timers"] if x > 30000) / 30.0
            delay = self.reuse_delay(k[2])
            cap = self.client_ports / delay
            share = r10 / cap
            level = "act" if share >= crit else "watch" if share >= warn else "harmless"
            if level == "act" and delay == 60.0 and r30 / cap < crit:
                level = "watch"
            out["value"].add(r10)
            out["limit"].add(cap)
            out["level"].add(level)
            out["numbers"] |= {r30, delay, 10, 30}
            out["endpoints"].add(("client", k[2], k[3]))
        return out

    def cost_tuples_server(self):
        top = self.top_of("server")
        if not top:
            return None
        return {"value": {t[f] for _, t in top for f in ("count", "held")}, "limit": self.peer_ports,
                "extra": ("peer_ports", self.peer_ports),
                "endpoints": {("server", k[2], k[3]) for k, _ in top},
                "from": "ss-tan.txt busiest server tuple, profile peer_ports"}

    def cost_max_tw_buckets(self):
        s = self.snap
        tw, src = self.tw_count()
        mx = s.sysctl.get("net.ipv4.tcp_max_tw_buckets")
        eh = self.ehash()
        limit = int(mx) if mx and mx.isdigit() else (eh[0] // 2 if eh else None)
        out = {"value": tw, "from": "%s, sysctl-a.txt tcp_max_tw_buckets, proc/net/netstat" % src}
        if limit is not None:
            out["limit"] = limit
        ovf = s.counter("TCPTimeWaitOverflow", "TcpExt")
        if ovf:
            out["extra"] = ("overflows", ovf)
        if eh:
            out["numbers"] = {eh[0], eh[0] // 2}
        return out

    def cost_conntrack(self):
        s = self.snap
        cnt, mx = s.sysctl.get("net.netfilter.nf_conntrack_count"), s.sysctl.get("net.netfilter.nf_conntrack_max")
        table = s.conntrack_lines
        if cnt is None and mx is None and table is None:
            return {"value": 0, "from": "sysctl-a.txt (no nf_conntrack keys)"}
        out = {"value": int(cnt) if cnt and cnt.isdigit() else (len(table) if table is not None else None),
               "from": "sysctl-a.txt nf_conntrack_count/max, proc/net/nf_conntrack"}
        if mx and mx.isdigit():
            out["limit"] = int(mx)
        to = s.sysctl.get("net.netfilter.nf_conntrack_tcp_timeout_time_wait")
        out["numbers"] = {int(to) if to and to.isdigit() else 120}
        if table is not None:
            out["extra"] = ("time_wait_entries",
                            sum(1 for l in table if re.search(r"\btcp\b", l) and re.search(r"\bTIME_WAIT\b", l)))
        return out

    def cost_memory(self):
        s = self.snap
        total_kb = s.meminfo.get("MemTotal")
        slab = s.slab or {}
        rows = [slab[n] for n in ("tw_sock_TCP", "tw_sock_TCPv6") if n in slab]
        out = {"from": "proc/slabinfo tw_sock_TCP(v6) active_objs x objsize, proc/meminfo MemTotal"}
        if total_kb is not None:
            out["limit"] = total_kb * 1024
        if rows:
            bb = slab.get("tcp_bind_bucket")
            tw_bytes = sum(r["active"] * r["objsize"] for r in rows)
            pages = sum(r["num_slabs"] * r["pagesperslab"] for r in rows + ([bb] if bb else []))
            out["value"] = {tw_bytes, tw_bytes + (bb["active"] * bb["objsize"] if bb else 0)}
            out["extra"] = ("slab_bytes", {pages * 4096, pages * 16384, pages * 65536})
            out["measured"] = True
            out["numbers"] = {sum(r["active"] for r in rows)}
        else:
            tw, src = self.tw_count()
            out["value"] = tw * 256
            out["measured"] = False
            out["numbers"] = {tw, 256}
            out["from"] = "%s x 256 bytes (no tw_sock rows in proc/slabinfo), proc/meminfo" % src
        return out

    def ehash(self):
        e = self.snap.sysctl.get("net.ipv4.tcp_ehash_entries")
        if e and re.fullmatch(r"-?\d+", e) and int(e) != 0:
            return abs(int(e)), "sysctl-a.txt tcp_ehash_entries"
        d = self.snap.dmesg_entries("established")
        return (d, "dmesg.txt") if d else None

    def cost_ehash(self):
        s = self.snap
        eh = self.ehash()
        if not eh:
            return None
        tw, src = self.tw_count()
        v = tw + s.sockstat.get(("TCP", "inuse"), 0) + s.sockstat.get(("TCP6", "inuse"), 0)
        return {"value": v, "limit": eh[0], "extra": ("default_max_tw_buckets", eh[0] // 2), "numbers": {tw},
                "from": "%s + proc/net/sockstat{,6} inuse, %s" % (src, eh[1])}

    def cost_bhash(self):
        s = self.snap
        b = s.dmesg_entries("bind")
        if not b:
            return None
        bb = (s.slab or {}).get("tcp_bind_bucket")
        if bb:
            return {"value": bb["active"], "limit": b, "measured": True,
                    "from": "proc/slabinfo tcp_bind_bucket, dmesg.txt"}
        # Estimated: listening ports plus, per local address, the distinct
        # local ports of its client TIME_WAIT sockets (a lower bound; twadvise
        # keeps the 8 busiest addresses, so with more any value between the
        # 8 busiest and all of them is accepted).
        per = {}
        for x in s.tw:
            if x["side"] == "client":
                per.setdefault(x["laddr"], set()).add(x["lport"])
        sizes = sorted((len(v) for v in per.values()), reverse=True)
        lst = len(s.listening)
        vals = {lst + sum(sizes)} if len(sizes) <= 8 else set(range(lst + sum(sizes[:8]) - 0, lst + sum(sizes) + 1))
        return {"value": vals, "limit": b, "measured": False,
                "from": "ss-tan.txt listening and client TIME_WAIT ports, dmesg.txt"}

    def cost_file_descriptors(self):
        s = self.snap
        fm = s.sysctl.get("fs.file-max")
        out = {"value": 0, "extra": ("time_wait_sockets", len(s.tw)),
               "from": "ss-tan.txt (TIME_WAIT sockets hold no fd), sysctl-a.txt fs.file-max"}
        if fm and fm.isdigit() and int(fm) > 0:
            out["limit"] = int(fm)
        return out

    # -- the fragment
    def check_fragment(self, text, origin):
        c, s = self.c, self.snap
        findings = self.doc.get("findings") or []
        recs = {}
        for f in findings:
            if f.get("acknowledged"):
                continue
            for ch in f.get("changes") or []:
                recs.setdefault(ch.get("sysctl"), set()).add(ch.get("recommended"))
        seen = {}
        for i, line in enumerate(text.splitlines(), 1):
            st = line.strip()
            if not st or st.startswith("#"):
                continue
            m = re.fullmatch(r"([A-Za-z0-9_.\-/]+) = (.+)", st)
            if not m:
                c.bad("fragment", "%s line %d" % (origin, i), '"key = value"', "sysctl.d(5)", show(st))
                continue
            k, v = m.group(1), m.group(2)
            if k in seen:
                c.bad("fragment", "%s line %d: %s" % (origin, i, k), "each key once", "sysctl.d(5)",
                      "a second time (line %d)" % seen[k])
            seen[k] = i
            c.eq("fragment", "%s line %d: %s present on the kernel" % (origin, i, k), True, "sysctl-a.txt", k in s.sysctl)
            if k == "net.ipv4.tcp_tw_recycle":
                c.eq("fragment", "%s line %d: tcp_tw_recycle" % (origin, i), "0", "contract invariant 1", v)
            if k == "net.ipv4.tcp_rfc1337":
                c.bad("rfc1337", "%s line %d" % (origin, i), "no tcp_rfc1337 line (issue 8, defect 4)",
                      "contract", show(st))
            if v in recs.get(k, ()):
                c.ok()
            else:
                c.bad("fragment", "%s line %d: %s" % (origin, i, k),
                      "a recommendation of a non-acknowledged finding (%s)" % show(recs.get(k, set())),
                      "the report's findings", show(v))
        rng = self.frag_value(text, "net.ipv4.ip_local_port_range")
        if rng is not None:
            m = re.fullmatch(r"(\d+) (\d+)", rng)
            if not m or not 1 <= int(m.group(1)) <= int(m.group(2)) <= 65535:
                c.bad("fragment", "%s ip_local_port_range" % origin, '"lo hi" with lo <= hi', "contract", show(rng))
            else:
                lo, hi = int(m.group(1)), int(m.group(2))
                wr = self.frag_value(text, "net.ipv4.ip_local_reserved_ports")
                reserved = parse_port_set(wr) if wr is not None else s.reserved()
                bare = sorted(p for p in s.listening if lo <= p <= hi and p not in reserved)
                c.eq("fragment", "%s listeners inside ip_local_port_range %d-%d" % (origin, lo, hi),
                     "all reserved", "ss-tan.txt LISTEN, contract invariant 3",
                     "all reserved" if not bare else "unreserved: %s" % ",".join(map(str, bare)))

    @staticmethod
    def frag_value(text, key):
        m = re.search(r"^%s = (.*)$" % re.escape(key), text, re.M)
        return m.group(1).strip() if m else None

    def check_changes(self):
        c, s = self.c, self.snap
        for f in self.doc.get("findings") or []:
            for ch in f.get("changes") or []:
                k = ch.get("sysctl")
                what = "finding %s change %s" % (f.get("id"), k)
                c.eq("fragment", what + " current", s.sysctl.get(k), "sysctl-a.txt", ch.get("current"))
                if k == "net.ipv4.tcp_tw_recycle":
                    c.eq("fragment", what + " recommended", "0", "contract invariant 1", ch.get("recommended"))
                p = ch.get("persisted")
                if isinstance(p, dict):
                    hits = [x for x in s.persisted if x[0] == p.get("file") and x[1] == p.get("line") and x[2] == k]
                    if hits and hits[0][3] == p.get("value"):
                        c.ok()
                    else:
                        c.bad("fragment", what + " persisted", "%s:%s to assign %s" % (p.get("file"), p.get("line"), k),
                              "the snapshot's sysctl.d files", "%s" % (show(hits[0][3]) if hits else "no such assignment"))

    # -- the text format
    def check_text(self, text):
        c, s = self.c, self.snap
        m = re.search(r"Total: " + NUM + " sockets", text)
        if m:
            c.eq("text", "text Total", len(s.tw), "ss-tan.txt TIME-WAIT lines", num(m.group(1)))
        else:
            c.bad("text", "text Total", "a 'Total: N sockets' line", "--format text", "none")
        m = re.search(r"Ephemeral ports: (\d+)-(\d+), " + NUM + " available", text)
        if m:
            c.eq("text", "text ephemeral range", list(s.port_range() or ()), "sysctl-a.txt",
                 [int(m.group(1)), int(m.group(2))])
            c.eq("text", "text ports available", s.ports_available(), "sysctl-a.txt", num(m.group(3)))
        m = re.search(r"^Findings: %s critical, %s warning, %s info" % (NUM, NUM, NUM), text, re.M)
        if m:
            fs = self.doc.get("findings") or []
            for i, sev in enumerate(SEVERITIES):
                c.eq("text", "text Findings " + sev, sum(1 for f in fs if f.get("severity") == sev),
                     "the findings' severities", num(m.group(i + 1)))
        rows = re.findall(r"^\s+(client|server)\s+(\S+)\s+(\S+)\s+((?:[\d,]+\s+)+)\[[^\]]*\]\s+(\S+%)\s*$", text, re.M)
        jrows = (self.doc.get("time_wait") or {}).get("top") or []
        c.eq("text", "text top rows", len(jrows), "the JSON top list", len(rows))
        for i, (side, local, remote, nums, pct) in enumerate(rows):
            if side == "client":
                l, r = local, split_endpoint(remote)
                key = (side, norm_addr(l), r[0], r[1]) if r else None
            else:
                l, r = split_endpoint(local), remote
                key = (side, l[0], norm_addr(r), l[1]) if l else None
            t = s.tuples.get(key)
            what = "text top row %d (%s %s %s)" % (i + 1, side, local, remote)
            if not t:
                c.bad("text", what, "a tuple of the snapshot", "ss-tan.txt", "none such")
                continue
            vals = [num(x) for x in nums.split()]
            c.eq("text", what + " count", t["count"], "ss-tan.txt", t["count"] if t["count"] in vals else vals[-1])
            extra = [v for v in vals if v not in (t["count"], t["held"])]
            if extra:
                c.bad("text", what + " numbers", "count %d or held %d" % (t["count"], t["held"]), "ss-tan.txt", extra)
            us = {self.util(key, t, False), self.util(key, t, True)}
            if self.pct_ok(pct, us):
                c.ok()
            else:
                c.bad("text", what + " utilization", show({"%.2f%%" % (u * 100) for u in us}), "ss-tan.txt", pct)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--snapshot", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--text")
    ap.add_argument("--conf")
    ap.add_argument("--data-dir", default=os.path.join(here, "..", ".."))
    ap.add_argument("--label", help='"SCENARIO PROFILE" for messages')
    ap.add_argument("--source", help="the file checked, for messages")
    ap.add_argument("--known", action="append", default=[], metavar="TAG=REASON")
    ap.add_argument("--hits", help="append the known-wrong TAGs seen to this file")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    try:
        with open(args.json, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print("golden-check: %s: %s" % (args.json, e))
        return 1
    if not os.path.isfile(os.path.join(args.snapshot, "ss-tan.txt")):
        print("golden-check: %s: no ss-tan.txt" % args.snapshot)
        return 1
    args.text_content = read(args.text) if args.text else None
    label = args.label or "%s %s" % (os.path.basename(os.path.normpath(args.snapshot)), doc.get("profile"))
    scen, _, prof = label.partition(" ")
    known = dict(k.split("=", 1) if "=" in k else (k, "known") for k in args.known)
    c = Checker(scen, prof, args.source, known, args.quiet)
    snap = Snapshot(args.snapshot)
    rep = Report(args, snap, doc, c)

    c.eq("summary", "twadvise (document version)", 1, "contract", doc.get("twadvise"))
    rep.check_time_wait()
    rep.check_summary()
    rep.check_counters()
    rep.check_sysctl_quotes()
    rep.check_cost()
    rep.check_cost_texts()
    rep.check_evidence()
    rep.check_changes()
    rep.check_nat()
    frag = doc.get("sysctl_d")
    if isinstance(frag, str):
        rep.check_fragment(frag, "sysctl_d")
    else:
        c.bad("fragment", "sysctl_d", "the fragment as a string", "contract", show(frag))
    if args.conf:
        conf = read(args.conf)
        c.eq("fragment", "--format sysctl output", frag, "the JSON sysctl_d", conf)
    if args.text_content is not None:
        rep.check_text(args.text_content)

    if args.hits and c.known_hits:
        with open(args.hits, "a", encoding="utf-8") as f:
            for t in sorted(c.known_hits):
                f.write("%s %s %s\n" % (scen, prof, t))
    if not args.quiet:
        capped = "none above 1" if not rep.over_one else \
            "capped at 1" if all(u == 1 for u in rep.over_one) else "raw (above 1)"
        print("golden-check: %s %s: %d numbers agree, %d mismatches%s (utilization %s; %s)" % (
            scen, prof, c.checked, c.failed,
            ", %d known-wrong tags" % len(c.known_hits) if c.known_hits else "",
            "held/ports" if rep.uses_held else "count/ports", capped))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# html_check.py: checks for tests/cli/html.sh, on the DOM that headless
# Chromium dumped (--dump-dom) and on the JSON reports of the same
# snapshots (--format json), which give the expected values
# independently of the HTML renderer. Prints "ok ..." / "FAIL ..."
# lines; exit 1 when anything failed.
#   html_check.py host DOM JSON [AGES_JSON]  one host's page
#   html_check.py fleet DOM JSONL            a fleet page
#   html_check.py netlog NETLOG              no http(s)/ws(s) request
#   html_check.py netlog-has NETLOG URL      the control: that URL was requested
#   html_check.py static HTML                no fetching attribute or CSS url()
import json
import sys
from html.parser import HTMLParser

fails = 0


def ok(msg):
    print("ok   " + msg)


def bad(msg):
    global fails
    fails += 1
    print("FAIL " + msg)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.items = [], []   # items: text and children, in order

    def all_text(self):
        return "".join(i if isinstance(i, str) else i.all_text() for i in self.items)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def classes(self):
        return (self.attrs.get("class") or "").split()


VOID = {"meta", "br", "img", "input", "link", "hr", "rect", "line", "path"}


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        self.cur.items.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        self.cur.items.append(n)

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.items.append(data)


def parse(path):
    t = Tree()
    with open(path, encoding="utf-8") as f:
        t.feed(f.read())
    return t.root


def find(root, pred):
    return [n for n in root.walk() if pred(n)]


def host_checks(root, doc, section, label):
    """One report 'doc' against the DOM subtree 'section'."""
    ids = [f["id"] for f in doc["findings"]]
    got = {n.attrs.get("data-finding") for n in find(section, lambda n: n.tag == "article")}
    for i in ids:
        if i in got:
            ok(f"{label}: finding {i} is in the DOM")
        else:
            bad(f"{label}: finding {i} is missing from the DOM")
    extra = got - set(ids)
    if extra:
        bad(f"{label}: findings not in the report: {sorted(extra)}")
    badges = find(section, lambda n: "badge" in n.classes() and n.parent and "verdict" in " ".join(n.parent.parent.classes() if n.parent.parent else []))
    want = doc["verdict"]
    texts = [b.all_text().split()[-1].strip().lower() for b in badges]
    if texts and texts[0] == want:
        ok(f"{label}: verdict {want}")
    else:
        bad(f"{label}: verdict shown {texts}, report says {want}")
    # Each change: current -> recommended, and persisted FILE:LINE when set.
    text = section.all_text()
    for f in doc["findings"]:
        for ch in f["changes"]:
            if ch["recommended"] not in text or ch["sysctl"] not in text:
                bad(f"{label}: change {ch['sysctl']} = {ch['recommended']} not shown")
            p = ch.get("persisted")
            if p and f"{p['file']}:{p['line']}" not in text:
                bad(f"{label}: persisted {p['file']}:{p['line']} not shown")
    # The fragment, byte for byte, in its <pre>.
    pres = find(section, lambda n: n.tag == "pre")
    if any(p.all_text() == doc["sysctl_d"] for p in pres):
        ok(f"{label}: the fragment is in a <pre>, as --format sysctl prints it")
    else:
        bad(f"{label}: no <pre> holds the fragment")
    if find(section, lambda n: n.tag == "button" and "copy" in n.classes()):
        ok(f"{label}: copy button")
    else:
        bad(f"{label}: no copy button")
    # Port use against budget: held of ports_available, per client destination.
    tw = doc["time_wait"]
    svgtext = " ".join(n.all_text() for n in find(section, lambda n: n.tag == "svg" and "chart" in n.classes()))
    for t in tw["top"][:10]:
        if t["side"] == "client" and tw["ports_available"]:
            want = f"{t['held']:,} held of {tw['ports_available']:,} ports"
            if want in svgtext:
                ok(f"{label}: bar '{want}'")
            else:
                bad(f"{label}: no bar '{want}'")
    # Gauges: one per cost item.
    n_g = len(find(section, lambda n: n.tag == "svg" and "gauge" in n.classes()))
    if n_g == len(doc["cost"]["items"]):
        ok(f"{label}: {n_g} cost gauges")
    else:
        bad(f"{label}: {n_g} gauges for {len(doc['cost']['items'])} cost items")


def check_static(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    root = Tree()
    root.feed(src)
    fetching = []
    for n in root.root.walk():
        for a in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
            v = n.attrs.get(a)
            if v is not None and not v.startswith("#"):
                fetching.append((n.tag, a, v))
    if fetching:
        bad(f"{path}: attributes that may fetch: {fetching[:5]}")
    else:
        ok("no src/href but #anchors")
    for needle in ("url(", "@import", "@font-face"):
        if needle in src:
            bad(f"{path}: CSS '{needle}'")
    scripts = [n for n in root.root.walk() if n.tag == "script"]
    if len(scripts) == 1 and "src" not in scripts[0].attrs:
        ok("one inline script")
    else:
        bad(f"{len(scripts)} script elements")
    csp = [n for n in root.root.walk() if n.tag == "meta" and n.attrs.get("http-equiv") == "Content-Security-Policy"]
    if csp and "default-src 'none'" in csp[0].attrs.get("content", ""):
        ok("CSP default-src 'none'")
    else:
        bad("no CSP meta")
    html = [n for n in root.root.walk() if n.tag == "html"]
    if html and html[0].attrs.get("lang") and [n for n in root.root.walk() if n.tag == "title"]:
        ok("lang and title")
    else:
        bad("no lang or no title")
    ths = [n for n in root.root.walk() if n.tag == "th"]
    if ths and all(n.attrs.get("scope") in ("col", "row") for n in ths):
        ok(f"{len(ths)} <th>, all with scope")
    else:
        bad("a <th> without scope")


def netlog_requests(path):
    """The URL requests of the log, as (url, made by a page). Chromium's
    own background requests (updates, time) have no initiating origin and
    no file:// isolation key; a page's requests have both."""
    with open(path, encoding="utf-8") as f:
        raw = f.read().rstrip()
    # Chromium may leave the log unterminated when it exits at once.
    try:
        log = json.loads(raw)
    except json.JSONDecodeError:
        log = json.loads(raw.rstrip(",") + "]}")
    types = log.get("constants", {}).get("logEventTypes", {})
    start = types.get("URL_REQUEST_START_JOB")
    reqs = []
    for e in log.get("events", []):
        p = e.get("params") or {}
        if e.get("type") != start or not isinstance(p.get("url"), str):
            continue
        by_page = p.get("initiator") != "not an origin" or "file://" in str(p.get("network_isolation_key"))
        reqs.append((p["url"], by_page))
    return reqs, len(log.get("events", []))


def main():
    mode = sys.argv[1]
    if mode == "host":
        root = parse(sys.argv[2])
        with open(sys.argv[3], encoding="utf-8") as f:
            doc = json.load(f)
        host_checks(root, doc, root, "host")
        if len(sys.argv) > 4:
            # TIME_WAIT ages: the buckets html.sh computed from the timers it wrote.
            with open(sys.argv[4], encoding="utf-8") as f:
                want = json.load(f)
            figs = find(root, lambda n: n.tag == "figure" and "ages" in n.classes())
            shown = {}
            for fig in figs:
                cap = fig.children[-1].all_text() if fig.children else ""
                nums = [int(t.all_text().replace(",", "")) for t in find(fig, lambda n: n.tag == "text" and "num" in n.classes())]
                shown[cap.split(": ")[0]] = nums
            for dest, buckets in want.items():
                key = next((k for k in shown if k.endswith(dest)), None)
                if key is not None and shown[key] == buckets:
                    ok(f"ages toward {dest}: {buckets}")
                else:
                    bad(f"ages toward {dest}: want {buckets}, DOM {shown}")
    elif mode == "hostile":
        root = parse(sys.argv[2])
        needle = sys.argv[3]
        scripts = find(root, lambda n: n.tag == "script")
        if len(scripts) == 1:
            ok("the hostile name added no element")
        else:
            bad(f"{len(scripts)} script elements: the hostile name was not escaped")
        h1 = find(root, lambda n: n.tag == "h1")
        if h1 and h1[0].all_text() == needle:
            ok("the hostile name is shown as text")
        else:
            bad(f"h1 is {h1[0].all_text() if h1 else None!r}, want {needle!r}")
    elif mode == "fleet":
        root = parse(sys.argv[2])
        with open(sys.argv[3], encoding="utf-8") as f:
            docs = [json.loads(l) for l in f if l.strip()]
        table = find(root, lambda n: n.tag == "table" and n.attrs.get("id") == "hosts-table")
        if not table:
            bad("no hosts table")
            return
        rows = find(table[0], lambda n: n.tag == "tr" and "data-host" in n.attrs)
        if len(rows) == len(docs):
            ok(f"hosts table: {len(rows)} rows")
        else:
            bad(f"hosts table: {len(rows)} rows for {len(docs)} reports")
        rank = {"act": 3, "watch": 2, "harmless": 1}
        prev = 99
        for r in rows:
            i = int(r.attrs["data-host"]) - 1
            d = docs[i]
            a = find(r, lambda n: n.tag == "a")
            href = a[0].attrs.get("href") if a else None
            name = d.get("hostname") or d.get("snapshot")
            if a and a[0].all_text() == name:
                ok(f"row {i + 1} names {name}")
            else:
                bad(f"row {i + 1}: {a[0].all_text() if a else None!r}, want {name!r}")
            sec = find(root, lambda n: n.tag == "section" and href and n.attrs.get("id") == href[1:])
            if sec:
                host_checks(root, d, sec[0], f"host {i + 1} ({name})")
            else:
                bad(f"row {i + 1}: link {href} leads to no section")
            v = find(r, lambda n: "verdict-cell" in n.classes())[0].all_text().strip()
            if v != d["verdict"]:
                bad(f"row {i + 1}: verdict {v}, report says {d['verdict']}")
            if rank[v] > prev:
                bad("hosts table not sorted by verdict, worst first")
            prev = rank[v]
        # Heat map: a cell per (host, destination) with its percentage as text.
        heat = find(root, lambda n: n.tag == "table" and "heat" in n.classes())
        if not heat:
            bad("no heat map")
            return
        hrows = find(heat[0], lambda n: n.tag == "tr")[1:]
        cols = [th.all_text() for th in find(find(heat[0], lambda n: n.tag == "tr")[0], lambda n: n.tag == "th")][1:]
        seen = 0
        for i, (r, d) in enumerate(zip(hrows, docs)):
            cells = find(r, lambda n: n.tag == "td")
            for t in d["time_wait"]["top"]:
                if t["utilization"] is None:
                    continue
                if t["side"] == "client":
                    lbl = f"{t['local']} \u2192 {t['remote']}:{t['remote_port']}"
                else:
                    lbl = f"{t['local']}:{t['local_port']} \u2190 {t['remote']}"
                lbl = lbl.replace(f"{t['remote']}:", f"[{t['remote']}]:") if ":" in t["remote"] and t["side"] == "client" else lbl
                if lbl in cols:
                    txt = cells[cols.index(lbl)].all_text()
                    want = f"{t['utilization'] * 100:.1f}%"
                    seen += 1
                    if txt != want:
                        bad(f"heat map {name} {lbl}: {txt}, want {want}")
        if seen:
            ok(f"heat map: {seen} cells carry the utilization as text")
        else:
            bad("heat map: no cell matched a destination")
    elif mode == "static":
        check_static(sys.argv[2])
    elif mode == "netlog":
        reqs, n = netlog_requests(sys.argv[2])
        net = [u for u, page in reqs if page and u.split(":", 1)[0].lower() in ("http", "https", "ws", "wss", "ftp")]
        own = sum(1 for _, page in reqs if not page)
        if n == 0:
            bad("empty net log")
        elif net:
            bad(f"requests left the file: {net[:5]}")
        else:
            ok(f"net log: {n} events, no http/https/ws request from the page "
               f"({own} of Chromium's own background requests)")
    elif mode == "netlog-has":
        reqs, n = netlog_requests(sys.argv[2])
        if any(u.startswith(sys.argv[3]) and page for u, page in reqs):
            ok(f"control: the net log shows the request to {sys.argv[3]}")
        else:
            bad(f"control: {sys.argv[3]} not in the net log ({n} events): the check could not see a request")
    sys.exit(1 if fails else 0)


main()

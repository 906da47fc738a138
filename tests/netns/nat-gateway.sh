#!/bin/sh
# SPDX-License-Identifier: MIT
# nat-gateway.sh: a masquerading gateway namespace between a client and a
# server namespace, with real conntrack entries. client --veth-- gateway
# --veth-- server, private addresses that exist only inside the three
# namespaces; nftables masquerades on the gateway with a narrow SNAT
# range (to :40000-40999, 1,000 ports) so that a few hundred connections
# fill it. twadvise --netns GW, and the analysis of a --capture of GW,
# must report the SNAT use per (public address, destination, port) equal
# to an independent count of `conntrack -L`, pick the nat-gateway
# profile, and fire nat-snat-ports with those numbers. The range comes
# from the ruleset itself (libnftables live, nft-ruleset.json in a
# snapshot, also real `nft -j list ruleset` output); fully-random is
# advised only while the rule lacks it.
. "$(dirname "$0")/lib.sh"

command -v nft >/dev/null 2>&1 || skip "no nft (Debian nftables)"
command -v conntrack >/dev/null 2>&1 || skip "no conntrack (Debian conntrack)"

N=600            # connections made through the gateway
PORT=8080
new_ns natc; C=$ns
new_ns natg; G=$ns
new_ns nats; S=$ns

ip -n "$C" link add vc type veth peer name vg netns "$G" || skip "no veth"
ip -n "$G" link add vs type veth peer name vv netns "$S" || skip "no veth"
ip -n "$C" addr add 10.77.1.2/24 dev vc
ip -n "$G" addr add 10.77.1.1/24 dev vg
ip -n "$G" addr add 192.168.77.1/24 dev vs
ip -n "$S" addr add 192.168.77.2/24 dev vv
for l in "$C vc" "$G vg" "$G vs" "$S vv"; do
	set -- $l
	ip -n "$1" link set "$2" up || fail "link $2 up in $1"
done
ip -n "$C" route add default via 10.77.1.1 || fail "client route"
ip netns exec "$G" sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward"
ip netns exec "$G" nft -f - <<'NFT' || skip "nft masquerade unavailable"
table ip twnat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "vs" meta l4proto tcp masquerade to :40000-40999
	}
}
NFT

# Server: accepts and reads until the client closes; client: N short
# connections, one after the other (bounded: 30 s at most).
cat >"$TW_TMP/server.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.168.77.2", int(sys.argv[1]))); s.listen(128); s.settimeout(45)
print("ready", flush=True)
try:
    while True:
        c, _ = s.accept(); c.settimeout(5)
        try:
            c.recv(16)
        finally:
            c.close()
except OSError:
    pass
PY
cat >"$TW_TMP/client.py" <<'PY'
import socket, sys, time
n, port, end = int(sys.argv[1]), int(sys.argv[2]), time.time() + 30
for i in range(n):
    if time.time() > end:
        sys.exit("client: out of time after %d connections" % i)
    c = socket.create_connection(("192.168.77.2", port), timeout=5)
    c.close()
print("done", n)
PY
ip netns exec "$S" "$PY" "$TW_TMP/server.py" $PORT >"$TW_TMP/ready.1" 2>&1 &
tw_pids="$tw_pids $!"
tw_n=1
wait_ready
ip netns exec "$C" "$PY" "$TW_TMP/client.py" $N $PORT || fail "client workload"
sleep 1   # the last FIN/ACK exchanges settle into TIME_WAIT

# The independent count: conntrack -L in GW, keyed as twadvise keys it
# (reply dst, orig dst, orig dport), SNATed when reply dst != orig src.
count_ct() {
	ip netns exec "$G" conntrack -L -p tcp 2>/dev/null | awk '
	{ n = 0; tw = ($4 == "TIME_WAIT")
	  for (i = 1; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "src") { n++; if (n == 1) osrc = kv[2] }
		if (kv[1] == "dst") { if (n == 1) odst = kv[2]; else if (n == 2) rdst = kv[2] }
		if (kv[1] == "dport" && n == 1) odport = kv[2]
	  }
	  if (rdst != osrc) { k = rdst " " odst " " odport; c[k]++; t[k] += tw } }
	END { for (k in c) print k, c[k], t[k] }' | sort -k4,4nr -k1,3
}
count_ct >"$TW_TMP/ct"
[ -s "$TW_TMP/ct" ] || fail "conntrack -L shows no SNATed entry"
set -- $(head -1 "$TW_TMP/ct")
pub=$1 dst=$2 dport=$3 held=$4 tws=$5
[ "$pub $dst $dport" = "192.168.77.1 192.168.77.2 $PORT" ] || fail "conntrack key: $pub $dst $dport"
[ "$held" = "$N" ] || fail "conntrack -L counts $held SNATed entries, expected $N"
total=$(awk '{ s += $4 } END { print s }' "$TW_TMP/ct")
# Every translated port is inside the narrow range (the kernel's doing).
ip netns exec "$G" conntrack -L -p tcp 2>/dev/null | awk '
	{ n = 0; for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "src") n++
	  if (kv[1] == "dport" && n == 2 && (kv[2] < 40000 || kv[2] > 40999)) bad++ } }
	END { exit bad > 0 }' || fail "a translated port outside 40000-40999"

# check_nat JSON WHAT: the "nat" section against the independent count.
check_nat() {
	printf '%s\n' "$1" | jq -r '.nat.top[] | "\(.public) \(.remote) \(.remote_port) \(.held) \(.time_wait)"' |
		sort -k4,4nr -k1,3 >"$TW_TMP/ours" || fail "$2: no nat.top"
	diff -u "$TW_TMP/ct" "$TW_TMP/ours" || fail "$2: SNAT keys differ from conntrack -L"
	m=$(printf '%s\n' "$1" | jq -e '.nat.masqueraded') || fail "$2: no nat.masqueraded"
	[ "$m" = "$total" ] || fail "$2: nat.masqueraded = $m, conntrack -L: $total"
	p=$(printf '%s\n' "$1" | jq -r '.profile')
	[ "$p" = "$3" ] || fail "$2: profile $p, expected $3"
}

# Live: ctnetlink inside GW, --profile auto.
out=$("$TWADVISE" --netns "$G" --format json) || fail "twadvise --netns $G failed"
check_nat "$out" live nat-gateway
src=$(printf '%s\n' "$out" | jq -r '.nat.source')
[ "$src" = "netlink ctnetlink" ] || fail "live conntrack read from '$src', expected netlink"
reason=$(printf '%s\n' "$out" | jq -r '.profile_reason')
case $reason in
*"ip_forward is 1 and $(printf "%'d" "$total" 2>/dev/null || echo "$total") TCP conntrack entries"*) ;;
*) fail "profile reason: $reason" ;;
esac
[ "$(printf '%s\n' "$out" | jq -r '.nat.insert_failed | type')" = number ] || fail "no insert_failed"

# The text report says why auto chose the profile, as for the others.
"$TWADVISE" --netns "$G" | grep -q "nat-gateway" || fail "text report lacks the profile"

# The rule, with the rule's range as snat_ports: 600 / 1000 = 60 %.
cat >"$TW_TMP/gw.yaml" <<'YAML'
name: gw-test
inherits: nat-gateway
thresholds:
  snat_ports: 1000
YAML
out=$("$TWADVISE" --netns "$G" --profile "$TW_TMP/gw.yaml" --format json) || fail "--profile FILE"
f=$(printf '%s\n' "$out" | jq -c '.findings[] | select(.id == "nat-snat-ports")')
[ -n "$f" ] || fail "nat-snat-ports did not fire"
pct=$(awk -v h="$held" 'BEGIN { printf "%.0f%%", 100 * h / 1000 }')
ev=$(printf '%s\n' "$f" | jq -r .evidence)
case $ev in
*"$held conntrack entries from $pub to $dst:$dport ($tws in TIME_WAIT) hold $pct of its 1,000 SNAT ports"*) ;;
*) fail "nat-snat-ports evidence: $ev" ;;
esac
case $ev in *"about 8.3 new connections/s"*|*"about 8 new connections/s"*) ;;
*) fail "capacity 1000/120 not in: $ev" ;; esac
v=$(printf '%s\n' "$out" | jq -r .verdict)
[ "$v" != harmless ] || fail "a gateway at $pct of its SNAT ports judged harmless"
# Every entry is in TIME_WAIT: the conntrack timeout rule proposes 60 s,
# and the fragment carries it (a per-namespace key).
printf '%s\n' "$out" | jq -e '[.findings[] | select(.id == "nat-conntrack-timewait")
	| .changes[] | select(.sysctl == "net.netfilter.nf_conntrack_tcp_timeout_time_wait"
	and .current == "120" and .recommended == "60")] | length == 1' >/dev/null ||
	fail "nat-conntrack-timewait: no 120 -> 60 change"
printf '%s\n' "$out" | jq -r .sysctl_d | grep -qx 'net.netfilter.nf_conntrack_tcp_timeout_time_wait = 60' ||
	fail "fragment lacks the conntrack TIME_WAIT timeout"
# The ruleset itself gives the range (libnftables, root): the default
# profile finds the same 1,000 ports, says the nftables rule gives them,
# and advises fully-random, which the rule lacks.
# (a build without libnftables reads it from snapshots only)
if grep -q '^NFTABLES_LIBS = .*-lnftables' "${TW_BUILDDIR:-.}/Makefile" 2>/dev/null; then
	nftlive=yes
else
	nftlive=no
fi
snat_actions() {	# snat_actions JSON: the actions of nat-snat-ports, one a line
	printf '%s\n' "$1" | jq -r '.findings[] | select(.id == "nat-snat-ports") | .actions[]'
}
if [ $nftlive = yes ]; then
	out=$("$TWADVISE" --netns "$G" --format json)
	[ "$(printf '%s\n' "$out" | jq .nat.snat_ports)" = 1000 ] ||
		fail "live: the ruleset's 1,000 ports not used: $(printf '%s\n' "$out" | jq -c .nat.snat_ports)"
	printf '%s\n' "$out" | jq -e --arg ev "$ev" '[.findings[] | select(.id == "nat-snat-ports" and .evidence == $ev)] | length == 1' \
		>/dev/null || fail "live, default profile: nat-snat-ports differs from snat_ports 1000"
	snat_actions "$out" | grep -q "^Fully random port selection" || fail "no fully-random advice without the flag"
	snat_actions "$out" | grep -q "nftables rule's port range gives 1,000 ports" || fail "the rule's range is not named"
	ip netns exec "$G" nft flush chain ip twnat post &&
	ip netns exec "$G" nft add rule ip twnat post oifname vs meta l4proto tcp masquerade to :40000-40999 fully-random ||
		fail "nft: fully-random rule"
	out=$("$TWADVISE" --netns "$G" --format json)
	[ -n "$(snat_actions "$out")" ] || fail "nat-snat-ports gone with fully-random"
	! snat_actions "$out" | grep -qi "fully random" || fail "fully-random advised though the rule has it"
fi

# Snapshot: --capture of GW, analysed offline, says the same.
"$TWADVISE" --netns "$G" --capture "$TW_TMP/snap" || fail "capture"
[ -f "$TW_TMP/snap/proc/net/nf_conntrack" ] || fail "capture lacks proc/net/nf_conntrack"
[ -f "$TW_TMP/snap/proc/net/stat/nf_conntrack" ] || fail "capture lacks proc/net/stat/nf_conntrack"
count_ct >"$TW_TMP/ct2"
cmp -s "$TW_TMP/ct" "$TW_TMP/ct2" || fail "conntrack changed during the test"
out=$("$TWADVISE" --snapshot "$TW_TMP/snap" --format json) || fail "snapshot analysis"
check_nat "$out" snapshot nat-gateway
out=$("$TWADVISE" --snapshot "$TW_TMP/snap" --profile "$TW_TMP/gw.yaml" --format json)
printf '%s\n' "$out" | jq -e --arg ev "$ev" '[.findings[] | select(.id == "nat-snat-ports" and .evidence == $ev)] | length == 1' \
	>/dev/null || fail "snapshot: nat-snat-ports evidence differs from live"
# nft-ruleset.json: --capture's copy of the ruleset (the fully-random rule
# now), then `nft -j list ruleset` itself; without it the range is unknown
# and nothing fires at the default 64512 ports (0.9 %).
cp -r "$TW_TMP/snap" "$TW_TMP/snap-nft"
ip netns exec "$G" nft -j list ruleset >"$TW_TMP/snap-nft/nft-ruleset.json" || fail "nft -j"
for s in "$TW_TMP/snap" "$TW_TMP/snap-nft"; do
	[ $nftlive = yes ] || [ "$s" != "$TW_TMP/snap" ] || continue
	jq -e '[.nftables[].rule.expr[]? | .masquerade? | select(. != null) | .port.range == [40000, 40999]
		and (.flags == "fully-random" or (.flags | index("fully-random")))] == [true]' \
		"$s/nft-ruleset.json" >/dev/null || fail "$s/nft-ruleset.json: $(jq -c '[.nftables[].rule.expr[]?]' "$s/nft-ruleset.json")"
	out=$("$TWADVISE" --snapshot "$s" --format json) || fail "snapshot $s"
	[ "$(printf '%s\n' "$out" | jq .nat.snat_ports)" = 1000 ] || fail "$s: snat_ports not 1000"
	[ -n "$(snat_actions "$out")" ] && ! snat_actions "$out" | grep -qi "fully random" ||
		fail "$s: nat-snat-ports with fully-random: $(snat_actions "$out")"
done
rm "$TW_TMP/snap-nft/nft-ruleset.json"
out=$("$TWADVISE" --snapshot "$TW_TMP/snap-nft" --format json)
printf '%s\n' "$out" | jq -e '.nat.snat_ports == 64512 and ([.findings[] | select(.id == "nat-snat-ports")] | length == 0)' \
	>/dev/null || fail "without the ruleset: nat-snat-ports fired at 64512 ports"
echo "ok: $held SNATed entries $pub -> $dst:$dport ($tws TIME_WAIT), $total in all"

/* SPDX-License-Identifier: MIT */
/* mktw.c: makes many client-side TIME_WAIT sockets on loopback, fast.
 *
 * Usage: twadvise-mktw COUNT_V4 COUNT_V6 [PORT_BASE]
 * Runs inside a throw-away namespace (bench/bench-live.sh sets it up:
 * ip_local_port_range 1024 65535, tcp_tw_reuse 0, tcp_max_tw_buckets
 * raised). Four listeners on ports PORT_BASE..PORT_BASE+3 (default
 * 20000) of 0.0.0.0 and [::]; clients bind source addresses 127.0.0.1..8
 * (IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect() per
 * destination) and ::1, round-robin over the tuples so that no tuple runs
 * out of ports. The client closes first, so the TIME_WAIT socket is the
 * client's; a graceful FIN exchange, never SO_LINGER (that sends RST and
 * leaves no TIME_WAIT). Stops at COUNT or at the first failure, prints
 * how many were made.
 *
 * With --hold (first argument), the client only shuts down its side
 * (FIN_WAIT2, its descriptor kept: no FIN_WAIT2 timeout, no orphan) and
 * the server's end is kept open; after printing the count it waits for
 * SIGUSR1, then closes every server end (each client enters TIME_WAIT
 * then) and exits. Making the sockets can so take longer than
 * TIME_WAIT's 60 s while they all enter it within a few seconds of one
 * another (bench/bench-namespaces.sh). Two descriptors a connection. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NPORTS 4
#define NSRC4 8

static int listener(int family, int port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_storage ss = { 0 };
	socklen_t len;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		len = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 4096) < 0) {
		perror("listen");
		exit(1);
	}
	return fd;
}

static int hold;
static int *held;        /* --hold: client and server descriptors */
static long nheld;

/* One connection from 'src' to 'dst', closed by the client first. */
static int one(int lfd, const struct sockaddr *src, const struct sockaddr *dst, socklen_t len)
{
	int c = socket(dst->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0), s, one = 1;
	char b;

	if (c < 0)
		return -errno;
	setsockopt(c, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(c, src, len) < 0 || connect(c, dst, len) < 0) {
		int r = -errno;

		close(c);
		return r;
	}
	s = accept(lfd, NULL, NULL);
	if (s < 0) {
		close(c);
		return -errno;
	}
	if (hold) {
		shutdown(c, SHUT_WR);   /* FIN first; the server's FIN waits for SIGUSR1 */
		held[nheld++] = c;
		held[nheld++] = s;
		return 0;
	}
	close(c);                 /* FIN first: the client gets TIME_WAIT */
	(void)!read(s, &b, 1);    /* the EOF: FIN has arrived */
	close(s);                 /* FIN back: client FIN_WAIT2 -> TIME_WAIT */
	return 0;
}

int main(int argc, char **argv)
{
	long n4, n6, made = 0;
	int base, l4[NPORTS], l6[NPORTS];
	sigset_t usr1;

	if (argc > 1 && strcmp(argv[1], "--hold") == 0) {
		hold = 1;
		argv++;
		argc--;
	}
	n4 = argc > 1 ? atol(argv[1]) : 0;
	n6 = argc > 2 ? atol(argv[2]) : 0;
	base = argc > 3 ? atoi(argv[3]) : 20000;
	if (n4 < 0 || n6 < 0)
		return 1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (hold) {
		/* Blocked before the count is printed: a SIGUSR1 sent once it
		 * is read waits for sigwait(). */
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		held = malloc(sizeof(*held) * 2 * (size_t)(n4 + n6 + 1));
		if (!held)
			return 1;
	}

	for (int p = 0; p < NPORTS; p++) {
		l4[p] = listener(AF_INET, base + p);
		l6[p] = listener(AF_INET6, base + p);
	}
	for (long i = 0; i < n4; i++) {
		struct sockaddr_in src = { .sin_family = AF_INET }, dst = { .sin_family = AF_INET };
		int p = (int)(i % NPORTS), a = (int)((i / NPORTS) % NSRC4);
		int r;

		src.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)a);
		dst.sin_addr.s_addr = htonl(0x7f000001u);
		dst.sin_port = htons((uint16_t)(base + p));
		r = one(l4[p], (struct sockaddr *)&src, (struct sockaddr *)&dst, sizeof(src));
		if (r < 0) {
			fprintf(stderr, "IPv4 connection %ld: %s\n", i, strerror(-r));
			break;
		}
		made++;
	}
	for (long i = 0; i < n6; i++) {
		struct sockaddr_in6 src = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		struct sockaddr_in6 dst = src;
		int p = (int)(i % NPORTS), r;

		dst.sin6_port = htons((uint16_t)(base + p));
		r = one(l6[p], (struct sockaddr *)&src, (struct sockaddr *)&dst, sizeof(src));
		if (r < 0) {
			fprintf(stderr, "IPv6 connection %ld: %s\n", i, strerror(-r));
			break;
		}
		made++;
	}
	printf("%ld\n", made);
	fflush(stdout);
	if (hold) {
		int sig;

		sigwait(&usr1, &sig);
		for (long i = 1; i < nheld; i += 2)
			close(held[i]);   /* the server's FIN: its client enters TIME_WAIT */
		for (long i = 0; i < nheld; i += 2)
			close(held[i]);
		free(held);
	}
	return 0;
}

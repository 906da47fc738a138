/* SPDX-License-Identifier: MIT */
/* tw-workload.c: a bounded TCP workload on loopback, for the experiments
 * of tests/netns/experiments.sh (run it inside a throw-away namespace).
 *
 * Usage:
 *   tw-workload server --port P [--duration S] [--server-closes]
 *   tw-workload churn  --port P --rate N --count C [--duration S] [--linger0]
 *                      [--wait-close]
 *   tw-workload hold   --port P --count K [--duration S]
 *
 * server  listens on 127.0.0.1:P and closes each accepted connection when
 *         its client has closed (so TIME_WAIT lands on the client side), or
 *         at once with --server-closes (TIME_WAIT on the server side).
 * churn   opens C short connections toward 127.0.0.1:P at a fixed rate of
 *         N per second, closing each at once (the client closes first).
 *         SO_LINGER is set off explicitly (a normal FIN close); --linger0
 *         sets {1, 0} instead (RST, no TIME_WAIT) as a control. With
 *         --wait-close the client reads until the server has closed (at
 *         most 2 s) and closes second, for a server that closes first.
 * hold    opens K connections toward 127.0.0.1:P and keeps them
 *         ESTABLISHED until the duration ends or SIGTERM/SIGINT arrives.
 *
 * Each mode stops by itself after --duration seconds (default 60, at
 * most 600); churn also stops after C attempts. server and hold print
 * "ready ..." when they are set up; every mode ends with one summary line
 *   result mode=M attempted=A ok=O failed=F EADDRNOTAVAIL=a ECONNREFUSED=r
 *          ETIMEDOUT=t other=x elapsed_ms=E
 * (one line, key=value fields) on stdout. Exit 0 unless the tool itself
 * could not run (bad usage, no listener: exit 1): connect() failures are
 * data, not errors. Only loopback is ever contacted. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DURATION 600

struct opts {
	const char *mode;
	int port;
	long rate;
	long count;
	int duration;
	int server_closes;
	int linger0;
	int wait_close;
};

struct tally {
	long attempted, ok, failed, eaddrnotavail, econnrefused, etimedout, other;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(void)
{
	fputs("usage: tw-workload server --port P [--duration S] [--server-closes]\n"
	      "       tw-workload churn --port P --rate N --count C [--duration S] [--linger0]\n"
	      "                         [--wait-close]\n"
	      "       tw-workload hold --port P --count K [--duration S]\n", stderr);
	exit(1);
}

/* A decimal number in [lo, hi], or usage(). */
static long num_arg(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "tw-workload: '%s' is not a number in %ld..%ld\n", s, lo, hi);
		usage();
	}
	return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	if (argc < 2)
		usage();
	o->mode = argv[1];
	o->duration = 60;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--server-closes"))
			o->server_closes = 1;
		else if (!strcmp(a, "--linger0"))
			o->linger0 = 1;
		else if (!strcmp(a, "--wait-close"))
			o->wait_close = 1;
		else if (i + 1 >= argc)
			usage();
		else if (!strcmp(a, "--port"))
			o->port = (int)num_arg(argv[++i], 1, 65535);
		else if (!strcmp(a, "--rate"))
			o->rate = num_arg(argv[++i], 1, 100000);
		else if (!strcmp(a, "--count"))
			o->count = num_arg(argv[++i], 1, 1000000);
		else if (!strcmp(a, "--duration"))
			o->duration = (int)num_arg(argv[++i], 1, MAX_DURATION);
		else
			usage();
	}
	if (!o->port)
		usage();
	if (!strcmp(o->mode, "churn") && (!o->rate || !o->count))
		usage();
	if (!strcmp(o->mode, "hold") && !o->count)
		usage();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	double d = t - now();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* hold and server need one descriptor per connection. */
static void raise_nofile(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void count_error(struct tally *t, int err)
{
	t->failed++;
	if (err == EADDRNOTAVAIL)
		t->eaddrnotavail++;
	else if (err == ECONNREFUSED)
		t->econnrefused++;
	else if (err == ETIMEDOUT)
		t->etimedout++;
	else
		t->other++;
}

/* One client connection toward 127.0.0.1:port: the descriptor, or -1
 * with the failure tallied. */
static int open_client(int port, int linger0, struct tally *t)
{
	struct sockaddr_in a = loopback(port);
	struct linger lg = { .l_onoff = linger0, .l_linger = 0 };
	struct timeval tv = { .tv_sec = 5, .tv_usec = 0 };
	int fd, err;

	t->attempted++;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		count_error(t, errno);
		return -1;
	}
	/* a bounded connect: SO_SNDTIMEO limits a blocking connect() */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		err = errno;
		close(fd);
		count_error(t, err == EINPROGRESS || err == EAGAIN ? ETIMEDOUT : err);
		return -1;
	}
	t->ok++;
	return fd;
}

static void print_result(const char *mode, const struct tally *t, double start)
{
	printf("result mode=%s attempted=%ld ok=%ld failed=%ld EADDRNOTAVAIL=%ld "
	       "ECONNREFUSED=%ld ETIMEDOUT=%ld other=%ld elapsed_ms=%ld\n",
	       mode, t->attempted, t->ok, t->failed, t->eaddrnotavail, t->econnrefused,
	       t->etimedout, t->other, (long)((now() - start) * 1000));
	fflush(stdout);
}

/* Reads until the peer has closed, at most 2 s. */
static void wait_eof(int fd)
{
	struct timeval tv = { .tv_sec = 2, .tv_usec = 0 };
	char buf[512];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int run_churn(const struct opts *o)
{
	struct tally t = { 0 };
	double start = now(), end = start + o->duration;

	for (long i = 0; i < o->count && !stop_requested; i++) {
		double due = start + (double)i / (double)o->rate;
		int fd;

		if (due >= end)
			break;
		sleep_until(due);
		fd = open_client(o->port, o->linger0, &t);
		if (fd < 0)
			continue;
		if (o->wait_close)
			wait_eof(fd);
		close(fd);
	}
	print_result("churn", &t, start);
	return 0;
}

static int run_hold(const struct opts *o)
{
	struct tally t = { 0 };
	double start = now(), end = start + o->duration;
	int *fds = calloc((size_t)o->count, sizeof(*fds));
	long n = 0;

	if (!fds) {
		perror("tw-workload");
		return 1;
	}
	raise_nofile();
	for (long i = 0; i < o->count && !stop_requested && now() < end; i++) {
		int fd = open_client(o->port, 0, &t);
		if (fd >= 0)
			fds[n++] = fd;
	}
	printf("ready held=%ld failed=%ld\n", n, t.failed);
	fflush(stdout);
	while (!stop_requested && now() < end)
		sleep_until(now() + 0.1 < end ? now() + 0.1 : end);
	for (long i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	print_result("hold", &t, start);
	return 0;
}

static int run_server(const struct opts *o)
{
	struct sockaddr_in a = loopback(o->port);
	struct epoll_event ev, evs[256];
	struct tally t = { 0 };
	double start = now(), end = start + o->duration;
	int one = 1, lfd, ep;

	raise_nofile();
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 4096) < 0) {
		perror("tw-workload: listen on 127.0.0.1");
		return 1;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("tw-workload: epoll");
		return 1;
	}
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	printf("ready port=%d\n", o->port);
	fflush(stdout);
	while (!stop_requested) {
		double left = end - now();
		int n;

		if (left <= 0)
			break;
		n = epoll_wait(ep, evs, 256, left > 0.2 ? 200 : (int)(left * 1000) + 1);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			char buf[512];

			if (fd != lfd) {
				/* the client closed (EOF), reset, or sent bytes to drop */
				ssize_t r = read(fd, buf, sizeof(buf));
				if (r <= 0)
					close(fd);
				continue;
			}
			for (;;) {
				int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (c < 0)
					break;
				t.attempted++;
				t.ok++;
				if (o->server_closes) {
					close(c);
					continue;
				}
				ev.events = EPOLLIN | EPOLLRDHUP;
				ev.data.fd = c;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) < 0)
					close(c);
			}
		}
	}
	/* open connections are closed by exit() */
	print_result("server", &t, start);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sigaction sa;

	parse(argc, argv, &o);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(o.mode, "server"))
		return run_server(&o);
	if (!strcmp(o.mode, "churn"))
		return run_churn(&o);
	if (!strcmp(o.mode, "hold"))
		return run_hold(&o);
	usage();
	return 1;
}

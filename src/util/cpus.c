/* SPDX-License-Identifier: MIT */
/* cpus.c: see cpus.h. */
#include "util/cpus.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

static int usable_cpus(void)
{
	cpu_set_t cpus;

	if (sched_getaffinity(0, sizeof(cpu_set_t), &cpus) == 0)
		return CPU_COUNT(&cpus);
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

bool tw_second_cpu(void)
{
	return usable_cpus() > 1;
}

/* The fourth field of /proc/loadavg, "RUNNABLE/TOTAL": the tasks
 * runnable at this instant (kernel nr_running()), -1 when unknown. */
static int runnable_now(void)
{
	char buf[128];
	int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int running = -1, total;
	double a, b, c;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%lf %lf %lf %d/%d", &a, &b, &c, &running, &total) != 5)
		return -1;
	return running;
}

/* A few reads, the fewest: a task that runs for an instant (a kernel
 * worker, the shell that started us) is not a busy CPU. */
#define RUNNABLE_READS 4

bool tw_spare_cpu(void)
{
	int cpus = usable_cpus(), fewest = -1;

	if (cpus < 2)
		return false;
	for (int i = 0; i < RUNNABLE_READS; i++) {
		int r = runnable_now();

		if (r < 0)
			return true;   /* unknown: as tw_second_cpu() */
		if (fewest < 0 || r < fewest)
			fewest = r;
		if (fewest < cpus)
			break;
	}
	return fewest < cpus;
}

/* SPDX-License-Identifier: MIT */
/* cpus.c: see cpus.h. */
#include "util/cpus.h"

#include <sched.h>
#include <unistd.h>

bool tw_second_cpu(void)
{
	cpu_set_t cpus;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
		return CPU_COUNT(&cpus) > 1;
	return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

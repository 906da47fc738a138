/* SPDX-License-Identifier: MIT */
/* cpus.h: may a second thread run beside this one? */
#ifndef TW_UTIL_CPUS_H
#define TW_UTIL_CPUS_H

#include <stdbool.h>

/* True when this process may run on two CPUs or more: the CPUs of its
 * affinity mask (taskset, cgroup cpusets), else the CPUs online. A
 * second thread on one CPU only adds switches. */
bool tw_second_cpu(void);

/* tw_second_cpu(), and fewer tasks runnable on the host right now (this
 * one included; /proc/loadavg) than this process has CPUs: a second
 * thread would find a CPU free rather than share one with a busy task. */
bool tw_spare_cpu(void);

#endif

/* sysctld.c: PLACEHOLDER being replaced by the real resolver. */
#include "sysctld/sysctld.h"

#include <errno.h>

void sysctld_free(struct tw_sysctld *c)
{
	(void)c;
}

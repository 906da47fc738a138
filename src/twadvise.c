/* twadvise.c: placeholder until the command line lands. */
#include <stdio.h>

int main(void)
{
	puts("twadvise");
	return 0;
}

/* errtab_check.c - the init's errno texts (errtab.h, used whatever libc the init is linked
 * with) against this machine's glibc strerror_r(3), for every errno 0-139. Built with gcc
 * (glibc), not musl. Prints each difference; exits 1 if there is one. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errtab.h"

int main(void)
{
	int differ = 0;
	for (int e = 0; e < 140; e++) {
		char buf[128];
		const char *libc = strerror_r(e, buf, sizeof(buf)); /* GNU: may return a static string */
		const char *ours = (size_t)e < sizeof(errtab) / sizeof(errtab[0]) ? errtab[e] : NULL;
		/* glibc has no text for some numbers ("Unknown error 41"): neither has errtab.h */
		int unknown = strncmp(libc, "Unknown error ", 14) == 0;
		if (unknown ? ours != NULL : ours == NULL || strcmp(libc, ours) != 0) {
			printf("errno %d: glibc \"%s\", errtab.h \"%s\"\n", e, libc, ours ? ours : "(none)");
			differ++;
		}
	}
	printf("%d differ\n", differ);
	return differ ? 1 : 0;
}

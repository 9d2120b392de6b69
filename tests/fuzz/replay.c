/*
 * replay.c: run a fuzz target over files without libFuzzer:
 *	TARGET_replay FILE|DIR ...
 * Every regular file (in a directory: every file in it) is one input.
 * Prints how many were run; an input that breaks the target aborts.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
one(const char *path, size_t *n)
{
	FILE		*f;
	uint8_t		*p = NULL, *np;
	size_t		 len = 0, cap = 0, r;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((np = realloc(p, cap)) == NULL) {
				fclose(f);
				free(p);
				return -1;
			}
			p = np;
		}
		if ((r = fread(p + len, 1, cap - len, f)) == 0)
			break;
		len += r;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(p, len);
	free(p);
	(*n)++;
	return 0;
}

int
main(int argc, char **argv)
{
	struct stat	 st;
	struct dirent	*e;
	DIR		*d;
	char		 path[4096];
	size_t		 n = 0;
	int		 i, bad = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= one(argv[i], &n) == -1;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
			    e->d_name);
			bad |= one(path, &n) == -1;
		}
		closedir(d);
	}
	printf("%zu inputs\n", n);
	return bad;
}

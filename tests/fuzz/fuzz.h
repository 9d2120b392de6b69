/*
 * fuzz.h: what every fuzz target here gives: libFuzzer's entry point.
 * Built with clang -fsanitize=fuzzer by `make fuzz`, or linked with
 * replay.c by `make check-build`, which replays the committed corpus
 * under `make test` (tests/t0007-fuzz-corpus.sh).  A target aborts when
 * an invariant breaks (FUZZ_ASSERT), so both builds report it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

#endif

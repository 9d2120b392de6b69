/*
 * toml_fuzz.c: the TOML reader of environmentConfig/read (compat/toml.c):
 * any input gives a tree or an error with words, and frees cleanly.
 */
#include "base/buf.h"
#include "compat/toml.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct buf	 err = { 0 };
	struct tval	*v;

	v = toml_parse((const char *)p, n, &err);
	FUZZ_ASSERT(v != NULL || buf_used(&err) > 0 || err.oom);
	toml_free(v);
	buf_free(&err);
	return 0;
}

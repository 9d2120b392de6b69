/*
 * transcript_fuzz.c: exec-conformance reading a transcript
 * (conformance/transcript.c) and its matcher (match.c, vars.c); the input
 * is a transcript's text.  Invariants: it loads, or fails with a message;
 * what loads has lines that are all JSON objects and a header naming a
 * transport; a line written with its placeholders substituted is JSON
 * again; a line matched against the next either matches or names the
 * difference, and a failed match leaves the bindings as they were.
 */
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "fuzz.h"
#include "match.h"
#include "transcript.h"
#include "vars.h"

static void
subst(struct vars *vs, const struct json_doc *d)
{
	struct json_doc	 o;
	struct buf	 b = { 0 };
	char		 err[256];

	if (vars_subst_json(&b, vs, d, 0, err, sizeof(err)) == 0) {
		FUZZ_ASSERT(json_parse(&o, buf_data(&b), buf_used(&b)) == 0);
		json_doc_free(&o);
	} else
		FUZZ_ASSERT(err[0] != '\0');
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct transcript	 t;
	struct vars		 vs;
	struct mctx		 m;
	char			 err[512];
	size_t			 i, mark;

	err[0] = '\0';
	if (transcript_parse(&t, "fuzz.jsonl", (const char *)p, n, err,
	    sizeof(err)) == -1) {
		FUZZ_ASSERT(err[0] != '\0');
		transcript_free(&t);
		return 0;
	}
	FUZZ_ASSERT(t.nlines > 0 && (t.ws || t.stdio));
	memset(&vs, 0, sizeof(vs));
	for (i = 0; i < t.nlines; i++) {
		FUZZ_ASSERT(t.lines[i].doc.tok[0].type == JSON_OBJECT);
		subst(&vs, &t.lines[i].doc);
		if (i + 1 == t.nlines)
			break;
		memset(&m, 0, sizeof(m));
		m.vars = &vs;
		mark = vs.n;
		if (match_value(&m, &t.lines[i].doc, 0, &t.lines[i + 1].doc,
		    0) == 0) {
			FUZZ_ASSERT(vs.n == mark);
			FUZZ_ASSERT(m.why[0] != '\0');
		}
	}
	vars_free(&vs);
	transcript_free(&t);
	return 0;
}

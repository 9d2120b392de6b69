/*
 * tomlout.c: keep the keys a client asked for and write them the way
 * the reference's toml crate (toml_edit) does: a table's plain values
 * first, then its tables as [sections] (inline ones too), then arrays of
 * tables as [[sections]]; only inside arrays are tables written inline.
 * Strings choose literal or basic, single or triple quotes as toml_edit
 * does; floats print like Rust's f64 Display.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/toml.h"
#include "compat/tomlout.h"
#include "compat/tomlint.h"

static void
put_key(struct buf *b, const char *k, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && toml_bare_char(k[i]); i++)
		;
	if (n > 0 && i == n) {
		buf_add(b, k, n);
		return;
	}
	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (k[i] == '"' || k[i] == '\\')
			buf_addc(b, '\\');
		if ((unsigned char)k[i] < 0x20 || k[i] == 0x7f)
			buf_addf(b, "\\u%04X", (unsigned char)k[i]);
		else
			buf_addc(b, k[i]);
	}
	buf_addc(b, '"');
}

/* toml_edit's choice between literal and basic, single and triple. */
static void
put_string(struct buf *b, const char *s, size_t n)
{
	size_t	 i, singles = 0, maxs = 0;
	int	 nl = 0, pretty = 1, backslash = 0;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\n')
			nl = 1;
		if (!pretty)
			continue;
		if (c == '\'') {
			if (++singles >= 3)
				pretty = 0;
		} else {
			if (singles > maxs)
				maxs = singles;
			singles = 0;
		}
		if (c == '\\')
			backslash = 1;
		else if (c < 0x20 && c != '\t' && c != '\n')
			pretty = 0;
	}
	if (singles > 0 && n > 0 && s[n - 1] == '\'')
		pretty = 0;
	if (singles > maxs)
		maxs = singles;
	if (pretty && backslash) {
		buf_adds(b, nl ? "'''\n" : maxs >= 1 ? "'''" : "'");
		buf_add(b, s, n);
		buf_adds(b, nl || maxs >= 1 ? "'''" : "'");
		return;
	}
	buf_adds(b, nl ? "\"\"\"\n" : "\"");
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '\b': buf_adds(b, "\\b"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '\n': buf_adds(b, nl ? "\n" : "\\n"); break;
		case '\f': buf_adds(b, "\\f"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_addf(b, "\\u%04X", c);
			else
				buf_addc(b, (char)c);
		}
	}
	buf_adds(b, nl ? "\"\"\"" : "\"");
}

/* Rust's f64 Display: shortest round trip, never an exponent. */
static void
put_float(struct buf *b, double f)
{
	char	 e[40], digits[24];
	int	 prec, exp, nd, i;

	if (isnan(f)) {
		buf_adds(b, signbit(f) ? "-nan" : "nan");
		return;
	}
	if (isinf(f)) {
		buf_adds(b, f < 0 ? "-inf" : "inf");
		return;
	}
	if (f == 0) {
		buf_adds(b, signbit(f) ? "-0.0" : "0.0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec - 1, f);
		if (strtod(e, NULL) == f)
			break;
	}
	/* e: [-]d.ddde[+-]xx */
	for (i = 0, nd = 0; e[i] != 'e'; i++)
		if (e[i] >= '0' && e[i] <= '9')
			digits[nd++] = e[i];
	exp = atoi(strchr(e, 'e') + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (f < 0)
		buf_addc(b, '-');
	if (exp < 0) {
		buf_adds(b, "0.");
		for (i = -1; i > exp; i--)
			buf_addc(b, '0');
		buf_add(b, digits, (size_t)nd);
		return;
	}
	for (i = 0; i <= exp || i < nd; i++) {
		if (i == exp + 1)
			buf_addc(b, '.');
		buf_addc(b, i < nd ? digits[i] : '0');
	}
	if (nd <= exp + 1)
		buf_adds(b, ".0");
}

static int
is_aot(const struct tval *v)
{
	size_t	 i;

	if (v->type != T_ARR || v->n == 0)
		return 0;
	for (i = 0; i < v->n; i++)
		if (v->a[i]->type != T_TAB)
			return 0;
	return 1;
}

static void
put_inline(struct buf *b, const struct tval *v)
{
	size_t	 i;

	switch (v->type) {
	case T_STR:
		put_string(b, v->s, v->slen);
		break;
	case T_INT:
		buf_addf(b, "%lld", v->i);
		break;
	case T_FLOAT:
		put_float(b, v->f);
		break;
	case T_BOOL:
		buf_adds(b, v->i ? "true" : "false");
		break;
	case T_DATE:
		buf_add(b, v->s, v->slen);
		break;
	case T_ARR:
		buf_addc(b, '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_adds(b, ", ");
			put_inline(b, v->a[i]);
		}
		buf_addc(b, ']');
		break;
	case T_TAB:
		if (v->n == 0) {
			buf_adds(b, "{}");
			break;
		}
		buf_adds(b, "{ ");
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_adds(b, ", ");
			put_key(b, v->kv[i].key, v->kv[i].klen);
			buf_adds(b, " = ");
			put_inline(b, v->kv[i].val);
		}
		buf_adds(b, " }");
		break;
	}
}

static void
put_header(struct buf *b, const struct buf *path, int aot)
{
	if (buf_used(b) > 0)
		buf_addc(b, '\n');
	buf_adds(b, aot ? "[[" : "[");
	buf_add(b, buf_data(path), buf_used(path));
	buf_adds(b, aot ? "]]\n" : "]\n");
}

static void	put_table(struct buf *, struct buf *, const struct tval *,
		    int);

static void
put_children(struct buf *b, struct buf *path, const struct tval *t)
{
	size_t	 i, k, len = path->len;

	for (i = 0; i < t->n; i++) {
		const struct tval	*v = t->kv[i].val;

		if (v->type != T_TAB && !is_aot(v))
			continue;
		path->len = len;
		if (len > path->off)
			buf_addc(path, '.');
		put_key(path, t->kv[i].key, t->kv[i].klen);
		if (v->type == T_TAB)
			put_table(b, path, v, 0);
		else
			for (k = 0; k < v->n; k++)
				put_table(b, path, v->a[k], 1);
	}
	path->len = len;
}

/* A table: [header] (when it has values or nothing), values, children. */
static void
put_table(struct buf *b, struct buf *path, const struct tval *t, int aot)
{
	size_t	 i, nval = 0;

	for (i = 0; i < t->n; i++)
		if (t->kv[i].val->type != T_TAB && !is_aot(t->kv[i].val))
			nval++;
	if (buf_used(path) > 0 && (aot || nval > 0 || t->n == 0))
		put_header(b, path, aot);
	for (i = 0; i < t->n; i++) {
		if (t->kv[i].val->type == T_TAB || is_aot(t->kv[i].val))
			continue;
		put_key(b, t->kv[i].key, t->kv[i].klen);
		buf_adds(b, " = ");
		put_inline(b, t->kv[i].val);
		buf_addc(b, '\n');
	}
	put_children(b, path, t);
}

/* --- selecting ----------------------------------------------------------- */

/* A shallow view: the selected subset shares the original's values. */
static struct tval *
view_tab(void)
{
	return toml_new(T_TAB);
}

static void
view_free(struct tval *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		free(v->kv[i].key);
		if (v->kv[i].val->type == T_TAB && v->kv[i].val->defined == -1)
			view_free(v->kv[i].val);
	}
	free(v->kv);
	free(v);
}

/* Add path p (from segment i on) of src into the view dst. */
static int
select_path(struct tval *dst, const struct tval *src, const struct tpath *p,
    size_t i)
{
	struct tval	*v, *d;
	size_t		 k;

	if ((v = toml_get(src, p->seg[i], p->len[i])) == NULL)
		return 0;
	d = toml_get(dst, p->seg[i], p->len[i]);
	if (i + 1 == p->n || v->type != T_TAB) {
		if (d != NULL && d->defined == -1) {
			/* A partial view is replaced by the whole value. */
			for (k = 0; k < dst->n; k++)
				if (dst->kv[k].val == d)
					dst->kv[k].val = v;
			view_free(d);
		} else if (d == NULL && toml_put(dst, p->seg[i], p->len[i],
		    v) == -1)
			return -1;
		return 0;
	}
	if (d == NULL) {
		if ((d = view_tab()) == NULL)
			return -1;
		d->defined = -1;
		if (toml_put(dst, p->seg[i], p->len[i], d) == -1) {
			free(d);
			return -1;
		}
	} else if (d->defined != -1)
		return 0;	/* already whole */
	return select_path(d, v, p, i + 1);
}

/* Keep the view's keys in the source's order. */
static void
reorder(struct tval *dst, const struct tval *src)
{
	struct tkv	 tmp;
	size_t		 i, k, pos = 0;

	for (i = 0; i < src->n; i++)
		for (k = pos; k < dst->n; k++)
			if (dst->kv[k].klen == src->kv[i].klen &&
			    memcmp(dst->kv[k].key, src->kv[i].key,
			    src->kv[i].klen) == 0) {
				tmp = dst->kv[pos];
				dst->kv[pos] = dst->kv[k];
				dst->kv[k] = tmp;
				if (dst->kv[pos].val->defined == -1)
					reorder(dst->kv[pos].val,
					    src->kv[i].val);
				pos++;
				break;
			}
}

size_t
tomlout_select(const struct tval *root, const struct tpath *paths,
    size_t npaths, struct buf *out)
{
	struct tval	*view;
	struct buf	 path = { 0 };
	size_t		 i, n = 0;

	if ((view = view_tab()) == NULL)
		return 0;
	for (i = 0; i < npaths; i++)
		if (paths[i].n > 0 &&
		    select_path(view, root, &paths[i], 0) == -1)
			goto out;
	reorder(view, root);
	if ((n = view->n) > 0)
		put_table(out, &path, view, 0);
out:
	buf_free(&path);
	view_free(view);
	return n;
}

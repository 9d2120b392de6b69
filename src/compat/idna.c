/*
 * idna.c: "domain to ASCII" of the WHATWG URL standard as Rust's idna
 * crate 1.x runs it for the reference's url crate (UTS #46 with the URL
 * deny list), and Punycode (RFC 3492).
 *
 * In the crate's fail-fast order: ASCII is lowercased and the forbidden
 * domain code points (C0, space, DEL, "%#/:<>?@[\]^|") refused; other
 * code points go through the UTS #46 mapping table (disallowed: error;
 * ignored: dropped; mapped: replaced); then NFC.  A label starting "xn--"
 * is Punycode: ASCII only after the prefix, not ending in '-', at most
 * 2000 digits, decoding to valid code points already in NFC.  A label
 * holding non-ASCII must not begin with a mark, must pass CheckJoiners
 * (RFC 5892 A.1, A.2) and hold at most 1000 code points.  When any label
 * holds an R, AL or AN code point, every label must pass the RFC 5893
 * bidi rule.  Non-ASCII labels go out as "xn--" and their Punycode.
 *
 * The Unicode data (src/compat/idnadata.c, written by
 * src/compat/idnadata.py) is generated from the UTS #46 17.0.0 mapping
 * table and the Unicode 14.0 character database (Python's idna 3.13
 * package and unicodedata module), then cut to fit in a few KB
 * (docs/protocol.md says what differs from the reference because of the
 * cuts):
 *   - idnadata_seg: the UTS #46 status of every code point, as segments: type
 *     in the top 3 bits of the first byte, count in the low 5 (or, when
 *     0, 32 + a varint after it); a SEG_MD segment has a zigzag varint
 *     delta after that, SEG_MS one length-prefixed UTF-8 string per code
 *     point, SEG_MR one for all.  idnadata_segidx: where each IDNADATA_SEG_STEP block
 *     below IDNADATA_SEG_INDEXED starts.  No mapping is kept (the code point is
 *     taken as valid) in U+0800-1DFF, 1F00-1FFF, 2070-2FFF, 3100-FAFF,
 *     FB00-FEFF, FF65-FFEF and from U+1F100 on; U+10000-1EFFF are all
 *     taken as valid.
 *   - idnadata_prop: runs (gap and length varints, idnadata_proppal index) of bidi
 *     class, general category Mark, joining type and canonical combining
 *     class below IDNADATA_PROP_LIMIT; above it a code point is L, not a mark,
 *     non-joining, of class 0, except ZWNJ and ZWJ (BN) and the viramas
 *     of idnadata_virama[].
 *   - idnadata_comp: canonical compositions (composite delta, zigzag first
 *     delta, idnadata_comp2 index) into valid U+00C0-04FF, 0600-06FF,
 *     1E00-1EFF and 3000-30FF, sorted by composite; Hangul is computed.
 *
 * A host of more than MAX_COMPLEX bytes that needs the tables (non-ASCII
 * or an "xn--" label) is refused: it bounds the time and memory spent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "compat/idna.h"
#include "compat/idnadata.h"

/* Segment types of idnadata_seg (high 3 bits of a segment's first byte). */
#define SEG_X		0	/* disallowed */
#define SEG_I		1	/* ignored */
#define SEG_V		2	/* valid (or deviation) */
#define SEG_MD		3	/* mapped to cp + delta (zigzag varint) */
#define SEG_ALT		4	/* pairs: mapped to cp + 1, then valid */
#define SEG_MS		5	/* mapped, one string per code point */
#define SEG_MR		6	/* mapped, all to one string */

/* Bidi classes as grouped in idnadata_proppal (low 3 bits). */
#define BC_L		0
#define BC_R		1	/* R or AL */
#define BC_AN		2
#define BC_EN		3
#define BC_N		4	/* ES, CS, ET, ON, BN */
#define BC_NSM		5
#define BC_OTHER	6

/* Joining types (bits 4..6). */
#define JT_U		0
#define JT_T		1
#define JT_L		2
#define JT_R		3
#define JT_D		4

#define PROP_BC(v)	((v) & 7)
#define PROP_MARK(v)	(((v) >> 3) & 1)
#define PROP_JT(v)	(((v) >> 4) & 7)
#define PROP_CCC(v)	((v) >> 7)

#define PUNY_BASE	36
#define PUNY_TMIN	1
#define PUNY_TMAX	26
#define PUNY_SKEW	38
#define PUNY_DAMP	700
#define PUNY_BIAS	72
#define PUNY_N		0x80

#define MAX_PUNY_IN	2000	/* digits after "xn--" (the crate's limit) */
#define MAX_LABEL	1000	/* code points of a non-ASCII label */
#define MAX_COMPLEX	65536	/* bytes of a host needing the tables */

/* A growable array of code points; `oom` is sticky. */
struct cpv {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
	int		 oom;
};

/* The UTS #46 status of one code point. */
struct map {
	int			 st;	/* SEG_X, SEG_I, SEG_V or SEG_MD */
	uint32_t		 to;	/* SEG_MD without a string: the target */
	const unsigned char	*s;	/* else the target as UTF-8, or NULL */
	size_t			 slen;
};

/* The code points from i on (NULL for an empty vector: no NULL + 0). */
static uint32_t *
cpv_at(const struct cpv *a, size_t i)
{
	return a->v != NULL ? a->v + i : NULL;
}

static void
cpv_add(struct cpv *a, uint32_t c)
{
	uint32_t	*nv;
	size_t		 ncap;

	if (a->oom)
		return;
	if (a->n == a->cap) {
		ncap = a->cap == 0 ? 64 : a->cap;
		if (ncap > SIZE_MAX / 2 / sizeof(*nv) ||
		    (nv = realloc(a->v, 2 * ncap * sizeof(*nv))) == NULL) {
			a->oom = 1;
			return;
		}
		a->v = nv;
		a->cap = 2 * ncap;
	}
	a->v[a->n++] = c;
}

static uint32_t
varint(const unsigned char **pp)
{
	const unsigned char	*p = *pp;
	uint32_t		 v = 0;
	int			 s = 0;

	do {
		v |= (uint32_t)(*p & 0x7f) << s;
		s += 7;
	} while (*p++ & 0x80);
	*pp = p;
	return v;
}

static int32_t
unzigzag(uint32_t v)
{
	return v & 1 ? -(int32_t)(v >> 1) - 1 : (int32_t)(v >> 1);
}

/* Skip the strings of a SEG_MS or SEG_MR segment. */
static const unsigned char *
skip_strings(const unsigned char *p, uint32_t n)
{
	while (n-- > 0)
		p += 1 + *p;
	return p;
}

/* The UTS #46 status of a code point (cp <= U+10FFFF). */
static void
lookup(uint32_t cp, struct map *m)
{
	const unsigned char	*p;
	uint32_t		 start, n, k, off;
	int			 t;

	k = cp < IDNADATA_SEG_INDEXED ? cp / IDNADATA_SEG_STEP : IDNADATA_SEG_INDEXED / IDNADATA_SEG_STEP - 1;
	p = idnadata_seg + idnadata_segidx[k];
	start = k * IDNADATA_SEG_STEP;
	for (;;) {
		t = *p >> 5;
		n = *p++ & 31;
		if (n == 0)
			n = 32 + varint(&p);
		if (cp - start < n)
			break;
		start += n;
		if (t == SEG_MD)
			(void)varint(&p);
		else if (t == SEG_MS)
			p = skip_strings(p, n);
		else if (t == SEG_MR)
			p = skip_strings(p, 1);
	}
	off = cp - start;
	m->s = NULL;
	m->st = t;
	switch (t) {
	case SEG_MD:
		m->to = (uint32_t)((int32_t)cp + unzigzag(varint(&p)));
		break;
	case SEG_ALT:
		m->st = off % 2 == 0 ? SEG_MD : SEG_V;
		m->to = cp + 1;
		break;
	case SEG_MS:
		p = skip_strings(p, off);
		/* FALLTHROUGH */
	case SEG_MR:
		m->st = SEG_MD;
		m->s = p + 1;
		m->slen = *p;
		break;
	default:
		break;
	}
}

/* Bidi class, mark, joining type and combining class (see idnadata_proppal). */
static unsigned
props(uint32_t cp)
{
	const unsigned char	*p = idnadata_prop, *end = idnadata_prop + sizeof(idnadata_prop);
	uint32_t		 at = 0, len;

	if (cp == 0x200c || cp == 0x200d)	/* ZWNJ, ZWJ: BN */
		return BC_N;
	if (cp >= IDNADATA_PROP_LIMIT)
		return 0;
	while (p < end) {
		at += varint(&p);
		len = varint(&p);
		if (cp < at)
			return 0;
		if (cp - at < len)
			return idnadata_proppal[*p];
		at += len;
		p++;
	}
	return 0;
}

static unsigned
ccc(uint32_t cp)
{
	return cp < 0x300 ? 0 : PROP_CCC(props(cp));
}

/* The canonical composition of a + b, or 0. */
static uint32_t
compose(uint32_t a, uint32_t b)
{
	const unsigned char	*p = idnadata_comp, *end = idnadata_comp + sizeof(idnadata_comp);
	uint32_t		 c = 0, f = 0;

	/* Hangul syllables: L + V, LV + T. */
	if (a >= 0x1100 && a < 0x1100 + 19 && b >= 0x1161 && b < 0x1161 + 21)
		return 0xac00 + ((a - 0x1100) * 21 + (b - 0x1161)) * 28;
	if (a >= 0xac00 && a < 0xac00 + 11172 && (a - 0xac00) % 28 == 0 &&
	    b > 0x11a7 && b < 0x11a7 + 28)
		return a + (b - 0x11a7);
	while (p < end) {
		c += varint(&p);
		f = (uint32_t)((int32_t)f + unzigzag(varint(&p)));
		if (f == a && idnadata_comp2[*p] == b)
			return c;
		p++;
	}
	return 0;
}

/* Append the canonical decomposition of c, as far as idnadata_comp has it. */
static void
decompose(uint32_t c, struct cpv *o)
{
	const unsigned char	*p = idnadata_comp, *end = idnadata_comp + sizeof(idnadata_comp);
	uint32_t		 comp = 0, f = 0;

	while (p < end && comp < c) {
		comp += varint(&p);
		f = (uint32_t)((int32_t)f + unzigzag(varint(&p)));
		if (comp == c) {
			decompose(f, o);
			cpv_add(o, idnadata_comp2[*p]);
			return;
		}
		p++;
	}
	cpv_add(o, c);
}

/*
 * Append the NFC of s[0..n) to *o: a code point followed by a combining
 * mark decomposed, marks put in canonical order, then composed.
 */
static int
nfc(const uint32_t *s, size_t n, struct cpv *o)
{
	unsigned char	*cc, t;
	uint32_t	*v, c, comp;
	size_t		 i, j, k, m, starter, base = o->n;
	unsigned	 last;

	for (i = 0; i < n; i++) {
		if (i + 1 < n && ccc(s[i + 1]) != 0)
			decompose(s[i], o);
		else
			cpv_add(o, s[i]);
	}
	if (o->oom || (m = o->n - base) == 0)
		return o->oom ? -2 : 0;
	if ((cc = malloc(m)) == NULL)
		return -2;
	v = cpv_at(o, base);
	for (i = 0; i < m; i++)
		cc[i] = (unsigned char)ccc(v[i]);
	for (i = 1; i < m; i++) {
		for (j = i; cc[j] != 0 && j > 0 && cc[j - 1] > cc[j]; j--) {
			c = v[j];
			v[j] = v[j - 1];
			v[j - 1] = c;
			t = cc[j];
			cc[j] = cc[j - 1];
			cc[j - 1] = t;
		}
	}
	starter = 0;
	last = cc[0] != 0 ? 256 : 0;
	for (i = k = 1; i < m; i++) {
		c = v[i];
		if ((last < cc[i] || last == 0) &&
		    (comp = compose(v[starter], c)) != 0) {
			v[starter] = comp;
			continue;
		}
		if (cc[i] == 0)
			starter = k;
		last = cc[i];
		v[k++] = c;
	}
	o->n = base + k;
	free(cc);
	return 0;
}

static int
denied(uint32_t c)
{
	return c <= 0x20 || c == 0x7f ||
	    (c < 0x80 && strchr("%#/:<>?@[\\]^|", (int)c) != NULL);
}

/* Decode valid UTF-8 p[0..len) into a. */
static void
decode_utf8(const unsigned char *p, size_t len, struct cpv *a)
{
	size_t		 i, k, more;
	uint32_t	 c;

	for (i = 0; i < len; i += 1 + more) {
		c = p[i];
		more = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
		if (more > 0)
			c &= 0x3f >> more;
		for (k = 1; k <= more; k++)
			c = c << 6 | (p[i + k] & 0x3f);
		cpv_add(a, c);
	}
}

/* UTS #46 "map": p[0..len) to code points in *a.  -1 when disallowed. */
static int
map_domain(const char *p, size_t len, struct cpv *a)
{
	struct cpv	 in = { 0 }, sub = { 0 };
	struct map	 m;
	size_t		 i, k;
	uint32_t	 c;
	int		 rc = -1;

	if (!utf8_valid(p, len))
		return -1;
	decode_utf8((const unsigned char *)p, len, &in);
	for (i = 0; i < in.n; i++) {
		c = in.v[i];
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			else if (denied(c))
				goto out;
			cpv_add(a, c);
			continue;
		}
		lookup(c, &m);
		if (m.st == SEG_X)
			goto out;
		if (m.st == SEG_I)
			continue;
		if (m.st == SEG_V || m.s == NULL) {
			c = m.st == SEG_V ? c : m.to;
			if (denied(c))
				goto out;
			cpv_add(a, c);
			continue;
		}
		sub.n = 0;
		decode_utf8(m.s, m.slen, &sub);
		for (k = 0; k < sub.n; k++) {
			if (denied(sub.v[k]))
				goto out;
			cpv_add(a, sub.v[k]);
		}
	}
	rc = in.oom || sub.oom ? -2 : 0;
out:
	free(in.v);
	free(sub.v);
	return rc;
}

static int
is_virama(uint32_t c)
{
	size_t	 i;

	if (c < IDNADATA_PROP_LIMIT)
		return PROP_CCC(props(c)) == 9;
	for (i = 0; i < sizeof(idnadata_virama) / sizeof(idnadata_virama[0]); i++)
		if (idnadata_virama[i] == c)
			return 1;
	return 0;
}

/* CheckJoiners (RFC 5892 A.1, A.2) on a label. */
static int
joiners_ok(const uint32_t *s, size_t n)
{
	size_t		 i, j;
	unsigned	 jt;
	int		 ok;

	for (i = 0; i < n; i++) {
		if (s[i] != 0x200c && s[i] != 0x200d)
			continue;
		if (i == 0)
			return 0;
		if (is_virama(s[i - 1]))
			continue;
		if (s[i] == 0x200d)
			return 0;
		/* ZWNJ: (L|D) T* before it, T* (R|D) after it. */
		for (ok = 0, j = i; j > 0; j--) {
			jt = PROP_JT(props(s[j - 1]));
			if (jt == JT_L || jt == JT_D)
				ok = 1;
			if (jt != JT_T)
				break;
		}
		if (!ok)
			return 0;
		for (ok = 0, j = i + 1; j < n; j++) {
			jt = PROP_JT(props(s[j]));
			if (jt == JT_R || jt == JT_D)
				ok = 1;
			if (jt != JT_T)
				break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* The RFC 5893 bidi rule for one label of a bidi domain name. */
static int
bidi_ok(const uint32_t *s, size_t n)
{
	size_t		 i, last;
	unsigned	 bc, first, num = 0;

	if (n == 0)
		return 1;
	first = PROP_BC(props(s[0]));
	if (first != BC_L && first != BC_R)
		return 0;
	for (last = n - 1; last > 0 && PROP_BC(props(s[last])) == BC_NSM; last--)
		;
	if (last == 0)
		return 1;
	bc = PROP_BC(props(s[last]));
	if (first == BC_L ? bc != BC_L && bc != BC_EN :
	    bc != BC_R && bc != BC_EN && bc != BC_AN)
		return 0;
	for (i = 1; i < last; i++) {
		bc = PROP_BC(props(s[i]));
		if (bc == BC_OTHER || (first == BC_L ?
		    bc == BC_R || bc == BC_AN : bc == BC_L))
			return 0;
		if (first == BC_R && (bc == BC_EN || bc == BC_AN)) {
			if (num != 0 && num != bc)
				return 0;
			num = bc;
		}
	}
	bc = PROP_BC(props(s[last]));
	return first == BC_L || num == 0 || bc == num ||
	    (bc != BC_EN && bc != BC_AN);
}

static int
is_ascii(const uint32_t *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 0;
	return 1;
}

static int
is_puny(const uint32_t *s, size_t n)
{
	return n >= 4 && s[0] == 'x' && s[1] == 'n' && s[2] == '-' &&
	    s[3] == '-';
}

/*
 * One mapped label s[0..n): its Unicode form is appended to *u (an
 * "xn--" label decoded).  Returns 0, -1 invalid, -2 out of memory.
 */
static int
do_label(const uint32_t *s, size_t n, struct cpv *u)
{
	struct map	 m;
	uint32_t	*d;
	char		 a[MAX_PUNY_IN];
	size_t		 i, dn, base = u->n;
	int		 rc = -1;

	if (is_puny(s, n)) {
		if (!is_ascii(s + 4, n - 4) || s[n - 1] == '-' ||
		    n - 4 > MAX_PUNY_IN)
			return -1;
		if ((d = calloc(n - 4, sizeof(*d))) == NULL)
			return -2;
		for (i = 4; i < n; i++)
			a[i - 4] = (char)s[i];
		if (idna_punycode_decode(a, n - 4, d, &dn) == -1)
			goto bad;
		/* Valid code points only, and NFC already. */
		for (i = 0; i < dn; i++) {
			if (d[i] < 0x80)
				continue;
			lookup(d[i], &m);
			if (m.st != SEG_V)
				goto bad;
		}
		if ((rc = nfc(d, dn, u)) == 0 && (u->n - base != dn ||
		    memcmp(cpv_at(u, base), d, dn * sizeof(*d)) != 0))
			rc = -1;
bad:
		free(d);
		if (rc != 0)
			return rc;
	} else if (is_ascii(s, n)) {
		for (i = 0; i < n; i++)
			cpv_add(u, s[i]);
	} else if (n > 4 * MAX_LABEL)	/* NFC shrinks 4 times at most */
		return -1;
	else if (nfc(s, n, u) != 0)
		return -2;
	if (u->oom)
		return -2;
	s = cpv_at(u, base);
	n = u->n - base;
	if (is_ascii(s, n))
		return 0;
	if (PROP_MARK(props(s[0])) || !joiners_ok(s, n) || n > MAX_LABEL)
		return -1;
	return 0;
}

/* ASCII without an "xn--" label: the whole of UTS #46 is lowercasing. */
static int
simple_ascii(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] >= 0x80)
			return 0;
		if ((i == 0 || p[i - 1] == '.') && len - i >= 4 &&
		    (p[i] | 0x20) == 'x' && (p[i + 1] | 0x20) == 'n' &&
		    p[i + 2] == '-' && p[i + 3] == '-')
			return 0;
	}
	return 1;
}

int
idna_to_ascii(const char *p, size_t len, struct buf *out)
{
	struct cpv	 a = { 0 }, u = { 0 };
	const uint32_t	*s;
	size_t		 i, n, b, e, ub, ue;
	int		 rc, bidi = 0;
	unsigned	 bc;

	if (simple_ascii(p, len)) {
		for (i = 0; i < len; i++)
			if (denied((unsigned char)p[i]))
				return -1;
		for (i = 0; i < len; i++)
			buf_addc(out, p[i] >= 'A' && p[i] <= 'Z' ?
			    p[i] - 'A' + 'a' : p[i]);
		return out->oom ? -2 : 0;
	}
	if (len > MAX_COMPLEX)
		return -1;
	if ((rc = map_domain(p, len, &a)) != 0)
		goto out;
	rc = a.oom ? -2 : 0;
	/* Labels: Unicode forms into u, '.' between them. */
	for (b = 0; rc == 0 && b <= a.n; b = e + 1) {
		for (e = b; e < a.n && a.v[e] != '.'; e++)
			;
		if (b > 0)
			cpv_add(&u, '.');
		rc = do_label(cpv_at(&a, b), e - b, &u);
	}
	if (rc != 0)
		goto out;
	for (i = 0; i < u.n && !bidi; i++) {
		if (u.v[i] < 0x590)
			continue;
		bc = PROP_BC(props(u.v[i]));
		bidi = bc == BC_R || bc == BC_AN;
	}
	for (ub = 0; bidi && ub <= u.n; ub = ue + 1) {
		for (ue = ub; ue < u.n && u.v[ue] != '.'; ue++)
			;
		if (!bidi_ok(cpv_at(&u, ub), ue - ub)) {
			rc = -1;
			goto out;
		}
	}
	/* Out: "xn--" labels as written (lowercased), ASCII, or encoded. */
	for (b = ub = 0; b <= a.n; b = e + 1, ub = ue + 1) {
		for (e = b; e < a.n && a.v[e] != '.'; e++)
			;
		for (ue = ub; ue < u.n && u.v[ue] != '.'; ue++)
			;
		if (b > 0)
			buf_addc(out, '.');
		if (is_puny(cpv_at(&a, b), e - b)) {
			s = cpv_at(&a, b);
			n = e - b;
		} else if (is_ascii(cpv_at(&u, ub), ue - ub)) {
			s = cpv_at(&u, ub);
			n = ue - ub;
		} else {
			buf_adds(out, "xn--");
			if (idna_punycode_encode(cpv_at(&u, ub), ue - ub, out) == -1) {
				rc = -1;
				goto out;
			}
			continue;
		}
		for (i = 0; i < n; i++)
			buf_addc(out, (char)s[i]);
	}
	rc = out->oom || u.oom ? -2 : 0;
out:
	free(a.v);
	free(u.v);
	return rc;
}

/* --- Punycode (RFC 3492) ------------------------------------------------- */

static uint32_t
adapt(uint32_t delta, uint32_t npoints, int first)
{
	uint32_t	 k = 0;

	delta /= first ? PUNY_DAMP : 2;
	delta += delta / npoints;
	while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) / 2) {
		delta /= PUNY_BASE - PUNY_TMIN;
		k += PUNY_BASE;
	}
	return k + (PUNY_BASE - PUNY_TMIN + 1) * delta / (delta + PUNY_SKEW);
}

static uint32_t
threshold(uint32_t k, uint32_t bias)
{
	if (k <= bias)
		return PUNY_TMIN;
	if (k >= bias + PUNY_TMAX)
		return PUNY_TMAX;
	return k - bias;
}

static int
digit_value(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '0' && c <= '9')
		return c - '0' + 26;
	return -1;
}

int
idna_punycode_decode(const char *p, size_t len, uint32_t *out, size_t *n)
{
	size_t		 d, j, nout;
	uint32_t	 cp = PUNY_N, i = 0, bias = PUNY_BIAS, oldi, w, k, t;
	int		 v;

	*n = 0;
	if (len > UINT32_MAX / 2)
		return -1;
	/* Basic code points before the last '-'; a leading one is a digit. */
	for (d = len; d > 0 && p[d - 1] != '-'; d--)
		;
	if (d == 1)
		return -1;
	nout = d > 0 ? d - 1 : 0;
	for (j = 0; j < nout; j++) {
		if ((unsigned char)p[j] >= 0x80)
			return -1;
		out[j] = (unsigned char)p[j];
	}
	for (j = d; j < len; ) {
		oldi = i;
		w = 1;
		for (k = PUNY_BASE;; k += PUNY_BASE) {
			if (j >= len || (v = digit_value(p[j++])) < 0)
				return -1;
			if ((uint32_t)v > (UINT32_MAX - i) / w)
				return -1;
			i += (uint32_t)v * w;
			t = threshold(k, bias);
			if ((uint32_t)v < t)
				break;
			if (w > UINT32_MAX / (PUNY_BASE - t))
				return -1;
			w *= PUNY_BASE - t;
		}
		bias = adapt(i - oldi, (uint32_t)nout + 1, oldi == 0);
		if (i / (nout + 1) > UINT32_MAX - cp)
			return -1;
		cp += i / (uint32_t)(nout + 1);
		i %= (uint32_t)(nout + 1);
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		memmove(out + i + 1, out + i, (nout - i) * sizeof(*out));
		out[i++] = cp;
		nout++;
	}
	*n = nout;
	return 0;
}

int
idna_punycode_encode(const uint32_t *in, size_t n, struct buf *out)
{
	static const char	 digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	uint32_t		 cp = PUNY_N, delta = 0, bias = PUNY_BIAS;
	uint32_t		 h, b = 0, m, q, t, k;
	size_t			 i;

	if (n >= UINT32_MAX)
		return -1;
	for (i = 0; i < n; i++)
		if (in[i] < 0x80) {
			buf_addc(out, (char)in[i]);
			b++;
		}
	if (b > 0)
		buf_addc(out, '-');
	for (h = b; h < n; delta++, cp++) {
		for (m = UINT32_MAX, i = 0; i < n; i++)
			if (in[i] >= cp && in[i] < m)
				m = in[i];
		if (m - cp > (UINT32_MAX - delta) / (h + 1))
			return -1;
		delta += (m - cp) * (h + 1);
		cp = m;
		for (i = 0; i < n; i++) {
			if (in[i] < cp && ++delta == 0)
				return -1;
			if (in[i] != cp)
				continue;
			for (q = delta, k = PUNY_BASE;; k += PUNY_BASE) {
				t = threshold(k, bias);
				if (q < t)
					break;
				buf_addc(out, digits[t + (q - t) % (PUNY_BASE - t)]);
				q = (q - t) / (PUNY_BASE - t);
			}
			buf_addc(out, digits[q]);
			bias = adapt(delta, h + 1, h == b);
			delta = 0;
			h++;
		}
	}
	return 0;
}

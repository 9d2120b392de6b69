/*
 * tomlint.h: the TOML tree, shared by the reader (toml.c) and the
 * writer (tomlout.c).  Not for other modules: they use toml.h.
 */
#ifndef TOMLINT_H
#define TOMLINT_H

#include <stddef.h>

enum ttype { T_STR, T_INT, T_FLOAT, T_BOOL, T_DATE, T_ARR, T_TAB };

struct tkv {
	char		*key;
	size_t		 klen;
	struct tval	*val;
};

struct tval {
	enum ttype	 type;
	char		*s;		/* T_STR, T_DATE */
	size_t		 slen;
	long long	 i;
	double		 f;
	struct tval	**a;		/* T_ARR */
	struct tkv	*kv;		/* T_TAB */
	size_t		 n, cap;
	int		 defined;	/* T_TAB: by a [header] or inline */
	int		 frozen;	/* inline table or array: closed */
	int		 aot;		/* T_ARR: made by [[header]] */
};

struct tval	*toml_new(enum ttype);
/* Member k (n bytes) of table t, or NULL. */
struct tval	*toml_get(const struct tval *, const char *, size_t);
/* Append member k = v to table t; -1 on ENOMEM. */
int		 toml_put(struct tval *, const char *, size_t,
		    struct tval *);
/* May a key be written bare? */
int		 toml_bare_char(char);

#endif

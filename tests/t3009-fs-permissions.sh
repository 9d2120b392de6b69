#!/bin/sh
test_description='permission errors as a non-root user: -32600, and walk error entries'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

# The server runs as nobody; the scratch directory must be reachable.
if test_have_prereq SETPRIV &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$TRASH"; then
	test_set_prereq NOBODY
fi

mkdir -p open locked/inner noread && printf secret >locked/inner/f &&
	printf secret >open/private && printf pub >open/public &&
	chmod 600 open/private && chmod 000 locked && chmod 311 noread &&
	printf x >noread/f && chmod 777 open

asnobody() {
	sed -e "s|@U@|file://$TRASH|g" |
	    "$RP" -i setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$ES" --listen stdio
}
err() {
	expect_answer log "$1" "{\"error\":{\"code\":$2,\"message\":\"$3\"},\"id\":$1}"
}
P="Permission denied (os error 13)"

test_expect_success NOBODY 'EACCES is -32600 for every method' '
	asnobody >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/open/private"}}
{"id":2,"method":"fs/writeFile","params":{"path":"@U@/open/private","dataBase64":"eA=="}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/locked/inner/f"}}
{"id":4,"method":"fs/getMetadata","params":{"path":"@U@/locked/inner"}}
{"id":5,"method":"fs/readDirectory","params":{"path":"@U@/locked"}}
{"id":6,"method":"fs/createDirectory","params":{"path":"@U@/locked/x"}}
{"id":7,"method":"fs/remove","params":{"path":"@U@/locked/inner"}}
{"id":8,"method":"fs/copy","params":{"sourcePath":"@U@/open/private","destinationPath":"@U@/open/copy","recursive":false}}
{"id":9,"method":"fs/open","params":{"handleId":"h","path":"@U@/open/private"}}
{"id":10,"method":"fs/canonicalize","params":{"path":"@U@/locked/inner"}}
{"id":11,"method":"fs/readDirectory","params":{"path":"@U@/noread"}}
{"id":12,"method":"fs/readFile","params":{"path":"@U@/noread/f"}}
{"id":13,"method":"fs/readFile","params":{"path":"@U@/open/public"}}
{"id":14,"method":"fs/createDirectory","params":{"path":"@U@/d","recursive":false}}
EOF
	for i in 1 2 3 4 5 6 7 8 9 10 11; do err $i -32600 "$P" || return 1; done &&
	expect_answer log 12 "{\"id\":12,\"result\":{\"dataBase64\":\"eA==\"}}" &&
	expect_answer log 13 "{\"id\":13,\"result\":{\"dataBase64\":\"cHVi\"}}" &&
	err 14 -32600 "$P" &&
	test "$(cat open/private)" = secret
'

test_expect_success NOBODY 'a directory the walk cannot read becomes an error entry' '
	mkdir -p tree/ok && : >tree/ok/f && mkdir tree/shut && chmod 000 tree/shut &&
	asnobody >log <<\EOF &&
{"id":1,"method":"fs/walk","params":{"path":"@U@/tree","options":{"maxDepth":5,"maxDirectories":10,"maxEntries":100,"followDirectorySymlinks":false}}}
EOF
	expect_answer log 1 "{\"id\":1,\"result\":{\"entries\":[{\"path\":\"file://@T@/tree/ok\",\"kind\":\"directory\"},{\"path\":\"file://@T@/tree/shut\",\"kind\":\"directory\"},{\"path\":\"file://@T@/tree/ok/f\",\"kind\":\"file\"}],\"errors\":[{\"path\":\"file://@T@/tree/shut\",\"message\":\"$P\"}],\"truncated\":false}}"
'

test_expect_success NOBODY 'EPERM is -32600 too' '
	mkdir sticky && chmod 1777 sticky && : >sticky/roots &&
	asnobody >log <<\EOF &&
{"id":1,"method":"fs/remove","params":{"path":"@U@/sticky/roots"}}
EOF
	err 1 -32600 "Operation not permitted (os error 1)" &&
	test -e sticky/roots
'

test_expect_success 'cleanup' '
	chmod -R u+rwx locked noread tree
'

test_done

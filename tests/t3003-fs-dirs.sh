#!/bin/sh
test_description='fs/createDirectory, getMetadata, readDirectory, remove, copy, canonicalize'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

mkdir -p sub/deeper && printf "hello world" >a.txt && ln -s a.txt link-to-a &&
	ln -s sub link-to-sub && ln -s nowhere dangling && mkfifo fifo &&
	printf b >sub/b.txt && mkdir .hidden && touch -d "2020-01-02 03:04:05.678" a.txt

ok() {
	expect_answer log "$1" "{\"id\":$1,\"result\":$2}"
}
err() {
	expect_answer log "$1" "{\"error\":{\"code\":$2,\"message\":\"$3\"},\"id\":$1}"
}

test_expect_success 'createDirectory: recursive by default, create_dir_all rules' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/createDirectory","params":{"path":"@U@/n1/n2/n3"}}
{"id":2,"method":"fs/createDirectory","params":{"path":"@U@/m1/m2","recursive":false}}
{"id":3,"method":"fs/createDirectory","params":{"path":"@U@/m1","recursive":false}}
{"id":4,"method":"fs/createDirectory","params":{"path":"@U@/m1","recursive":false}}
{"id":5,"method":"fs/createDirectory","params":{"path":"@U@/m1","recursive":true}}
{"id":6,"method":"fs/createDirectory","params":{"path":"@U@/a.txt"}}
{"id":7,"method":"fs/createDirectory","params":{"path":"@U@/a.txt/child"}}
{"id":8,"method":"fs/createDirectory","params":{"path":"@U@/link-to-sub/nd1"}}
{"id":9,"method":"fs/createDirectory","params":{"path":"@U@/dangling/x"}}
{"id":10,"method":"fs/createDirectory","params":{"path":"@U@/link-to-sub","recursive":false}}
{"id":11,"method":"fs/createDirectory","params":{"path":"file:///"}}
{"id":12,"method":"fs/createDirectory","params":{"path":"file:///","recursive":false}}
EOF
	ok 1 "{}" && test -d n1/n2/n3 &&
	err 2 -32004 "No such file or directory (os error 2)" &&
	ok 3 "{}" &&
	err 4 -32603 "File exists (os error 17)" &&
	ok 5 "{}" &&
	err 6 -32603 "File exists (os error 17)" &&
	err 7 -32603 "Not a directory (os error 20)" &&
	ok 8 "{}" && test -d sub/nd1 &&
	err 9 -32603 "File exists (os error 17)" &&
	err 10 -32603 "File exists (os error 17)" &&
	ok 11 "{}" &&
	err 12 -32603 "File exists (os error 17)"
'

test_expect_success 'createDirectory followSymlinks:false never passes a symlink' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/createDirectory","params":{"path":"@U@/link-to-sub/nd2","followSymlinks":false}}
{"id":2,"method":"fs/createDirectory","params":{"path":"@U@/link-to-sub/nd3","followSymlinks":false,"recursive":false}}
{"id":3,"method":"fs/createDirectory","params":{"path":"@U@/link-to-sub","followSymlinks":false}}
{"id":4,"method":"fs/createDirectory","params":{"path":"@U@/link-to-sub","followSymlinks":false,"recursive":false}}
{"id":5,"method":"fs/createDirectory","params":{"path":"@U@/nd/a/b","followSymlinks":false}}
{"id":6,"method":"fs/createDirectory","params":{"path":"@U@/a.txt","followSymlinks":false}}
{"id":7,"method":"fs/createDirectory","params":{"path":"@U@/nd3/a","followSymlinks":false,"recursive":false}}
EOF
	err 1 -32603 "Not a directory (os error 20)" &&
	err 2 -32603 "Not a directory (os error 20)" &&
	err 3 -32603 "Not a directory (os error 20)" &&
	err 4 -32603 "File exists (os error 17)" &&
	ok 5 "{}" && test -d nd/a/b &&
	err 6 -32603 "Not a directory (os error 20)" &&
	err 7 -32004 "No such file or directory (os error 2)" &&
	! test -e sub/nd2 && ! test -e sub/nd3
'

test_expect_success 'getMetadata: flags, sizes, times; symlinks followed, isSymlink of the path' '
	mt=$(($(date -d "2020-01-02 03:04:05" +%s) * 1000 + 678)) &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/getMetadata","params":{"path":"@U@/a.txt"}}
{"id":2,"method":"fs/getMetadata","params":{"path":"@U@/link-to-a"}}
{"id":3,"method":"fs/getMetadata","params":{"path":"@U@/link-to-sub"}}
{"id":4,"method":"fs/getMetadata","params":{"path":"@U@/dangling"}}
{"id":5,"method":"fs/getMetadata","params":{"path":"@U@/missing"}}
{"id":6,"method":"fs/getMetadata","params":{"path":"file:///dev/null"}}
{"id":7,"method":"fs/getMetadata","params":{"path":"@U@/a.txt/x"}}
{"id":8,"method":"fs/getMetadata","params":{"path":"@U@/fifo"}}
EOF
	ok 1 "{\"isDirectory\":false,\"isFile\":true,\"isSymlink\":false,\"size\":11,\"createdAtMs\":0,\"modifiedAtMs\":$mt}" &&
	ok 2 "{\"isDirectory\":false,\"isFile\":true,\"isSymlink\":true,\"size\":11,\"createdAtMs\":0,\"modifiedAtMs\":$mt}" &&
	answer log 3 | grep -q "\"isDirectory\":true,\"isFile\":false,\"isSymlink\":true," &&
	err 4 -32004 "No such file or directory (os error 2)" &&
	err 5 -32004 "No such file or directory (os error 2)" &&
	answer log 6 | grep -q "\"isDirectory\":false,\"isFile\":false,\"isSymlink\":false,\"size\":0,\"createdAtMs\":0," &&
	err 7 -32603 "Not a directory (os error 20)" &&
	answer log 8 | grep -q "\"isDirectory\":false,\"isFile\":false,\"isSymlink\":false,"
'

test_expect_success 'getMetadata followSymlinks:false: birth time, and no symlink anywhere' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/getMetadata","params":{"path":"@U@/a.txt","followSymlinks":false}}
{"id":2,"method":"fs/getMetadata","params":{"path":"@U@/link-to-a","followSymlinks":false}}
{"id":3,"method":"fs/getMetadata","params":{"path":"@U@/dangling","followSymlinks":false}}
{"id":4,"method":"fs/getMetadata","params":{"path":"@U@/link-to-sub/b.txt","followSymlinks":false}}
{"id":5,"method":"fs/getMetadata","params":{"path":"@U@/missing","followSymlinks":false}}
{"id":6,"method":"fs/getMetadata","params":{"path":"file:///","followSymlinks":false}}
EOF
	bt=$(stat -c %W a.txt) &&
	if [ "$bt" != 0 ] && [ "$bt" != "-" ]; then
		answer log 1 | grep -q "\"createdAtMs\":$bt[0-9][0-9][0-9],"
	else
		answer log 1 | grep -q "\"createdAtMs\":0,"
	fi &&
	answer log 1 | grep -q "^{\"id\":1,\"result\":{\"isDirectory\":false,\"isFile\":true,\"isSymlink\":false,\"size\":11," &&
	err 2 -32600 "path contains a symbolic link" &&
	err 3 -32600 "path contains a symbolic link" &&
	err 4 -32603 "Not a directory (os error 20)" &&
	err 5 -32004 "No such file or directory (os error 2)" &&
	answer log 6 | grep -q "\"isDirectory\":true,"
'

test_expect_success 'readDirectory: readdir order, hidden names, symlinks followed, dangling left out' '
	mkdir -p rd/.hidden && : >rd/a.txt && ln -s a.txt rd/link-to-a &&
	ln -s ../sub rd/link-to-sub && ln -s nowhere rd/dangling && mkfifo rd/fifo &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readDirectory","params":{"path":"@U@/rd"}}
{"id":2,"method":"fs/readDirectory","params":{"path":"@U@/link-to-sub"}}
{"id":3,"method":"fs/readDirectory","params":{"path":"@U@/a.txt"}}
{"id":4,"method":"fs/readDirectory","params":{"path":"@U@/missing"}}
EOF
	answer log 1 | grep -o "{\"fileName\":[^}]*}" | sort >actual &&
	sort >expect <<\EOF &&
{"fileName":".hidden","isDirectory":true,"isFile":false}
{"fileName":"a.txt","isDirectory":false,"isFile":true}
{"fileName":"link-to-a","isDirectory":false,"isFile":true}
{"fileName":"link-to-sub","isDirectory":true,"isFile":false}
{"fileName":"fifo","isDirectory":false,"isFile":false}
EOF
	test_cmp expect actual &&
	ls -U -A rd | grep -v "^dangling$" >order &&
	answer log 1 | grep -o "\"fileName\":\"[^\"]*\"" | cut -d\" -f4 >gotorder &&
	test_cmp order gotorder &&
	answer log 2 | grep -q "{\"fileName\":\"b.txt\",\"isDirectory\":false,\"isFile\":true}" &&
	err 3 -32603 "Not a directory (os error 20)" &&
	err 4 -32004 "No such file or directory (os error 2)"
'

test_expect_success 'readDirectory names that are not UTF-8 come out as U+FFFD' '
	mkdir raw && : >"raw/$(printf "a\377b")" &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readDirectory","params":{"path":"@U@/raw"}}
EOF
	ok 1 "{\"entries\":[{\"fileName\":\"$(printf "a\357\277\275b")\",\"isDirectory\":false,\"isFile\":true}]}"
'

test_expect_success 'remove: force, recursive, symlinks removed themselves' '
	mkdir -p r/full/x r/empty && touch r/full/x/f r/f && ln -s full r/lfull &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/remove","params":{"path":"@U@/r/f"}}
{"id":2,"method":"fs/remove","params":{"path":"@U@/r/f"}}
{"id":3,"method":"fs/remove","params":{"path":"@U@/r/f","force":false}}
{"id":4,"method":"fs/remove","params":{"path":"@U@/r/full","recursive":false}}
{"id":5,"method":"fs/remove","params":{"path":"@U@/r/empty","recursive":false}}
{"id":6,"method":"fs/remove","params":{"path":"@U@/r/lfull/"}}
{"id":7,"method":"fs/remove","params":{"path":"@U@/a.txt/x"}}
{"id":8,"method":"fs/remove","params":{"path":"@U@/r/missing/x"}}
{"id":9,"method":"fs/remove","params":{"path":"@U@/r/full"}}
EOF
	ok 1 "{}" && ok 2 "{}" &&
	err 3 -32004 "No such file or directory (os error 2)" &&
	err 4 -32603 "Directory not empty (os error 39)" &&
	ok 5 "{}" && ! test -e r/empty &&
	ok 6 "{}" && ! test -h r/lfull &&
	err 7 -32603 "Not a directory (os error 20)" &&
	ok 8 "{}" &&
	ok 9 "{}" && ! test -e r/full &&
	test -e a.txt
'

test_expect_success 'remove with a symlink inside a tree removes the link, not its target' '
	mkdir -p t/in keep && touch keep/precious && ln -s ../keep t/in/l &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/remove","params":{"path":"@U@/t"}}
EOF
	ok 1 "{}" && ! test -e t && test -e keep/precious
'

test_expect_success 'remove followSymlinks:false: no recursion, no symlink' '
	mkdir -p q/d q/full && touch q/f q/full/x && ln -s f q/l &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/remove","params":{"path":"@U@/q/f","followSymlinks":false}}
{"id":2,"method":"fs/remove","params":{"path":"@U@/q/missing","followSymlinks":false}}
{"id":3,"method":"fs/remove","params":{"path":"@U@/q/l","followSymlinks":false,"recursive":false}}
{"id":4,"method":"fs/remove","params":{"path":"@U@/link-to-sub/b.txt","followSymlinks":false,"recursive":false}}
{"id":5,"method":"fs/remove","params":{"path":"@U@/q/d","followSymlinks":false,"recursive":false}}
{"id":6,"method":"fs/remove","params":{"path":"@U@/q/full","followSymlinks":false,"recursive":false}}
{"id":7,"method":"fs/remove","params":{"path":"@U@/q/f","followSymlinks":false,"recursive":false}}
{"id":8,"method":"fs/remove","params":{"path":"@U@/q/missing","followSymlinks":false,"recursive":false,"force":false}}
{"id":9,"method":"fs/remove","params":{"path":"@U@/q/missing/x","followSymlinks":false,"recursive":false}}
EOF
	err 1 -32603 "recursive no-follow removal is unsupported" &&
	err 2 -32603 "recursive no-follow removal is unsupported" &&
	err 3 -32600 "path contains a symbolic link" &&
	err 4 -32603 "Not a directory (os error 20)" &&
	ok 5 "{}" &&
	err 6 -32603 "Directory not empty (os error 39)" &&
	ok 7 "{}" &&
	err 8 -32004 "No such file or directory (os error 2)" &&
	ok 9 "{}" &&
	test -h q/l && test -e sub/b.txt && ! test -e q/f
'

test_expect_success 'copy: files (mode kept, overwritten), symlinks as symlinks, trees' '
	mkdir -p c/src/inner c/dst/existing && printf x >c/src/inner/f &&
	printf top >c/src/t && ln -s t c/src/lt && ln -s /nowhere c/src/dang &&
	mkfifo c/src/fifo && printf y >c/f && chmod 750 c/f && ln -s f c/lf &&
	printf old >c/dst/existing/old && printf o >c/dst/t &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/copy","params":{"sourcePath":"@U@/c/f","destinationPath":"@U@/c/fc","recursive":false}}
{"id":2,"method":"fs/copy","params":{"sourcePath":"@U@/c/f","destinationPath":"@U@/c/fc","recursive":false}}
{"id":3,"method":"fs/copy","params":{"sourcePath":"@U@/c/lf","destinationPath":"@U@/c/lf2","recursive":false}}
{"id":4,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/srcc","recursive":true}}
{"id":5,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/dst","recursive":true}}
{"id":6,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/new/deep/er","recursive":true}}
{"id":7,"method":"fs/copy","params":{"sourcePath":"@U@/c/lf","destinationPath":"@U@/c/fc","recursive":false}}
EOF
	for i in 1 2 3 4 5 6; do ok $i "{}" || return 1; done &&
	test "$(stat -c %a c/fc)" = 750 && test "$(cat c/fc)" = y &&
	test "$(readlink c/lf2)" = f &&
	test "$(readlink c/srcc/lt)" = t && test "$(readlink c/srcc/dang)" = /nowhere &&
	test "$(cat c/srcc/inner/f)" = x && ! test -e c/srcc/fifo &&
	test "$(cat c/dst/t)" = top && test -e c/dst/existing/old &&
	test -e c/new/deep/er/inner/f &&
	err 7 -32603 "File exists (os error 17)"
'

test_expect_success 'copy errors: recursive needed, into itself, odd types, missing' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/x","recursive":false}}
{"id":2,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/src/inside","recursive":true}}
{"id":3,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/src","recursive":true}}
{"id":4,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/src/../src/n","recursive":true}}
{"id":5,"method":"fs/copy","params":{"sourcePath":"file:///dev/null","destinationPath":"@U@/c/devnull","recursive":false}}
{"id":6,"method":"fs/copy","params":{"sourcePath":"@U@/c/src/fifo","destinationPath":"@U@/c/ff","recursive":true}}
{"id":7,"method":"fs/copy","params":{"sourcePath":"@U@/c/missing","destinationPath":"@U@/c/x","recursive":false}}
{"id":8,"method":"fs/copy","params":{"sourcePath":"@U@/c/f","destinationPath":"@U@/c/no-dir/x","recursive":false}}
{"id":9,"method":"fs/copy","params":{"sourcePath":"@U@/c/f","destinationPath":"@U@/c/dst","recursive":false}}
{"id":10,"method":"fs/copy","params":{"sourcePath":"@U@/c/src","destinationPath":"@U@/c/f","recursive":true}}
{"id":11,"method":"fs/copy","params":{"sourcePath":"@U@/c/f","destinationPath":"@U@/c/y"}}
EOF
	err 1 -32600 "fs/copy requires recursive: true when sourcePath is a directory" &&
	err 2 -32600 "fs/copy cannot copy a directory to itself or one of its descendants" &&
	err 3 -32600 "fs/copy cannot copy a directory to itself or one of its descendants" &&
	err 4 -32600 "fs/copy cannot copy a directory to itself or one of its descendants" &&
	err 5 -32600 "fs/copy only supports regular files, directories, and symlinks" &&
	err 6 -32600 "fs/copy only supports regular files, directories, and symlinks" &&
	err 7 -32004 "No such file or directory (os error 2)" &&
	err 8 -32004 "No such file or directory (os error 2)" &&
	err 9 -32603 "Is a directory (os error 21)" &&
	err 10 -32603 "File exists (os error 17)" &&
	err 11 -32602 "missing field \`recursive\`" &&
	! test -e c/src/inside
'

test_expect_success 'copying a file onto itself leaves it alone (the reference empties it)' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/copy","params":{"sourcePath":"@U@/c/f","destinationPath":"@U@/c/f","recursive":false}}
{"id":2,"method":"fs/copy","params":{"sourcePath":"@U@/c/f","destinationPath":"@U@/c/lf","recursive":false}}
EOF
	ok 1 "{}" && ok 2 "{}" && test "$(cat c/f)" = y
'

test_expect_success 'canonicalize resolves every symlink and dot' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/canonicalize","params":{"path":"@U@/link-to-a"}}
{"id":2,"method":"fs/canonicalize","params":{"path":"@U@/sub/../a.txt"}}
{"id":3,"method":"fs/canonicalize","params":{"path":"@U@/link-to-sub/deeper"}}
{"id":4,"method":"fs/canonicalize","params":{"path":"@U@/missing"}}
{"id":5,"method":"fs/canonicalize","params":{"path":"@U@/dangling"}}
{"id":6,"method":"fs/canonicalize","params":{"path":"@U@/a.txt/x"}}
EOF
	ok 1 "{\"path\":\"file://@T@/a.txt\"}" &&
	ok 2 "{\"path\":\"file://@T@/a.txt\"}" &&
	ok 3 "{\"path\":\"file://@T@/sub/deeper\"}" &&
	err 4 -32004 "No such file or directory (os error 2)" &&
	err 5 -32004 "No such file or directory (os error 2)" &&
	err 6 -32603 "Not a directory (os error 20)"
'

test_done

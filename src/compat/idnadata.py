#!/usr/bin/env python3
"""idnadata.py: generate src/compat/idnadata.c and idnadata.h, the
compact Unicode data of src/compat/idna.c, from the UTS #46 mapping table
(the Python `idna` package's uts46data: idna 3.13, UTS #46 17.0.0 when
these were made) and Python's unicodedata (Python 3.11, Unicode 14.0.0
when these were made).  Not part of the build:

    pip install idna==3.13 && python3.11 src/compat/idnadata.py

Sizes go to stderr.  The cuts (which mappings and properties are left
out to keep the tables near 4 KB) are the defaults below; idna.c's header
comment and docs/protocol.md say what they change."""
import os, sys, unicodedata as ud
import idna.uts46data as u, idna.idnadata as idd

# Regions whose mappings are left out (taken as valid), and ("u" prefix)
# regions taken as valid whatever their status.
CUTS = ("0800-1DFF 1F00-1FFF 2070-20FF 2100-218F 2190-245F 2460-24FF "
        "2500-2FFF 3100-33FF 3400-FAFF FB00-FEFF FF65-FFEF 1F100-10FFFF "
        "u10000-1EFFF").split()
args = sys.argv[1:] or CUTS
MU_REGIONS = [tuple(int(x,16) for x in a.split('-')) for a in args if not a.startswith('u')]
UV_REGIONS = [tuple(int(x,16) for x in a[1:].split('-')) for a in args if a.startswith('u')]
# Properties are kept below PROP_LIMIT; compositions where COMP_OK.
PROP_LIMIT = int(os.environ.get("PROP_LIMIT", "0x0900"), 16)
COMP_OK = lambda c: (c < 0x0500 or 0x0600 <= c < 0x0700 or
                     0x1E00 <= c < 0x1F00 or 0x3000 <= c < 0x3100)

d = u.uts46data
stat = {}
full = []
for i, e in enumerate(d):
    s = e[0]; t = d[i+1][0] if i + 1 < len(d) else 0x110000
    full.append((s, t, e[1], e[2] if len(e) > 2 else None))
N = 0x110000
st = [None]*N; mp = [None]*N
for s, t, k, m in full:
    for cp in range(s, t):
        st[cp] = {'V':'V','D':'V','X':'X','I':'I','M':'M'}[k]
        mp[cp] = m
for cp in range(0xD800, 0xE000): st[cp] = 'X'

def in_mu(cp):
    return any(a <= cp <= b for a, b in MU_REGIONS)

def varint(n):
    out = []
    while True:
        b = n & 0x7f; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return out
def zz(n): return (n << 1) if n >= 0 else ((-n << 1) - 1)

# --- segments ---
T_X, T_I, T_V, T_MD, T_ALT, T_MS, T_MR, T_MU = range(8)
def kind(cp):
    s = st[cp]
    if any(a <= cp <= b for a, b in UV_REGIONS): return ('V',)
    if s == 'X': return ('X',)
    if s == 'I': return ('I',)
    if s == 'V' or in_mu(cp): return ('V',)
    m = mp[cp]
    if len(m) == 1: return ('D', ord(m) - cp)
    return ('S', m)
segs = []   # (type, start, n, extra)
cp = 0
IDX_STEP = 0x1000; IDX_END = 0x20000
while cp < N:
    lim = N if cp >= IDX_END else (cp // IDX_STEP + 1) * IDX_STEP
    k = kind(cp)
    # alternating pair run: M(+1) then V, repeated
    if k == ('D', 1) and cp + 1 < lim and kind(cp+1) == ('V',):
        n = 0
        while cp + n + 1 < lim and kind(cp+n) == ('D', 1) and kind(cp+n+1) == ('V',):
            n += 2
        if n >= 4:
            segs.append((T_ALT, cp, n, None)); cp += n; continue
    n = 1
    if k[0] == 'S':
        # same string repeated -> MR, else MS run of distinct strings
        while cp + n < lim and kind(cp+n) == k: n += 1
        if n > 1:
            segs.append((T_MR, cp, n, k[1])); cp += n; continue
        while cp + n < lim and kind(cp+n)[0] == 'S' and kind(cp+n) != kind(cp+n-1): n += 1
        # stop before a repeated run
        segs.append((T_MS, cp, n, [mp[c] for c in range(cp, cp+n)])); cp += n; continue
    while cp + n < lim and kind(cp+n) == k: n += 1
    t = {'X':T_X,'I':T_I,'V':T_V,'D':T_MD,'U':T_MU}[k[0]]
    segs.append((t, cp, n, k[1] if k[0]=='D' else None)); cp += n

def enc_str(s):
    b = s.encode()
    assert len(b) < 256
    return [len(b)] + list(b)
out = []
index = []
segstart = []
for t, s, n, x in segs:
    if s < IDX_END and s % IDX_STEP == 0:
        index.append(len(out))
    if n < 32: out.append(t << 5 | n)
    else: out += [t << 5] + varint(n - 32)
    segstart.append((s, len(out)))
    if t == T_MD: out += varint(zz(x))
    elif t == T_MS:
        for m in x: out += enc_str(m)
    elif t == T_MR: out += enc_str(x)
seg_bytes = len(out)
assert len(index) == IDX_END // IDX_STEP, len(index)

# --- V properties ---
jt = idd.joining_types()
def bidig(cp):
    b = ud.bidirectional(chr(cp))
    return {'L':0,'R':1,'AL':1,'AN':2,'EN':3,'ES':4,'CS':4,'ET':4,'ON':4,'BN':4,'NSM':5}.get(b, 6)
def jtype(cp):
    j = chr(jt.get(cp, ord('U')))
    return {'U':0,'C':0,'T':1,'L':2,'R':3,'D':4}[j]
def props(cp):
    c = chr(cp)
    mark = 1 if ud.category(c)[0] == 'M' else 0
    return (bidig(cp), mark, jtype(cp), ud.combining(c))
DEFAULT = (0, 0, 0, 0)
pal = [DEFAULT]
pruns = []  # (start, end, class)
cur = None
for cp in range(PROP_LIMIT):
    if st[cp] != 'V': continue
    p = props(cp)
    if cur and cur[2] == p:
        cur[1] = cp + 1; continue
    if cur and cur[2] != DEFAULT: pruns.append(tuple(cur))
    cur = [cp, cp + 1, p]
if cur and cur[2] != DEFAULT: pruns.append(tuple(cur))
# drop runs of default; merge: ranges include non-V gaps (don't care)
for r in pruns:
    if r[2] not in pal: pal.append(r[2])
pout = []
prev = 0
for s, e, p in pruns:
    pout += varint(s - prev) + varint(e - s) + [pal.index(p)]
    prev = e
# --- compositions (V composites only, pairs of V) ---
pairs = []
for cp in range(N):
    if st[cp] != 'V': continue
    dd = ud.decomposition(chr(cp))
    if not dd or dd.startswith('<'): continue
    parts = [int(x, 16) for x in dd.split()]
    if len(parts) != 2: continue
    if 0xAC00 <= cp <= 0xD7A3 or not COMP_OK(cp): continue
    if ud.normalize('NFC', chr(parts[0]) + chr(parts[1])) != chr(cp): continue
    if st[parts[0]] != 'V' or st[parts[1]] != 'V': continue
    pairs.append((cp, parts[0], parts[1]))
pairs.sort()
seconds = sorted(set(p[2] for p in pairs))
assert len(seconds) < 128
cout = []
pc = 0; pf = 0
for c, f, s in pairs:
    cout += varint(c - pc) + varint(zz(f - pf)) + [seconds.index(s)]
    pc, pf = c, f
sys.stderr.write("segments %d (%d segs), index %d, props %d (%d runs, %d classes), comps %d (%d pairs, %d seconds)\n" % (
    seg_bytes, len(segs), len(index)*2, len(pout), len(pruns), len(pal), len(cout), len(pairs), len(seconds)))
sys.stderr.write("total %d\n" % (seg_bytes + len(index)*2 + len(pout) + len(pal)*2 + len(cout) + len(seconds)*3))

def carray(name, typ, vals, per, fmt):
    s = "const %s %s[%d] = {\n" % (typ, name, len(vals))
    for i in range(0, len(vals), per):
        s += "\t" + ", ".join(fmt % v for v in vals[i:i+per]) + ",\n"
    return s + "};\n"
vir = [cp for cp in range(PROP_LIMIT, 0x10000) if st[cp] == 'V' and ud.combining(chr(cp)) == 9]
arrays = [
    ("idnadata_seg", "unsigned char", out, 12, "0x%02x"),
    ("idnadata_segidx", "unsigned short", index, 8, "%5d"),
    ("idnadata_prop", "unsigned char", pout, 12, "0x%02x"),
    ("idnadata_proppal", "unsigned short", [b | m << 3 | j << 4 | c << 7 for b, m, j, c in pal], 8, "0x%04x"),
    ("idnadata_comp", "unsigned char", cout, 12, "0x%02x"),
    ("idnadata_virama", "unsigned short", vir, 8, "0x%04x"),
    ("idnadata_comp2", "unsigned short", seconds, 8, "0x%04x"),
]
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "idnadata.h"), "w") as f:
    f.write("/*\n * idnadata.h: the Unicode data of idna.c, generated by src/compat/idnadata.py\n"
            " * (idna.c's header comment describes the encodings and the cuts).\n */\n"
            "#ifndef IDNADATA_H\n#define IDNADATA_H\n\n")
    f.write("#define IDNADATA_PROP_LIMIT\t0x%x\n" % PROP_LIMIT)
    f.write("#define IDNADATA_SEG_STEP\t0x%x\n" % IDX_STEP)
    f.write("#define IDNADATA_SEG_INDEXED\t0x%x\n\n" % IDX_END)
    for name, typ, vals, _, _ in arrays:
        f.write("extern const %s %s[%d];\n" % (typ, name, len(vals)))
    f.write("\n#endif\n")
with open(os.path.join(here, "idnadata.c"), "w") as f:
    f.write("/*\n * idnadata.c: generated by src/compat/idnadata.py from the UTS #46 17.0.0\n"
            " * mapping table and the Unicode character database; do not edit.\n */\n"
            '#include "idnadata.h"\n')
    for a in arrays:
        f.write("\n" + carray(*a))
if os.environ.get("BREAKDOWN"):
    import collections
    c = collections.Counter(); prev = 0
    for s, end in segstart:
        c['%05X' % (s & ~0xff) if s < 0x20000 else '20000+'] += end - prev; prev = end
    for k, v in c.most_common(25): sys.stderr.write("%s %d\n" % (k, v))

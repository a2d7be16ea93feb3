#!/usr/bin/env python3
"""manifest-oracle.py TREE MANIFEST: check every digest a signed manifest
of the directory TREE records against ones computed here, independently
of netvet: hashlib over each file, and for ELF files over each section
(read from the section table with struct) and over the bytes no section
covers.  Prints "ok: N files, M ELF" or the first disagreement."""
import base64
import hashlib
import json
import os
import struct
import sys

NOBITS = 8


def sections(b):
    """(name, type, offset, size) of each section but the null one."""
    is64, big = b[4] == 2, b[5] == 2
    e = ">" if big else "<"
    if is64:
        shoff, = struct.unpack_from(e + "Q", b, 0x28)
        entsize, count, strndx = struct.unpack_from(e + "HHH", b, 0x3A)
        fmt, at = e + "IIQQQQI", (0, 1, 4, 5)
    else:
        shoff, = struct.unpack_from(e + "I", b, 0x20)
        entsize, count, strndx = struct.unpack_from(e + "HHH", b, 0x2E)
        fmt, at = e + "IIIIIII", (0, 1, 4, 5)
    heads = [struct.unpack_from(fmt, b, shoff + i * entsize)
             for i in range(count)]
    names = heads[strndx][at[2]]
    out = []
    for h in heads[1:]:
        name = b[names + h[at[0]]:b.index(b"\0", names + h[at[0]])]
        out.append((name.decode(), h[at[1]], h[at[2]], h[at[3]]))
    return out


def section_digests(b):
    covered = bytearray(len(b))
    want = []
    for name, typ, off, size in sections(b):
        if typ == NOBITS:
            want.append((name, size, None))
            continue
        want.append((name, size, hashlib.sha256(b[off:off + size]).hexdigest()))
        covered[off:off + size] = b"\1" * size
    rest = bytes(c for c, k in zip(b, covered) if not k)
    want.append(("(outside sections)", len(rest),
                 hashlib.sha256(rest).hexdigest()))
    return want


def main(tree, manifest):
    env = json.load(open(manifest))
    files = json.loads(base64.b64decode(env["payload"]))["predicate"]["files"]
    n = elf = 0
    for f in files:
        if f["type"] != "file":
            continue
        b = open(os.path.join(tree, f["path"]), "rb").read()
        n += 1
        if f["size"] != len(b) or f["sha256"] != hashlib.sha256(b).hexdigest():
            sys.exit("%s: whole-file digest disagrees" % f["path"])
        if b[:4] != b"\177ELF":
            continue
        elf += 1
        got = [(s["name"], s["size"], s.get("sha256")) for s in f["sections"]]
        if got != section_digests(b):
            sys.exit("%s: section digests disagree" % f["path"])
    print("ok: %d files, %d ELF" % (n, elf))


main(*sys.argv[1:])

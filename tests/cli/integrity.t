# netvet manifest, verify and keygen on a firmware-like image built from
# real Debian packages, on real package updates, and on hostile images.
# Each case builds its image in a fresh temporary directory
# (tests/cli/integrity-fixture.sh).

# The five mutations are found, as tar and as squashfs, and nothing else.
$ . tests/cli/integrity-fixture.sh && mutate && verify "$D/mut.tar"
? 1
~ ^.*mut\.tar against fw 1\.0 \(evaluated 2026-11-30 by lab\): signature valid, 1 trusted key$
> link     bin/sh: busybox -> /tmp/evil
> removed  usr/bin/dbclient: file, 163872 bytes
~ ^changed  usr/lib/x86_64-linux-gnu/libssl\.so\.3: code/data change \([.a-z]+\), 688160 -> 688160 bytes$
> mode     usr/sbin/dropbear: 0755 -> 4755 (setuid added)
> added    usr/share/doc/busybox/keys: file, 26 bytes
> different: 1 added, 1 removed, 1 changed (0 rebuild noise, 1 code/data), 2 with other metadata, 0 issues
> lines: 7

$ . tests/cli/integrity-fixture.sh && mutate && verify "$D/mut.sqfs"
? 1
> link     bin/sh: busybox -> /tmp/evil
> removed  usr/bin/dbclient: file, 163872 bytes
~ ^changed  usr/lib/x86_64-linux-gnu/libssl\.so\.3: code/data change
> mode     usr/sbin/dropbear: 0755 -> 4755 (setuid added)
> added    usr/share/doc/busybox/keys: file, 26 bytes
> lines: 7

# The unchanged image is identical in every form: tar, squashfs, directory.
$ . tests/cli/integrity-fixture.sh && verify "$D/fw.sqfs" && verify "$D/fw.tar" && verify "$D/root" --threads 2
~ ^identical: 0 added, 0 removed, 0 changed
! ^(added|removed|changed|mode|owner|link|type|issue) 

# A directory's manifest is the same byte for byte on one thread and on
# two, and every digest in it, whole-file and per section, agrees with
# one computed independently (tests/cli/manifest-oracle.py); bin/big is an
# ELF file large enough to be mapped, its sections many slices long.
$ . tests/cli/integrity-fixture.sh && python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(b + bytes(range(256)) * 12000)' "$D/root/bin/busybox" "$D/root/bin/big" && manifest "$D/root" --threads 1 2>/dev/null && mv "$D/fw.manifest" "$D/one" && manifest "$D/root" --threads 2 2>/dev/null && cmp "$D/one" "$D/fw.manifest" && python3 tests/cli/manifest-oracle.py "$D/root" "$D/fw.manifest"
> ok: 32 files, 12 ELF

$ . tests/cli/integrity-fixture.sh && mutate && verify "$D/mut.sqfs" --json
? 1
~ "identical": false
~ "code_data": 1
~ "setuid|4755"
~ "link_to": "/tmp/evil"

# Real updates: libc6 2.36-9+deb12u7 -> deb12u14.  Most changed ELF files
# differ only in .note.gnu.build-id and .gnu_debuglink; the rest in code.
$ . tests/cli/integrity-fixture.sh && manifest "$DEBS/libc6_2.36-9+deb12u7_amd64.deb" 2>/dev/null && verify "$DEBS/libc6_2.36-9+deb12u14_amd64.deb"
? 1
> different: 0 added, 0 removed, 275 changed (263 rebuild noise, 10 code/data), 0 with other metadata, 0 issues
> changed  lib/x86_64-linux-gnu/libanl.so.1: rebuild noise (.note.gnu.build-id, .gnu_debuglink), 14480 -> 14480 bytes
~ ^changed  lib/x86_64-linux-gnu/libc\.so\.6: code/data change \(\.note\.gnu\.build-id, \.hash, .* and 20 more\), 1922136 -> 1926232 bytes$
~ ^changed  usr/share/doc/libc6/changelog\.Debian\.gz: content differs \(not ELF\)

# sudo deb12u2 -> deb12u4: ten binaries differ only in their debug links
# (.gnu_debuglink and dwz's .gnu_debugaltlink): rebuild noise.
$ . tests/cli/integrity-fixture.sh && manifest "$DEBS/sudo_1.9.13p3-1+deb12u2_amd64.deb" 2>/dev/null && verify "$DEBS/sudo_1.9.13p3-1+deb12u4_amd64.deb"
? 1
> different: 0 added, 0 removed, 15 changed (10 rebuild noise, 4 code/data), 0 with other metadata, 0 issues
> changed  usr/bin/sudo: rebuild noise (.gnu_debugaltlink, .gnu_debuglink), 281624 -> 281624 bytes
~ ^changed  usr/libexec/sudo/sudoers.so: code/data change

# Rebuild noise alone can be accepted; a code change cannot.
$ . tests/cli/integrity-fixture.sh && cp -a "$D/root" "$D/r2" && flip_build_id "$D/r2/usr/sbin/dropbear" && verify "$D/r2" --allow-rebuild-noise
> changed  usr/sbin/dropbear: rebuild noise (.note.gnu.build-id), 176160 -> 176160 bytes

$ . tests/cli/integrity-fixture.sh && mutate && verify "$D/mut.tar" --allow-rebuild-noise
? 1

# The signature is checked first: another key, a changed manifest, an
# untrusted signer are all refused, and nothing is compared.
$ . tests/cli/integrity-fixture.sh && netvet verify "$D/fw.tar" --against "$D/fw.manifest" --trust "$D/other.pub"
? 2
2~ fw\.manifest: 0 valid signatures by trusted keys, 1 needed$
! .

$ . tests/cli/integrity-fixture.sh && sed -i 's/"payload":"e/"payload":"f/' "$D/fw.manifest" && netvet verify "$D/fw.tar" --against "$D/fw.manifest" --trust "$D/ev.pub"
? 2
2~ fw\.manifest: 0 valid signatures

$ . tests/cli/integrity-fixture.sh && netvet manifest "$D/fw.tar" --key "$D/other.key" --name fw --version 1.0 -o "$D/fw.manifest" 2>/dev/null; netvet verify "$D/fw.tar" --against "$D/fw.manifest" --trust "$D/ev.pub"
? 2

$ . tests/cli/integrity-fixture.sh && netvet manifest "$D/fw.tar" --key "$D/ev.pub" --name fw --version 1
? 2
2~ ev\.pub is a public key; sign with the private one$

# Hostile archives: climbing and absolute paths, a link out of the image,
# a duplicate member, a device node.  Reported, never followed or written.
$ . tests/cli/integrity-fixture.sh && python3 tests/cli/hostile-tar.py "$D/evil.tar" && cd "$D" && netvet manifest evil.tar --key ev.key --name evil --version 1 -o evil.manifest; s=$?; ls; exit $s
? 1
2> netvet: evil.tar: ../../escape: member path climbs out of the image
2> netvet: evil.tar: /etc/cron.d/evil: member path is absolute
2> netvet: evil.tar: etc/shadow-link: link target leads out of the image
2> netvet: evil.tar: dev/mem: device node
2> netvet: evil.tar: etc/passwd: member appears more than once; the last kept
2> netvet: evil.tar: bin/hard: link target leads out of the image
! ^escape$
> evil.manifest

# Verifying the same image is identical: its issues were recorded.
$ . tests/cli/integrity-fixture.sh && python3 tests/cli/hostile-tar.py "$D/evil.tar" && manifest "$D/evil.tar" 2>/dev/null; verify "$D/evil.tar"
~ ^identical

# ...but an image that gains one is different.
$ . tests/cli/integrity-fixture.sh && python3 tests/cli/hostile-tar.py "$D/evil.tar" && verify "$D/evil.tar"
? 1
> issue    etc/shadow-link: link target leads out of the image
> issue    dev/mem: device node

# Truncated data: an error, nothing written.
$ . tests/cli/integrity-fixture.sh && head -c 300000 "$D/fw.tar" | gzip > "$D/cut.tar.gz" && cd "$D" && netvet manifest cut.tar.gz --key ev.key --name x --version 1 -o cut.manifest; s=$?; ls; exit $s
? 2
2~ ^netvet: .*cut\.tar\.gz: member .*: .*(runcated|nexpected)
! cut\.manifest

# A decompression bomb stops at the limit.
$ . tests/cli/integrity-fixture.sh && head -c 64M /dev/zero > "$D/zero" && tar -C "$D" -czf "$D/bomb.tgz" zero && netvet manifest "$D/bomb.tgz" --key "$D/ev.key" --name x --version 1 --max-bytes 16M
? 2
2~ bomb\.tgz: more than 16777216 bytes unpacked$

$ netvet manifest x.tar --key k --name x --version 1 --max-bytes 12Q
? 2
2~ --max-bytes takes a size such as 512M or 20G, not '12Q'

# Paths are escaped for any byte: newline, backslash, '%', Latin-1.
$ . tests/cli/integrity-fixture.sh && python3 tests/cli/odd-names-tar.py "$D/odd.tar" && manifest "$D/odd.tar" 2>/dev/null && python3 -c 'import json,base64,sys; e=json.load(open(sys.argv[1])); [print(f["path"]) for f in json.loads(base64.b64decode(e["payload"]))["predicate"]["files"]]' "$D/fw.manifest" && verify "$D/odd.tar" >/dev/null
> a%0Ab
> back%5Cslash
> caf%E9
> per%25cent
> 日本

# Not an image; no such file; no arguments.
$ . tests/cli/integrity-fixture.sh && verify tests/cli/integrity.t
? 2
2~ integrity\.t: Unrecognized archive format

$ netvet verify /nonexistent --against /nonexistent --trust /nonexistent
? 2
2~ ^netvet: /nonexistent: cannot open

$ netvet verify x.tar
? 2
2~ --against MANIFEST and --trust PUBKEY are needed

# Keys: the private one owner-only, never overwritten.
$ . tests/cli/integrity-fixture.sh && stat -c '%a %n' "$D/ev.key" "$D/ev.pub" | sed "s|$D/||"
> 600 ev.key
> 644 ev.pub

$ . tests/cli/integrity-fixture.sh && netvet keygen "$D/ev"
? 2
2~ ev\.key: File exists

# Every manifest, verification, update and release decision can go to the
# evidence log, whose checkpoints anyone checks with the public key.
$ . tests/cli/integrity-fixture.sh && mutate && manifest "$D/fw.tar" --log "$D/log" --log-key "$D/ev.key" 2>/dev/null && verify "$D/mut.tar" --log "$D/log" --log-key "$D/ev.key" >/dev/null; netvet release examples/national/model.json --policy uk-2020 --log "$D/log" --log-key "$D/ev.key" >/dev/null; netvet log show "$D/log" --json | python3 -c 'import json,sys; [print(e["index"], e["entry"]["kind"]) for e in json.load(sys.stdin)["entries"]]' && netvet log verify "$D/log" --trust "$D/ev.pub"
> 0 manifest
> 1 verify
> 2 release
~ ^ok: log .* holds 3 entries

$ . tests/cli/integrity-fixture.sh && netvet verify "$D/fw.tar" --against "$D/fw.manifest" --trust "$D/ev.pub" --log "$D/log"
? 2
2~ --log DIR and --log-key KEY go together

# A pipe is no image: refused, not waited on.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && mkfifo "$d/pipe" && netvet keygen "$d/k" >/dev/null && netvet manifest "$d/pipe" --key "$d/k.key" --name x --version 1
? 2
2~ pipe: not a directory or a regular file$

# File capabilities (security.capability) grant privileges without setuid:
# recorded and compared in a directory, a tar (--xattrs) and a squashfs.
$ . tests/cli/integrity-fixture.sh && cp -a "$D/root" "$D/cap" && python3 -c 'import os,sys; os.setxattr(sys.argv[1], "security.capability", bytes.fromhex("0100000200200000000000000000000000000000"))' "$D/cap/usr/sbin/dropbear" && tar --xattrs --xattrs-include='security.*' --owner=0 --group=0 --numeric-owner --sort=name -C "$D/cap" -cf "$D/cap.tar" . && tar2sqfs -q "$D/cap.sqfs" < "$D/cap.tar" && for i in cap cap.tar cap.sqfs; do verify "$D/$i" | grep -v ' against ' | sed "s/^/$i: /"; done; manifest "$D/cap.sqfs" 2>/dev/null && verify "$D/cap" && verify "$D/cap.tar"
> cap: caps     usr/sbin/dropbear: none -> 0100000200200000000000000000000000000000 (file capabilities added)
> cap.tar: caps     usr/sbin/dropbear: none -> 0100000200200000000000000000000000000000 (file capabilities added)
> cap.sqfs: caps     usr/sbin/dropbear: none -> 0100000200200000000000000000000000000000 (file capabilities added)
! ^cap.*: (added|removed|changed|mode|owner|link|type|issue) 
~ ^identical

# Zip and ar archives are images too; their hostile names are reported.
$ . tests/cli/integrity-fixture.sh && python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("etc/motd", "hi\n"); z.writestr("../up.txt", "x"); z.close()' "$D/fw.zip" && cd "$D" && ar rc fw.a root/usr/bin/dropbearkey && netvet manifest fw.zip --key ev.key --name z --version 1 -o z.manifest; echo "zip: $?"; netvet manifest fw.a --key ev.key --name a --version 1 -o a.manifest
> zip: 1
2> netvet: fw.zip: ../up.txt: member path climbs out of the image
2~ ^netvet: fw\.zip: 2 entries, 1 issues; signed by key
2~ ^netvet: fw\.a: 1 entries, 0 issues; signed by key

# A log is never extended with another key than the one that signs it.
$ . tests/cli/integrity-fixture.sh && manifest "$D/fw.tar" --log "$D/log" --log-key "$D/ev.key" 2>/dev/null; verify "$D/fw.tar" --log "$D/log" --log-key "$D/other.key" >/dev/null; echo "verify: $?"; netvet log verify "$D/log" --trust "$D/ev.pub"
> verify: 2
~ ^ok: log .* holds 1 entries

# An ELF file whose section table is out of bounds is an issue in a
# directory as it is in an archive (a directory's files are read after
# the walk).
$ . tests/cli/integrity-fixture.sh && mkdir "$D/bad" && python3 -c 'import struct, sys; b = bytearray(open(sys.argv[1], "rb").read()); b[0x28:0x30] = struct.pack("<Q", 0xffffffff); open(sys.argv[2], "wb").write(b)' "$D/root/bin/busybox" "$D/bad/elf" && tar -C "$D/bad" -cf "$D/bad.tar" . && cd "$D" && for x in bad bad.tar; do netvet manifest $x --key ev.key --name b --version 1 -o $x.manifest; echo "$x: $?"; done
> bad: 1
> bad.tar: 1
2~ ^netvet: bad: elf: ELF file with a malformed section table$
2~ ^netvet: bad\.tar: \./elf: ELF file with a malformed section table$

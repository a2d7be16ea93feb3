# netvet update: a signed update checked before it is installed.  Each
# case builds keys, a 2-of-3 trust root and fw.bin in a temporary
# directory (tests/cli/update-fixture.sh).

$ netvet update --help
~ ^usage: netvet update \[OPTIONS\] TARGET --metadata META --trust-root ROOT
~ --init-root --threshold 2
~ --sign targets.json

# Accepted: every check passes and the state advances.
$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && check m && ls "$D/state"
? 0
~ ^CHECK +RESULT +REASON$
~ ^signatures +pass +2 of 3 trusted keys signed, 2 needed$
~ ^rollback +pass +version 1; none accepted before$
~ ^length +pass +17 bytes$
~ ^hardware +pass +the target names no hardware$
> accepted: fw.bin version 1; state advanced
~ ^[0-9a-f]{64}\.json$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m c b && check m --json
? 0
~ ^\{"netvet_version":"[0-9.]+","type":"update","accepted":true,"target":"fw.bin","version":1,"previous":0,
~ \{"check":"sha256","result":"pass","reason":"[0-9a-f]{64}"\}

# Threshold: k - 1 of n; an untrusted key does not count; nor a key twice.
$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a && check m
? 1
~ ^signatures +fail +.*m: 1 valid signature by trusted keys, 2 needed$
~ ^metadata +skip +not checked$
> refused: fw.bin (signatures check)

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a x && check m
? 1
~ ^signatures +fail

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a a && check m
? 1
~ ^signatures +fail

# Rollback: a lower version, or the same version with other content; a
# refusal leaves the state as it was.
$ . tests/cli/update-fixture.sh && payload 2 2027-01-01T00:00:00Z | sign m2 a b && check m2 >/dev/null && payload 1 2027-01-01T00:00:00Z | sign m1 a b && check m1
? 1
~ ^rollback +fail +version 1 is below 2, the last accepted$

$ . tests/cli/update-fixture.sh && payload 2 2027-01-01T00:00:00Z | sign m2 a b && check m2 >/dev/null && payload 2 2028-01-01T00:00:00Z | sign other a b && check other; check m2
? 0
~ ^rollback +fail +version 2 was accepted before with other content$
~ ^rollback +pass +version 2; last accepted 2$

# Freeze: expired metadata; nothing is written to the state.
$ . tests/cli/update-fixture.sh && payload 1 2026-05-31T23:59:59Z | sign m a b && check m; s=$?; echo "state files: $(ls -A "$D/state" | wc -l)"; exit $s
? 1
~ ^expiry +fail +expired at 2026-05-31T23:59:59Z; now 2026-06-01T00:00:00Z$
> state files: 0

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && check m --now 2027-01-01T00:00:00Z
? 1
~ ^expiry +fail

# The target: longer, shorter, one byte changed, not listed, endless.
$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && echo x >> "$D/fw.bin" && check m
? 1
~ ^length +fail +longer than the 17 bytes listed \(reading stopped there\)$
~ ^sha256 +skip

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z 18 | sign m a b && check m
? 1
~ ^length +fail +17 bytes; 18 listed$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && printf 'firmware image 2\n' > "$D/fw.bin" && check m
? 1
~ ^length +pass
~ ^sha256 +fail +[0-9a-f]{64}; listed [0-9a-f]{64}$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && check m --name fw-2.bin
? 1
~ ^target +fail +"fw-2.bin" is not among the 1 targets listed$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && netvet update /dev/zero --name fw.bin --metadata "$D/m" --trust-root "$D/root.json" --state "$D/state"
? 1
~ ^length +fail +longer than the 17 bytes listed \(reading stopped there\)$

# Hardware: listed, not listed, none given.
$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z "" ',"hardware":["acme-r1","acme-r2"]' | sign m a b && check m --hardware acme-r2
? 0
~ ^hardware +pass +"acme-r2" is listed$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z "" ',"hardware":["acme-r1"]' | sign m a b && check m --hardware acme-r9
? 1
~ ^hardware +fail +"acme-r9" is not among the 1 listed$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z "" ',"hardware":["acme-r1"]' | sign m a b && check m
? 1
~ ^hardware +fail +the target is for 1 listed identifier and none was given$

# Bad input: positions in malformed roots and metadata, unreadable files.
$ . tests/cli/update-fixture.sh && sed 's/"threshold": 2/"threshold": 4/' "$D/root.json" > "$D/r4.json" && netvet update "$D/fw.bin" --metadata "$D/root.json" --trust-root "$D/r4.json"
? 2
2~ r4\.json:4:16: "threshold" must be from 1 to 3, the number of keys$

$ . tests/cli/update-fixture.sh && payload 0 2027-01-01T00:00:00Z | sign m a b
? 2
2~ payload\.json:1:55: "version" must be a whole number from 1$

$ . tests/cli/update-fixture.sh && payload 1 2027-13-01T00:00:00Z | sign m a b
? 2
2~ payload\.json:1:67: "expires" must be a UTC time

$ . tests/cli/update-fixture.sh && printf '{\n "payloadType": 1}' > "$D/m" && check m
? 2
2~ /m:2:17: DSSE envelope: "payloadType" must be a string$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && rm "$D/fw.bin" && check m
? 2
2~ fw\.bin: cannot open: No such file or directory$

$ netvet update fw.bin --metadata m
? 2
2~ check one TARGET with --metadata META and --trust-root ROOT

$ netvet update --init-root --key x.pub
? 2
2~ --init-root and --threshold go together

# A state file that does not parse is bad input, never "no state".
$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && check m >/dev/null && for f in "$D"/state/*.json; do printf '{"spec":"netvet-update-state/1",\n"version":0}' > "$f"; done && check m
? 2
2~ state/[0-9a-f]{64}\.json:2:11: "version" must be a whole number from 1$

# The metadata of a target is written from the file: length and SHA-256
# computed; signed, the file is accepted, and one changed byte refused.
$ . tests/cli/update-fixture.sh && netvet update --describe "$D/fw.bin" --version 3 --expires 2027-01-01T00:00:00Z --hardware acme-r7 > "$D/payload.json" && netvet update --sign "$D/payload.json" --key "$D/a.key" --key "$D/b.key" > "$D/m" && check m --hardware acme-r7 && printf x >> "$D/fw.bin" && check m --hardware acme-r7
? 1
~ ^length +pass +[0-9]+ bytes$
~ ^accepted: fw.bin version 3
~ ^refused: fw.bin \(length check\)$

$ netvet update --describe x --version 3
? 2
2~ --describe needs --expires TIME

# --against: the accepted target must also be the evaluated build; one
# that is not is refused before the state can advance.
$ . tests/cli/update-fixture.sh && mkdir "$D/img" && echo v1 > "$D/img/a" && tar -C "$D/img" -cf "$D/fw.bin" . && netvet keygen "$D/lab" >/dev/null && netvet manifest "$D/fw.bin" --key "$D/lab.key" --name fw --version 1 -o "$D/eval.m" 2>/dev/null && netvet update --describe "$D/fw.bin" --version 4 --expires 2027-01-01T00:00:00Z > "$D/p.json" && netvet update --sign "$D/p.json" --key "$D/a.key" --key "$D/b.key" > "$D/m" && check m --against "$D/eval.m" --trust "$D/lab.pub"
~ ^evaluated +pass +
~ ^accepted: fw.bin version 4

$ . tests/cli/update-fixture.sh && mkdir "$D/img" && echo v1 > "$D/img/a" && tar -C "$D/img" -cf "$D/e.tar" . && echo v2 > "$D/img/a" && tar -C "$D/img" -cf "$D/fw.bin" . && netvet keygen "$D/lab" >/dev/null && netvet manifest "$D/e.tar" --key "$D/lab.key" --name fw --version 1 -o "$D/eval.m" 2>/dev/null && netvet update --describe "$D/fw.bin" --version 4 --expires 2027-01-01T00:00:00Z > "$D/p.json" && netvet update --sign "$D/p.json" --key "$D/a.key" --key "$D/b.key" > "$D/m" && check m --against "$D/eval.m" --trust "$D/lab.pub"; echo "exit $?"; ls "$D/state" 2>/dev/null | wc -l
~ ^refused: .*fw.bin is not the evaluated build of .*eval.m \(1 differences
> exit 1
> 0
! accepted

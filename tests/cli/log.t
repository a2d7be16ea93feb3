# netvet log: append, show, prove and verify the evidence log.
# Each case builds its own log with tests/cli/log-fixture.sh.

$ netvet log --help
~ ^usage: netvet log \[OPTIONS\] ACTION
~ netvet log verify evidence --trust log.pub

$ netvet log
? 2
2~ ^usage: netvet log

$ netvet log frob
? 2
2> netvet: log: 'frob' is not an action: append, show, prove or verify

# The examples of --help, as they are written.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && cd "$d" && netvet keygen log >/dev/null && netvet log append evidence --key log.key --text '{"event":"x"}' && netvet log show evidence && netvet log prove evidence --index 0 > proof.json && netvet log verify --proof proof.json --trust log.pub && netvet log verify evidence --trust log.pub
> appended entry 0 to evidence
~ ^ +0  [0-9a-f]{16}  \{"event":"x"\}$
> ok: entry 0 is in log "netvet evidence log" (1 entries)
~ ^ok: log "netvet evidence log" in evidence holds 1 entries, signed by key [0-9a-f]{16}$

$ . tests/cli/log-fixture.sh; netvet log append $d/ev --key $d/k.key --text '{"event":"more"}'
~ ^appended entry 3 to

$ . tests/cli/log-fixture.sh; printf '\001\002' > $d/bin; netvet log append $d/ev --key $d/k.key $d/bin >/dev/null; echo '{"from":"stdin"}' | netvet log append $d/ev --key $d/k.key - >/dev/null; netvet log show $d/ev
~ ^log "netvet evidence log": 5 entries, root [0-9a-f]{64}$
~ ^ +1  [0-9a-f]{16}  \{"event":"test","n":1\}$
~ ^ +3  [0-9a-f]{16}  \(2 bytes\)$
~ ^ +4  [0-9a-f]{16}  \(17 bytes\)$

$ . tests/cli/log-fixture.sh; netvet log show $d/ev --json
~ ^      "entry": \{$
~ ^  "size": 3,$

$ . tests/cli/log-fixture.sh; netvet log verify $d/ev --trust $d/k.pub
~ ^ok: log "netvet evidence log" in .* holds 3 entries

# Tampering: an entry, a length, the file cut; the root, the signature,
# another key.
$ . tests/cli/log-fixture.sh; flip $d/ev/entries 30; netvet log verify $d/ev --trust $d/k.pub
? 1
2~ entries: the 3 entries do not hash to the signed root$

$ . tests/cli/log-fixture.sh; printf '\377' | dd of=$d/ev/entries bs=1 seek=27 conv=notrunc 2>/dev/null; netvet log verify $d/ev --trust $d/k.pub
? 1
2~ entries: record 1 at byte 26 is longer than 1 MiB

$ . tests/cli/log-fixture.sh; truncate -s -1 $d/ev/entries; netvet log verify $d/ev --trust $d/k.pub
? 1
2~ entries: record 2 at byte 52 runs past the end of the file; the checkpoint commits to 3 entries$

$ . tests/cli/log-fixture.sh; truncate -s -1 $d/ev/entries; netvet log show $d/ev
? 1
~ ^ +1  [0-9a-f]{16}
2~ record 2 at byte 52

$ . tests/cli/log-fixture.sh; flip $d/ev/checkpoint 25; netvet log verify $d/ev --trust $d/k.pub
? 2
2~ checkpoint: the checkpoint signature does not hold$

$ . tests/cli/log-fixture.sh; flip $d/ev/checkpoint 140; netvet log verify $d/ev --trust $d/k.pub
? 2
2~ checkpoint: the checkpoint signature does not hold$

$ . tests/cli/log-fixture.sh; netvet log verify $d/ev --trust $d/o.pub
? 2
2~ checkpoint: checkpoint signed by key [0-9a-f]{16}, not by the trusted key

$ . tests/cli/log-fixture.sh; sed -i 2s/3/2/ $d/ev/checkpoint; netvet log verify $d/ev --trust $d/k.pub
? 2
2~ signature does not hold

$ . tests/cli/log-fixture.sh; printf 'x\n' > $d/ev/checkpoint; netvet log verify $d/ev --trust $d/k.pub
? 2
2~ checkpoint:2:1: a checkpoint is five lines

# A tampered log is never extended: an append checks the signature, the
# state against the signed root and the last record; without a state
# that holds, the whole log.
$ . tests/cli/log-fixture.sh; flip $d/ev/entries 60; netvet log append $d/ev --key $d/k.key --text x
? 1
2~ do not hash to the signed root

$ . tests/cli/log-fixture.sh; flip $d/ev/entries 30; rm $d/ev/state; netvet log append $d/ev --key $d/k.key --text x
? 1
2~ do not hash to the signed root

$ . tests/cli/log-fixture.sh; flip $d/ev/state 40; flip $d/ev/entries 30; netvet log append $d/ev --key $d/k.key --text x
? 1
2~ do not hash to the signed root

# An earlier entry changed behind a good state is left to verify.
$ . tests/cli/log-fixture.sh; flip $d/ev/entries 30; netvet log append $d/ev --key $d/k.key --text x; netvet log verify $d/ev --trust $d/k.pub
? 1
~ ^appended entry 3 to
2~ entries: the 4 entries do not hash to the signed root$

# A missing or damaged state is rebuilt.
$ . tests/cli/log-fixture.sh; rm $d/ev/state; netvet log append $d/ev --key $d/k.key --text x >/dev/null; echo garbage > $d/ev/state; netvet log append $d/ev --key $d/k.key --text y; netvet log verify $d/ev --trust $d/k.pub
~ ^appended entry 4 to
~ ^ok: log .* holds 5 entries

# Many entries from one input, under one checkpoint.
$ . tests/cli/log-fixture.sh; printf '{"a":1}\r\n\n{"a":2}\n{"a":3}' | netvet log append $d/ev --key $d/k.key --lines -; netvet log show $d/ev; netvet log verify $d/ev --trust $d/k.pub
~ ^appended entries 3 to 5 to .*/ev$
~ ^ +3  [0-9a-f]{16}  \{"a":1\}$
~ ^ +5  [0-9a-f]{16}  \{"a":3\}$
~ ^ok: log .* holds 6 entries

$ . tests/cli/log-fixture.sh; printf '\n\n' | netvet log append $d/ev --key $d/k.key --lines -
? 2
2~ no entries$

$ . tests/cli/log-fixture.sh; { echo '{}'; head -c 1048577 /dev/zero | tr '\0' x; echo; } > $d/many; netvet log append $d/ev --key $d/k.key --lines $d/many; echo "status $?"; netvet log verify $d/ev --trust $d/k.pub
> status 2
2~ many:2:1: an entry has at most 1 MiB$
~ holds 3 entries

$ . tests/cli/log-fixture.sh; netvet log append $d/ev --key $d/k.key --lines --text x
? 2
2~ not with --lines

$ . tests/cli/log-fixture.sh; netvet log append $d/ev --key $d/o.key --text x
? 2
2~ not by the trusted key

$ . tests/cli/log-fixture.sh; netvet log append $d/ev --key $d/k.key --origin other --text x
? 2
2~ checkpoint:1:1: the log is "netvet evidence log", not "other"$

$ . tests/cli/log-fixture.sh; netvet log append $d/ev --key $d/k.pub --text x
? 2
2> netvet: appending needs a private key

$ . tests/cli/log-fixture.sh; head -c 1048577 /dev/zero > $d/big; netvet log append $d/ev --key $d/k.key $d/big
? 2
2~ big: file is larger than the limit of 1048576 bytes$

# Proofs, checked with the public key alone.
$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 1 > $d/p.json && rm -r $d/ev && netvet log verify --proof $d/p.json --trust $d/k.pub
> ok: entry 1 is in log "netvet evidence log" (3 entries)

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 1 --size 2 > $d/p.json; printf '{"event":"test","n":1}' > $d/e; netvet log verify --proof $d/p.json --entry $d/e --trust $d/k.pub
> ok: entry 1 is in log "netvet evidence log" (3 entries)

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 1 > $d/p.json; printf '{"event":"test","n":2}' > $d/e; netvet log verify --proof $d/p.json --entry $d/e --trust $d/k.pub
? 1
2~ e: not the entry the proof is about$

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 1 > $d/p.json; sed -i 's/"entry": "eyJ/"entry": "eyK/' $d/p.json; netvet log verify --proof $d/p.json --trust $d/k.pub
? 1
2> netvet: entry 1 is not in the tree of 3 entries

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 1 > $d/p.json; sed -i 's/"index": 1/"index": 2/' $d/p.json; netvet log verify --proof $d/p.json --trust $d/k.pub
? 1
2> netvet: entry 2 is not in the tree of 3 entries

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 0 > $d/p.json; netvet log verify --proof $d/p.json --trust $d/o.pub
? 2
2~ not by the trusted key

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --from 1 --to 2 > $d/c.json && netvet log verify --proof $d/c.json --trust $d/k.pub
> ok: log "netvet evidence log" of 3 entries extends the log of 1

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --from 2 > $d/c.json; sed -i 's/"old_size": 2/"old_size": 1/' $d/c.json; netvet log verify --proof $d/c.json --trust $d/k.pub
? 1
2> netvet: the tree of 1 entries is not a prefix of the tree of 3

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --from 1 > $d/c.json; netvet log verify --proof $d/c.json --entry $d/c.json --trust $d/k.pub
? 2
2~ c.json: a consistency proof has no entry to compare$

$ . tests/cli/log-fixture.sh; echo '{"format": "netvet-log-proof/1",' > $d/p.json; echo ' "kind": "other"}' >> $d/p.json; netvet log verify --proof $d/p.json --trust $d/k.pub
? 2
2~ p.json:2:10: the kind is inclusion or consistency$

# Usage errors.
$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 3
? 2
2> netvet: no entry 3 in a tree of 3

$ . tests/cli/log-fixture.sh; netvet log prove $d/ev --index 0 --size 4
? 2
2> netvet: the log has only 3 entries

$ netvet log prove somewhere
? 2
2> netvet: log prove: give --index I [--size N] or --from M [--to N]

$ netvet log prove somewhere --index 1 --from 2
? 2
2~ give --index I

$ netvet log append somewhere --text x
? 2
2~ ^netvet: log append: name DIR, --key KEY and one of FILE, - or --text TEXT \(not with --lines\)$

$ netvet log verify somewhere
? 2
2~ ^netvet: log verify: name --trust PUBKEY

$ netvet log show /nonexistent
? 2
2> netvet: /nonexistent: no log: not a directory

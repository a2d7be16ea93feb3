# verify --model: the sha256 that a model gives its assets against the
# image digest that an evaluated build's signed manifest records.  The
# fixture: an image fw.tar signed as build "fw" 1.0, and a model of four
# assets: two of the build with right and wrong digests, one of the
# build with none, and one of another build.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && cd $d && netvet keygen k >/dev/null && netvet keygen o >/dev/null && mkdir img && echo hi > img/a && tar -cf fw.tar -C img . && netvet manifest fw.tar --key k.key --name fw --version 1.0 -o fw.manifest 2>/dev/null && sha=$(sha256sum fw.tar | cut -d' ' -f1) && printf '{"netvet": 1, "assets": [{"id": "r1", "kind": "firmware", "layer": "core", "model": "FW", "version": "1.0", "sha256": "%s"}, {"id": "r2", "kind": "firmware", "layer": "core", "model": "fw", "version": "1.0", "sha256": "%s"}, {"id": "r3", "kind": "firmware", "layer": "core", "model": "fw", "version": "1.0"}, {"id": "r4", "kind": "firmware", "layer": "core", "model": "other", "sha256": "00"}]}\n' $(echo $sha | tr a-f A-F) $(echo $sha | tr 0-9 1-90) > m.json && netvet verify --model m.json --against fw.manifest --trust k.pub
? 1
~ ^evaluated build fw 1\.0 \(fw\.manifest\): image fw\.tar, sha256 [0-9a-f]{64}$
~ ^  match +r1$
~ ^  mismatch +r2: the model says sha256 [0-9a-f]{64}$
~ ^  no digest +r3$
! r4
> 1 of 3 assets do not run the evaluated image

# The assets named: only those are checked.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && cd $d && netvet keygen k >/dev/null && echo hi > a && tar -cf fw.tar a && netvet manifest fw.tar --key k.key --name fw --version 1.0 -o fw.manifest 2>/dev/null && printf '{"netvet": 1, "assets": [{"id": "r1", "kind": "firmware", "layer": "core", "model": "x", "sha256": "%s"}, {"id": "r2", "kind": "firmware", "layer": "core", "model": "fw", "version": "1.0", "sha256": "00"}]}\n' $(sha256sum fw.tar | cut -d' ' -f1) > m.json && netvet verify --model m.json --asset r1 --against fw.manifest --trust k.pub --json | tee out.json && tests=$OLDPWD && $tests/tests/cli/json-keys.py out.json
~ "id": "r1",
~ "result": "match"
! r2
> ok

$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && cd $d && netvet keygen k >/dev/null && echo hi > a && tar -cf fw.tar a && netvet manifest fw.tar --key k.key --name fw --version 1.0 -o fw.manifest 2>/dev/null && printf '{"netvet": 1, "assets": [{"id": "r2", "kind": "firmware", "layer": "core", "model": "fw", "version": "1.0", "sha256": "00"}]}\n' > m.json && netvet verify --model m.json --against fw.manifest --trust k.pub --json
? 1
~ "result": "mismatch"

# Bad input: an asset the model lacks, a manifest signed by another key,
# a manifest of a directory (no image digest), --model with an image.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && cd $d && netvet keygen k >/dev/null && netvet keygen o >/dev/null && mkdir img && echo hi > img/a && tar -cf fw.tar -C img . && netvet manifest fw.tar --key k.key --name fw --version 1 -o fw.manifest 2>/dev/null && netvet manifest img --key k.key --name fw --version 1 -o dir.manifest 2>/dev/null && printf '{"netvet": 1, "assets": [{"id": "r1", "kind": "firmware", "layer": "core"}]}\n' > m.json && { netvet verify --model m.json --asset zz --against fw.manifest --trust k.pub; echo "exit $?"; netvet verify --model m.json --against fw.manifest --trust o.pub; echo "exit $?"; netvet verify --model m.json --against dir.manifest --trust k.pub; echo "exit $?"; netvet verify fw.tar --model m.json --against fw.manifest --trust k.pub; echo "exit $?"; } 2>&1
> netvet: verify: the model has no asset 'zz'
~ ^netvet: .*fw\.manifest.*(signature|key)
~ ^netvet: verify: dir\.manifest records no image digest
~ ^netvet: verify: --model takes the place of TREE or IMAGE$
! exit [013]

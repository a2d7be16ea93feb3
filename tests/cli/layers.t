# The layering check of make lint (scripts/layers): includes go down the
# layers only.  Each wrong-way case plants one include in a copy of src/.

$ scripts/layers
> layers: ok

# core may include nothing of netvet outside core.
$ d=$(mktemp -d); cp -r src "$d"; echo '#include "report/report.h"' >> "$d/src/core/buf.c"; scripts/layers "$d"; s=$?; rm -rf "$d"; exit $s
? 1
2~ ^src/core/buf\.c:[0-9]+: report/ may not be included from here \(allowed: core\)$

# integrity shares only core with the rest.
$ d=$(mktemp -d); cp -r src "$d"; echo '#include "model/model.h"' >> "$d/src/integrity/merkle.c"; scripts/layers "$d"; s=$?; rm -rf "$d"; exit $s
? 1
2~ ^src/integrity/merkle\.c:[0-9]+: model/ may not be included from here \(allowed: core integrity\)$

# The analyses may not include each other, except policy.
$ d=$(mktemp -d); cp -r src "$d"; echo '#include "screen/match.h"' >> "$d/src/exposure/score.h"; scripts/layers "$d"; s=$?; rm -rf "$d"; exit $s
? 1
2~ ^src/exposure/score\.h:[0-9]+: screen/ may not be included from here

$ d=$(mktemp -d); cp -r src "$d"; echo '#include "exposure/score.h"' >> "$d/src/policy/release.c"; scripts/layers "$d"; s=$?; rm -rf "$d"; exit $s
> layers: ok

# An include must name its folder, and a new folder must be given a layer.
$ d=$(mktemp -d); cp -r src "$d"; echo '#include "json.h"' >> "$d/src/model/save.c"; scripts/layers "$d"; s=$?; rm -rf "$d"; exit $s
? 1
2~ ^src/model/save\.c:[0-9]+: include "json\.h" does not name its folder$

$ d=$(mktemp -d); cp -r src "$d"; mkdir "$d/src/extra"; echo 'int x;' > "$d/src/extra/x.c"; scripts/layers "$d"; s=$?; rm -rf "$d"; exit $s
? 1
2> src/extra/x.c: folder 'extra' has no layer (add it to scripts/layers)

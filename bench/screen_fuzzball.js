// The fuzzball peer: WRatio over every listed name, on a sample of
// labelled queries.  Usage: node screen_fuzzball.js NAMES.json SAMPLE.json
// SAMPLE.json: [{"query": ..., "accept": [names that are right] | null}]
// (null: nothing should match).  A match is WRatio >= 88, like netvet's
// match band.
const fs = require('fs');
const fuzz = require('fuzzball');

const choices = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sample = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const words = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
let tp = 0, fp = 0, fn = 0;
const t0 = Date.now();
for (const r of sample) {
  const [best] = fuzz.extract(r.query, choices, { scorer: fuzz.WRatio, limit: 1 });
  const match = best && best[1] >= 88;
  if (!r.accept) fp += match ? 1 : 0;
  else if (match && r.accept.map(words).includes(words(best[0]))) tp++;
  else { fn++; fp += match ? 1 : 0; }
}
const secs = (Date.now() - t0) / 1000;
const p = tp + fp ? tp / (tp + fp) : 1, rc = tp + fn ? tp / (tp + fn) : 1;
console.log(`fuzzball   ${sample.length} names: precision ${p.toFixed(3)}, ` +
            `recall ${rc.toFixed(3)}; ${(sample.length / secs).toFixed(2)} names/s`);

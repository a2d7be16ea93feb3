// The fuzzball peer: WRatio over every listed name, on a sample of the
// labelled set.  Usage: node screen_fuzzball.js NAMES.json LABELS.csv N
const fs = require('fs');
const fuzz = require('fuzzball');

const choices = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const lines = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n').slice(1);
const n = parseInt(process.argv[4], 10);
const rows = lines.map((l) => {
  const i = l.lastIndexOf(',');
  return { query: l.slice(0, i).replace(/^"|"$/g, ''), expected: l.slice(i + 1) };
});
// An even sample: listed names and lookalikes alike.
const pos = rows.filter((r) => r.expected !== 'NONE').slice(0, n / 2);
const neg = rows.filter((r) => r.expected === 'NONE').slice(0, n / 2);
let tp = 0, fp = 0, fn = 0;
const t0 = Date.now();
for (const r of pos.concat(neg)) {
  const [best] = fuzz.extract(r.query, choices, { scorer: fuzz.WRatio, limit: 1 });
  const match = best && best[1] >= 90;
  const words = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  if (r.expected === 'NONE') fp += match ? 1 : 0;
  else if (match && words(best[0]).includes(words(r.expected))) tp++;
  else { fn++; fp += match ? 1 : 0; }
}
const secs = (Date.now() - t0) / 1000;
const p = tp + fp ? tp / (tp + fp) : 1, rc = tp + fn ? tp / (tp + fn) : 1;
console.log(`fuzzball   ${pos.length + neg.length} names: precision ${p.toFixed(3)}, ` +
            `recall ${rc.toFixed(3)}; ${((pos.length + neg.length) / secs).toFixed(2)} names/s`);

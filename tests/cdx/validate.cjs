/*
 * validate.cjs - check CycloneDX JSON documents against the official
 * schemas shipped by @cyclonedx/cyclonedx-library (strict mode).
 * Usage: node validate.cjs FILE...; exit status 1 if any is invalid.
 */
const CDX = require('@cyclonedx/cyclonedx-library');
const fs = require('fs');

(async () => {
  let invalid = 0;
  for (const file of process.argv.slice(2)) {
    const text = fs.readFileSync(file, 'utf8');
    const version = JSON.parse(text).specVersion;
    const validator = new CDX.Validation.JsonStrictValidator(version);
    const errors = await validator.validate(text);
    if (errors) {
      invalid++;
      console.log(`${file}: invalid CycloneDX ${version}: ` +
                  JSON.stringify(errors).slice(0, 600));
    }
  }
  const n = process.argv.length - 2;
  console.log(`cyclonedx-schema: ${n - invalid} passed, ${invalid} failed`);
  process.exit(invalid ? 1 : 0);
})();

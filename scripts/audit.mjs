// `npm audit` of the production dependencies, failing on high or critical advisories. When the
// advisory service cannot be reached (some networks only proxy the package registry), it says so
// and does not fail: an unreachable service is not a finding.
import { spawnSync } from 'node:child_process';

const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  console.log(`npm audit gave no report (exit ${r.status}); skipped.`);
  process.exit(0);
}
if (report.error) {
  console.log(
    `npm audit could not reach the advisory service here (${report.error.summary ?? report.error.code}); skipped.`,
  );
  process.exit(0);
}
const v = report.metadata?.vulnerabilities ?? {};
console.log(`npm audit (production dependencies): ${JSON.stringify(v)}`);
if ((v.high ?? 0) + (v.critical ?? 0) > 0) {
  for (const [name, adv] of Object.entries(report.vulnerabilities ?? {})) {
    if (adv.severity === 'high' || adv.severity === 'critical')
      console.log(`  ${adv.severity}: ${name} ${adv.range ?? ''}`);
  }
  process.exit(1);
}

// Runs @cloud-copilot/iam-simulate over the cases written by iamlint's simulator_diff example and
// prints one decision per case. Usage: node driver.mjs cases.json [repeat]
// With repeat > 0 it also times `repeat` passes over all cases after one warm-up pass.
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const [, , casesPath, repeatArg] = process.argv;
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
const repeat = Number(repeatArg || 0);

function simulation(c) {
  const named = (list, prefix) => (list || []).map((policy, i) => ({ name: `${prefix}${i}`, policy }));
  const org = (levels, prefix) =>
    (levels || []).map((policies, i) => ({ orgIdentifier: `${prefix}-${i}`, policies: named(policies, `${prefix}${i}-`) }));
  const sim = {
    request: {
      principal: c.request.principal === 'anonymous' ? { type: 'Anonymous' } : c.request.principal,
      action: c.request.action,
      resource: { resource: c.request.resource, accountId: c.request.resourceAccount },
      contextVariables: c.request.context || {},
    },
    identityPolicies: named(c.identity, 'identity'),
    serviceControlPolicies: org(c.scps, 'ou'),
    resourceControlPolicies: org(c.rcps, 'rcp'),
  };
  if (c.resource) sim.resourcePolicy = c.resource;
  if (c.boundary) sim.permissionBoundaryPolicies = [{ name: 'boundary', policy: c.boundary }];
  if (c.session) sim.sessionPolicy = c.session;
  return sim;
}

const names = { Allowed: 'Allowed', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };
const sims = cases.map(simulation);
const results = [];
for (let i = 0; i < sims.length; i++) {
  try {
    const r = await runSimulation(sims[i], {});
    if (r.resultType === 'error') {
      results.push({ id: cases[i].id, decision: 'error', error: r.errors.message });
    } else {
      results.push({ id: cases[i].id, decision: names[r.overallResult] || r.overallResult });
    }
  } catch (e) {
    results.push({ id: cases[i].id, decision: 'error', error: String(e && e.message || e) });
  }
}
let timing = null;
if (repeat > 0) {
  const start = process.hrtime.bigint();
  for (let k = 0; k < repeat; k++) {
    for (const s of sims) await runSimulation(s, {});
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  timing = { simulations: repeat * sims.length, seconds, perSecond: (repeat * sims.length) / seconds };
}
process.stdout.write(JSON.stringify({ results, timing }) + '\n');

import type { ContainerRow, Fleet, FleetRow } from '../api';
import { ago, bytes, cores, money, price } from '../format';
import { ConditionBadge, ModeBadge } from './Conditions';

const arrow = (from: string, to: string | null) => (to === null ? from : `${from} → ${to}`);

function Requests({ row }: { row: FleetRow }) {
  const lines: string[] = [];
  if (row.verticalMode) {
    for (const c of row.containers) lines.push(containerLine(c));
  }
  if (row.horizontalMode && row.replicas) {
    const r = row.replicas;
    const floor = r.minReplicas !== null ? `, floor ${r.minReplicas}` : '';
    lines.push(`replicas ${arrow(`${r.desired ?? r.running}${floor}`, r.suggested !== null ? `${r.suggested}` : null)}`);
  }
  if (lines.length === 0) return <span class="muted">–</span>;
  return (
    <ul class="plain">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

function containerLine(c: ContainerRow): string {
  const now = c.running ?? c.spec;
  const cpu = arrow(cores(now?.cpuCores), c.suggested ? cores(c.suggested.cpuCores) : null);
  const memory = arrow(bytes(now?.memoryBytes), c.suggested ? bytes(c.suggested.memoryBytes) : null);
  return `${c.name}: cpu ${cpu}, memory ${memory}${c.runningUniform ? '' : ' (pods differ)'}`;
}

function Estimate({ row, currency }: { row: FleetRow; currency: string }) {
  const e = row.estimate;
  if (!e) return <span class="muted">–</span>;
  if (e.wastePerMonth < 0.005 && e.savingPerMonth < 0.005) return <span class="muted">none</span>;
  return (
    <ul class="plain">
      {e.wastePerMonth >= 0.005 && (
        <li class="waste" title={`${cores(e.wasteCores)} cores and ${e.wasteGiB.toFixed(2)} GiB requested above the suggestion`}>
          waste {money(e.wastePerMonth, currency)}/mo
        </li>
      )}
      {e.savingPerMonth >= 0.005 && (
        <li class="saving" title={`${cores(e.savingCores)} cores and ${e.savingGiB.toFixed(2)} GiB below the controller spec`}>
          saving {money(e.savingPerMonth, currency)}/mo
        </li>
      )}
    </ul>
  );
}

/** The fleet table: one row per target, linking to its page. */
export function FleetTable({ fleet }: { fleet: Fleet }) {
  const { prices, totals } = fleet;
  return (
    <section aria-labelledby="fleet-heading">
      <div class="section-head">
        <h1 id="fleet-heading">Fleet</h1>
        <p class="summary" data-testid="fleet-summary">
          {totals.targets} targets, {totals.autonomous} autonomous. Estimated waste{' '}
          <strong>{money(totals.wastePerMonth, prices.currency)}</strong>/month, saving{' '}
          <strong>{money(totals.savingPerMonth, prices.currency)}</strong>/month at {price(prices.coreHour, prices.currency)} per
          core-hour and {price(prices.giBHour, prices.currency)} per GiB-hour.
        </p>
      </div>
      {fleet.targets.length === 0 ? (
        <p>No AIScaleTargets yet. Enroll a workload with an AIScaleTarget (see docs/aiscaletarget.md).</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Fleet table">
          <table class="fleet" data-testid="fleet-table">
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Workload</th>
                <th scope="col">Mode</th>
                <th scope="col">Ready</th>
                <th scope="col">Scaling</th>
                <th scope="col">Requests now → suggested</th>
                <th scope="col">Last applied</th>
                <th scope="col">Est. waste / saving</th>
              </tr>
            </thead>
            <tbody>
              {fleet.targets.map((row) => (
                <tr key={row.uid} data-target={`${row.namespace}/${row.name}`}>
                  <th scope="row">
                    <a href={`#/targets/${row.namespace}/${row.name}`}>
                      {row.namespace}/{row.name}
                    </a>
                    {row.unenrolling && <span class="badge off">unenrolling</span>}
                  </th>
                  <td>
                    {row.workload ?? <span class="muted">invalid spec</span>}
                    {row.problems && <p class="error small">{row.problems.join('; ')}</p>}
                    {row.error && <p class="error small">{row.error}</p>}
                  </td>
                  <td>
                    <ModeBadge direction="vertical" mode={row.verticalMode} />
                    <ModeBadge direction="horizontal" mode={row.horizontalMode} />
                  </td>
                  <td>
                    <ConditionBadge type="Ready" condition={row.ready} />
                  </td>
                  <td>
                    <ConditionBadge type="Scaling" condition={row.scaling} />
                  </td>
                  <td>
                    <Requests row={row} />
                  </td>
                  <td>
                    <LastApplied row={row} now={fleet.generatedAt} />
                  </td>
                  <td>
                    <Estimate row={row} currency={prices.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LastApplied({ row, now }: { row: FleetRow; now: string }) {
  const { vertical, horizontal } = row.lastApplied;
  if (!vertical && !horizontal) return <span class="muted">never</span>;
  return (
    <ul class="plain">
      {vertical && <li title={vertical}>vertical {ago(vertical, now)}</li>}
      {horizontal && <li title={horizontal}>horizontal {ago(horizontal, now)}</li>}
    </ul>
  );
}

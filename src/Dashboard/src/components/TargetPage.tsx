import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  call,
  isPausedRecord,
  targetPath,
  type FleetRow,
  type ModeChangeResult,
  type SuggestionHistory,
  type UnenrollResult,
  type UsageHistory,
} from '../api';
import { ago, bytes, cores, money, quantity } from '../format';
import { replicaTimeline, resourceTimeline } from '../timeline';
import { ConditionBadge, ModeBadge } from './Conditions';
import { Flyout } from './Flyout';
import { message } from './PauseFlyouts';
import { TimelineChart } from './TimelineChart';

const RANGES: [string, number][] = [
  ['6 hours', 6],
  ['24 hours', 24],
  ['7 days', 168],
];
const MODES = ['autonomous', 'recommendation', 'observation'];

interface Props {
  namespace: string;
  name: string;
  currency: string;
  onNotice: (text: string) => void;
  onUnenrolled: (text: string) => void;
}

/** One target: its conditions, its timeline per container, its modes and unenroll. */
export function TargetPage({ namespace, name, currency, onNotice, onUnenrolled }: Props) {
  const [row, setRow] = useState<FleetRow | null>(null);
  const [usage, setUsage] = useState<UsageHistory | null>(null);
  const [history, setHistory] = useState<SuggestionHistory | null>(null);
  const [hours, setHours] = useState(6);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const path = targetPath(namespace, name);

  useEffect(() => {
    let live = true;
    setError(null);
    (async () => {
      try {
        const fleetRow = await call<FleetRow>('GET', `fleet/${path}`);
        // The range ends at the app's clock (which thoras serve may run faster than real time).
        const latest = await call<UsageHistory>('GET', `targets/${path}/usage`);
        const to = new Date(latest.to);
        const from = new Date(to.getTime() - hours * 3600_000);
        const [u, h] = await Promise.all([
          hours === 24 ? Promise.resolve(latest) : call<UsageHistory>('GET', `targets/${path}/usage?from=${from.toISOString()}&to=${to.toISOString()}`),
          call<SuggestionHistory>('GET', `targets/${path}/suggestions?limit=1000`),
        ]);
        if (!live) return;
        setRow(fleetRow);
        setUsage(u);
        setHistory(h);
      } catch (e) {
        if (live) setError(message(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [path, hours, version]);

  const timelines = useMemo(() => {
    if (!row || !usage || !history) return [];
    const charts = [];
    if (row.verticalMode) {
      for (const c of row.containers) {
        charts.push({ id: `chart-${c.name}-cpu`, t: resourceTimeline(usage, history.suggestions, row, c.name, 'cpu') });
        charts.push({ id: `chart-${c.name}-memory`, t: resourceTimeline(usage, history.suggestions, row, c.name, 'memory') });
      }
    }
    if (row.horizontalMode) charts.push({ id: 'chart-replicas', t: replicaTimeline(usage, history.suggestions, row) });
    return charts;
  }, [row, usage, history]);

  if (error && !row) {
    return (
      <section>
        <h1>
          {namespace}/{name}
        </h1>
        <p class="error" role="alert">
          {error}
        </p>
        <a href="#/">Back to the fleet</a>
      </section>
    );
  }
  if (!row || !usage || !history) return <p aria-live="polite">Loading {namespace}/{name}…</p>;

  const paused = history.suggestions.filter(isPausedRecord);
  const inRange = paused.filter((r) => Date.parse(r.publishedAt) >= Date.parse(usage.from));
  return (
    <section aria-labelledby="target-heading" class="target">
      <p>
        <a href="#/">← Fleet</a>
      </p>
      <div class="section-head">
        <h1 id="target-heading">
          {namespace}/{name}
        </h1>
        <p class="summary">
          {row.workload} · <ModeBadge direction="vertical" mode={row.verticalMode} /> <ModeBadge direction="horizontal" mode={row.horizontalMode} />{' '}
          · <ConditionBadge type="Ready" condition={row.ready} /> <ConditionBadge type="Scaling" condition={row.scaling} />
        </p>
        {row.scaling && <p class="muted">{row.scaling.message}</p>}
        {row.estimate && (row.estimate.wastePerMonth > 0.005 || row.estimate.savingPerMonth > 0.005) && (
          <p>
            Estimated waste {money(row.estimate.wastePerMonth, currency)}/month, saving {money(row.estimate.savingPerMonth, currency)}/month.
          </p>
        )}
      </div>

      <section aria-labelledby="timeline-heading">
        <div class="row-head">
          <h2 id="timeline-heading">Timeline</h2>
          <div role="group" aria-label="Time range" class="segmented">
            {RANGES.map(([label, h]) => (
              <button key={h} type="button" aria-pressed={hours === h} onClick={() => setHours(h)}>
                {label}
              </button>
            ))}
          </div>
        </div>
        <p class="muted" data-testid="paused-summary">
          {inRange.length > 0
            ? `${inRange.length} ${inRange.length === 1 ? 'suggestion' : 'suggestions'} in this range ${inRange.length === 1 ? 'was' : 'were'} made while paused: marked "would have applied" (▲) on the charts, in the shaded spans.`
            : 'No suggestion in this range was held back by a pause.'}
        </p>
        {timelines.length === 0 && <p>Nothing to chart yet: no direction is scaled or no usage is stored.</p>}
        {timelines.map(({ id, t }) => (
          <TimelineChart key={id} timeline={t} testId={id} />
        ))}
      </section>

      <Modes row={row} onChanged={(text) => {
        onNotice(text);
        setVersion(version + 1);
      }} />

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Latest suggestions</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Latest suggestions">
          <table data-testid="suggestion-table">
            <thead>
              <tr>
                <th scope="col">Published</th>
                <th scope="col">Suggestion</th>
                <th scope="col">Applied?</th>
              </tr>
            </thead>
            <tbody>
              {history.suggestions.slice(0, 15).map((r) => (
                <tr key={`${r.publishedAt}-${r.suggestion.suggestionUID}`} class={isPausedRecord(r) ? 'paused' : ''}>
                  <td title={r.publishedAt}>{ago(r.publishedAt, usage.to)}</td>
                  <td>{describeSuggestion(r.suggestion)}</td>
                  <td>
                    {r.expectedToApply ? 'applied' : isPausedRecord(r) ? <strong class="would">would have applied</strong> : 'not applied'}
                    <span class="muted small"> ({r.reason})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <p>
        <a href={`#/audit/${namespace}/${name}`}>Audit log of {namespace}/{name}</a>
      </p>

      <Unenroll row={row} onDone={onUnenrolled} />
    </section>
  );
}

function describeSuggestion(s: SuggestionHistory['suggestions'][number]['suggestion']): string {
  if (!s.hasEnoughDataToScale) return 'not enough data yet';
  const parts = (s.resourceRecommendations ?? []).map(
    (r) => `${r.containerName}: cpu ${cores(quantity(r.requests?.cpu))}, memory ${bytes(quantity(r.requests?.memory))}`,
  );
  if (s.suggestedReplicas !== null && s.suggestedReplicas !== undefined) parts.push(`replicas ${s.suggestedReplicas}`);
  return parts.join('; ') || '–';
}

function Modes({ row, onChanged }: { row: FleetRow; onChanged: (text: string) => void }) {
  const [pending, setPending] = useState<{ direction: string; mode: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const directions = [
    ['vertical', row.verticalMode],
    ['horizontal', row.horizontalMode],
  ].filter(([, m]) => m !== null) as [string, string][];

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call<ModeChangeResult>('PUT', `targets/${targetPath(row.namespace, row.name)}/mode`, pending);
      setPending(null);
      onChanged(
        result.changed
          ? `The ${result.direction} mode of ${row.namespace}/${row.name} is now ${result.mode}. ${result.revert.summary}`
          : `The ${result.direction} mode was already ${result.mode}; nothing changed.`,
      );
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const leavingAutonomous = pending && directions.find(([d]) => d === pending.direction)?.[1] === 'autonomous';
  return (
    <section aria-labelledby="modes-heading">
      <h2 id="modes-heading">Mode</h2>
      {directions.length === 0 && <p>This target scales in no direction.</p>}
      {directions.map(([direction, mode]) => (
        <form
          key={direction}
          class="mode-form"
          onSubmit={(e) => {
            e.preventDefault();
            const select = (e.currentTarget as HTMLFormElement).elements.namedItem('mode') as HTMLSelectElement;
            setError(null);
            setPending({ direction, mode: select.value });
          }}
        >
          <label for={`mode-${direction}`}>{direction === 'vertical' ? 'Vertical (requests)' : 'Horizontal (replicas)'}</label>
          <select id={`mode-${direction}`} name="mode" data-testid={`mode-${direction}`}>
            {MODES.map((m) => (
              <option key={m} value={m} selected={m === mode}>
                {m}
                {m === mode ? ' (current)' : ''}
              </option>
            ))}
          </select>
          <button type="submit">Change {direction} mode…</button>
        </form>
      ))}
      <Flyout id="mode-dialog" kind="dialog" title={`Switch the ${pending?.direction ?? ''} mode`} open={pending !== null} onClose={() => setPending(null)}>
        <div class="panel-body">
          <p data-testid="mode-warning">
            Switching the {pending?.direction} mode of {row.namespace}/{row.name} to <strong>{pending?.mode}</strong>{' '}
            {leavingAutonomous ? (
              <>
                <strong>restarts the workload {row.workload}</strong> where applied requests must be reverted: its pods are recreated
                with the controller spec (a rolling restart, like <code>kubectl rollout restart</code>), and a predictive HPA floor is
                removed.
              </>
            ) : pending?.mode === 'autonomous' ? (
              <>
                lets the app apply suggestions to {row.workload}: pods are resized in place or <strong>restarted</strong> as its
                update policy allows. Only one direction may be autonomous at a time.
              </>
            ) : (
              <>
                restarts nothing unless applied requests must be reverted, in which case <strong>the workload {row.workload} is
                restarted</strong> with its controller spec.
              </>
            )}
          </p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="button" onClick={() => setPending(null)}>
              Cancel
            </button>
            <button type="button" class="primary" disabled={busy} onClick={confirm} data-testid="confirm-mode">
              Switch to {pending?.mode}
            </button>
          </div>
        </div>
      </Flyout>
    </section>
  );
}

function Unenroll({ row, onDone }: { row: FleetRow; onDone: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const expected = `${row.namespace}/${row.name}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (typed !== expected) return;
    setBusy(true);
    setError(null);
    try {
      const body = reason.trim() ? { reason: reason.trim() } : undefined;
      const result = await call<UnenrollResult>('DELETE', `targets/${targetPath(row.namespace, row.name)}`, body);
      setOpen(false);
      onDone(`Unenrolled ${expected}: ${result.revert.summary}; ${result.purgedItems} stored items deleted.`);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="unenroll-heading" class="danger-zone">
      <h2 id="unenroll-heading">Unenroll</h2>
      <p>Deletes the AIScaleTarget, reverts its workload and deletes everything the app stored for it.</p>
      <button type="button" class="danger" onClick={() => { setTyped(''); setReason(''); setError(null); setOpen(true); }}>
        Unenroll {expected}…
      </button>
      <Flyout id="unenroll-dialog" kind="dialog" title={`Unenroll ${expected}`} open={open} onClose={() => setOpen(false)}>
        <form class="panel-body" onSubmit={submit}>
          <p>
            This deletes the AIScaleTarget {expected} and <strong>restarts the workload {row.workload}</strong> with its controller
            spec. Its <strong>usage history, suggestions and model are deleted</strong> and cannot be recovered; enrolling it again
            starts from nothing.
          </p>
          <label for="unenroll-confirm">
            Type <code>{expected}</code> to confirm
          </label>
          <input id="unenroll-confirm" autoComplete="off" spellcheck={false} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          <label for="unenroll-reason">Reason (optional, recorded in the audit log)</label>
          <input id="unenroll-reason" maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" class="danger" disabled={busy || typed !== expected}>
              Delete history and unenroll
            </button>
          </div>
        </form>
      </Flyout>
    </section>
  );
}

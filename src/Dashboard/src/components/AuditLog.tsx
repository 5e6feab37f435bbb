import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { instant } from '../format';
import { message } from './PauseFlyouts';

interface AuditRecord {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  reason: string | null;
  previous: string | null;
  current: string | null;
  targetUid: string | null;
}

const PAGE_SIZES = [10, 25, 100];
const ACTIONS = ['pause', 'resume', 'force-resume', 'window-create', 'window-delete', 'window-start', 'window-end', 'enroll', 'mode-change', 'revert', 'apply-vertical', 'apply-horizontal', 'unenroll'];

/** The audit log, newest first, a page at a time, filtered by target, actor and action (the API checks each). */
export function AuditLog({ initialTarget }: { initialTarget: string | null }) {
  const [filters, setFilters] = useState({ target: initialTarget ?? '', actor: '', action: '', limit: '25' });
  const [applied, setApplied] = useState(filters);
  const [tokens, setTokens] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState(0);
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const query = new URLSearchParams({ limit: applied.limit });
    if (applied.target.trim()) query.set('target', applied.target.trim());
    if (applied.actor.trim()) query.set('actor', applied.actor.trim());
    if (applied.action) query.set('action', applied.action);
    const token = tokens[page];
    if (token) query.set('continue', token);
    setError(null);
    call<{ records: AuditRecord[]; continue: string | null }>('GET', `audit?${query}`)
      .then((r) => {
        if (!live) return;
        setRecords(r.records);
        setNext(r.continue);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setRecords([]);
        setNext(null);
        setError(message(e));
      });
    return () => {
      live = false;
    };
  }, [applied, page, tokens]);

  const search = (e: Event) => {
    e.preventDefault();
    setTokens([null]);
    setPage(0);
    setApplied({ ...filters });
  };
  const older = () => {
    if (!next) return;
    setTokens([...tokens.slice(0, page + 1), next]);
    setPage(page + 1);
  };

  return (
    <section aria-labelledby="audit-heading">
      <div class="section-head">
        <h1 id="audit-heading">Audit log</h1>
        <p class="summary">Every change the app made or adopted, newest first: who, when, to what, why, before and after.</p>
      </div>
      <form class="filters" onSubmit={search} aria-label="Filter the audit log">
        <div>
          <label for="audit-target">Target (namespace/name)</label>
          <input id="audit-target" value={filters.target} onInput={(e) => setFilters({ ...filters, target: e.currentTarget.value })} placeholder="demo/web" />
        </div>
        <div>
          <label for="audit-actor">Actor</label>
          <input id="audit-actor" value={filters.actor} onInput={(e) => setFilters({ ...filters, actor: e.currentTarget.value })} placeholder="alice, api, system, configmap…" />
        </div>
        <div>
          <label for="audit-action">Action</label>
          <select id="audit-action" value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.currentTarget.value })}>
            <option value="">any</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="audit-limit">Per page</label>
          <select id="audit-limit" value={filters.limit} onChange={(e) => setFilters({ ...filters, limit: e.currentTarget.value })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          Filter
        </button>
      </form>
      {error && (
        <p class="error" role="alert" data-testid="audit-error">
          {error}
        </p>
      )}
      {records === null ? (
        <p aria-live="polite">Loading…</p>
      ) : records.length === 0 ? (
        !error && <p>No records match.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Audit records">
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">Reason</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td title={r.at}>{instant(r.at)}</td>
                  <td>{r.actor}</td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>{r.subject}</td>
                  <td>{r.reason ?? <span class="muted">–</span>}</td>
                  <td class="small">
                    {r.previous ?? '–'} → {r.current ?? '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Audit pages">
        <button type="button" disabled={page === 0} onClick={() => setPage(0)}>
          Newest
        </button>
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          ← Newer
        </button>
        <span data-testid="audit-page">Page {page + 1}</span>
        <button type="button" disabled={!next} onClick={older}>
          Older →
        </button>
      </nav>
    </section>
  );
}

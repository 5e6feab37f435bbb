import { useEffect, useState } from 'preact/hooks';
import { call, type MaintenanceWindow } from '../api';
import { instant } from '../format';
import { Flyout } from './Flyout';
import { message } from './PauseFlyouts';

const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
};

/** Maintenance windows: the list with what each does now, a form to create one (the API validates it), delete. */
export function Windows({ onChanged }: { onChanged: (text: string) => void }) {
  const [windows, setWindows] = useState<MaintenanceWindow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [form, setForm] = useState({ id: '', cron: '0 2 * * 6', duration: '2h', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', reason: '', enabled: true });
  const [busy, setBusy] = useState(false);

  const load = () =>
    call<{ windows: MaintenanceWindow[] }>('GET', 'system/windows')
      .then((r) => {
        setWindows(r.windows);
        setError(null);
      })
      .catch((e: unknown) => setError(message(e)));
  useEffect(() => {
    load();
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      const body: Record<string, unknown> = { cron: form.cron, duration: form.duration, timeZone: form.timeZone, reason: form.reason, enabled: form.enabled };
      if (form.id.trim()) body.id = form.id.trim();
      const created = await call<MaintenanceWindow>('POST', 'system/windows', body);
      onChanged(`Maintenance window ${created.id} created${created.active ? ' and open now: scaling is paused' : ''}.`);
      setForm({ ...form, id: '', reason: '' });
      await load();
    } catch (err) {
      setFormError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    try {
      await call<void>('DELETE', `system/windows/${encodeURIComponent(deleting)}`);
      onChanged(`Maintenance window ${deleting} deleted.`);
      setDeleting(null);
      await load();
    } catch (err) {
      setError(message(err));
      setDeleting(null);
    }
  };

  const field = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section aria-labelledby="windows-heading">
      <div class="section-head">
        <h1 id="windows-heading">Maintenance windows</h1>
        <p class="summary">A window pauses autonomous scaling at every occurrence of its cron expression, for its duration.</p>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {windows === null ? (
        <p aria-live="polite">Loading…</p>
      ) : windows.length === 0 ? (
        <p>No maintenance windows.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Maintenance windows">
          <table data-testid="windows-table">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Schedule</th>
                <th scope="col">Reason</th>
                <th scope="col">Now</th>
                <th scope="col">Next start</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {windows.map((w) => (
                <tr key={w.id} data-window={w.id}>
                  <th scope="row">{w.id}</th>
                  <td>
                    <code>{w.cron}</code> for {w.duration} ({w.timeZone}){w.enabled ? '' : ', disabled'}
                  </td>
                  <td>{w.reason}</td>
                  <td>
                    {w.skipped ? 'open, skipped by a forced resume' : w.holding ? <strong>open: pausing</strong> : w.active ? 'open' : 'closed'}
                    {w.active && w.activeEnd && <span class="muted small"> until {instant(w.activeEnd)}</span>}
                  </td>
                  <td>{instant(w.nextStart)}</td>
                  <td>
                    {w.createdBy}, {instant(w.createdAt)}
                  </td>
                  <td>
                    <button type="button" class="danger small" onClick={() => setDeleting(w.id)} aria-label={`Delete window ${w.id}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form class="window-form" onSubmit={create} aria-labelledby="window-form-heading">
        <h2 id="window-form-heading">New window</h2>
        <div class="grid">
          <label for="window-cron">Cron (minute hour day month weekday)</label>
          <input id="window-cron" required value={form.cron} onInput={field('cron')} />
          <label for="window-duration">Duration (90m, 2h, 1h30m, PT2H; at most 7 days)</label>
          <input id="window-duration" required value={form.duration} onInput={field('duration')} />
          <label for="window-zone">Time zone</label>
          <input id="window-zone" required list="time-zones" value={form.timeZone} onInput={field('timeZone')} />
          <datalist id="time-zones">
            {zones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <label for="window-reason">Reason</label>
          <input id="window-reason" required maxLength={500} value={form.reason} onInput={field('reason')} />
          <label for="window-id">Id (optional: lower-case letters, digits, dashes)</label>
          <input id="window-id" value={form.id} onInput={field('id')} />
          <span />
          <div class="check">
            <input id="window-enabled" type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })} />
            <label for="window-enabled">Enabled</label>
          </div>
        </div>
        {formError && (
          <p class="error" role="alert" data-testid="window-error">
            {formError}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Create window
          </button>
        </div>
      </form>

      <Flyout id="window-delete" kind="dialog" title={`Delete window ${deleting ?? ''}`} open={deleting !== null} onClose={() => setDeleting(null)}>
        <div class="panel-body">
          <p>Deleting the window removes its holder (if it is pausing now) and never any other holder.</p>
          <div class="actions">
            <button type="button" onClick={() => setDeleting(null)}>
              Cancel
            </button>
            <button type="button" class="danger" onClick={remove}>
              Delete window
            </button>
          </div>
        </div>
      </Flyout>
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, type PauseChangeResult, type PauseStatus } from '../api';
import { Flyout } from './Flyout';
import { HolderList } from './Banner';

interface Props {
  open: boolean;
  onClose: () => void;
  onChanged: (status: PauseStatus, message: string) => void;
}

/** Pause autonomous scaling: the fresh preview of affected targets, a reason, and a confirmation. */
export function PauseFlyout({ open, onClose, onChanged }: Props) {
  const [preview, setPreview] = useState<PauseStatus | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setPreview(null);
    setReason('');
    setError(null);
    call<PauseStatus>('GET', 'system/pause')
      .then(setPreview)
      .catch((e: unknown) => setError(message(e)));
  }, [open]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await call<PauseChangeResult>('POST', 'system/pause', { reason });
      onChanged(result.status, result.changed ? 'Autonomous scaling is paused.' : 'Scaling was already paused by hand; nothing changed.');
      onClose();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const affected = preview?.affectedTargets;
  return (
    <Flyout id="pause-flyout" title="Pause autonomous scaling" open={open} onClose={onClose}>
      <form class="panel-body" onSubmit={submit}>
        <p>
          Pausing halts only the <strong>apply</strong> step. Collection, forecasting and suggestions go on, and every suggestion
          made while paused is recorded with the action it would have taken. Nothing is restarted: running pods keep the
          requests they have, and pods created while paused get the controller spec.
        </p>
        {affected === undefined && !error && <p aria-live="polite">Counting the affected targets…</p>}
        {affected && affected.count !== null && (
          <section aria-labelledby="affected-heading">
            <h3 id="affected-heading">
              <span class="count" data-testid="affected-count">{affected.count}</span>{' '}
              autonomous {affected.count === 1 ? 'target' : 'targets'} will stop being right-sized
            </h3>
            {affected.names.length > 0 && (
              <ul class="affected" data-testid="affected-list">
                {affected.names.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
          </section>
        )}
        {affected?.error && (
          <p class="warning" role="status">
            The affected targets could not be listed ({affected.error}). Pausing still works.
          </p>
        )}
        {preview?.paused && (
          <p class="note">
            Scaling is already paused by <HolderList holders={preview.holders} />.
          </p>
        )}
        <label for="pause-reason">Reason (required, recorded in the audit log)</label>
        <textarea id="pause-reason" autoFocus required maxLength={500} rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy || reason.trim() === ''} data-testid="confirm-pause">
            Pause autonomous scaling
          </button>
        </div>
      </form>
    </Flyout>
  );
}

/** Resume autonomous scaling, optionally with force, which also ends the maintenance windows open now. */
export function ResumeFlyout({ open, onClose, onChanged, status }: Props & { status: PauseStatus | null }) {
  const [reason, setReason] = useState('');
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setReason('');
    setForce(false);
    setError(null);
  }, [open]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: { force: boolean; reason?: string } = { force };
      if (reason.trim()) body.reason = reason.trim();
      const result = await call<PauseChangeResult>('POST', 'system/resume', body);
      const after = result.status;
      const text = after.paused
        ? `Resumed what could be resumed; scaling is still paused by ${after.holders.map((h) => h.id).join(', ')}.`
        : 'Autonomous scaling resumed: running pods are being brought to the latest suggestions.';
      onChanged(after, text);
      onClose();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flyout id="resume-flyout" title="Resume autonomous scaling" open={open} onClose={onClose}>
      <form class="panel-body" onSubmit={submit}>
        {status?.paused ? (
          <p>
            Scaling is paused by <HolderList holders={status.holders} />.
          </p>
        ) : (
          <p>Scaling is not paused.</p>
        )}
        <p>
          Resuming clears the <code>manual</code> and <code>configmap</code> holders and reconciles at once: running pods whose
          requests differ from the latest suggestion are resized without waiting for the next tick. Maintenance windows and
          the app setting keep their holders, so scaling may stay paused.
        </p>
        <div class="check">
          <input id="resume-force" type="checkbox" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} aria-describedby="resume-force-help" />
          <label for="resume-force">Force: also end the maintenance windows open now</label>
        </div>
        <p id="resume-force-help" class="help">
          With force, every holder the API can clear goes: a window open now is skipped for the rest of this occurrence and
          pauses again at its next one. The <code>app-setting</code> holder stays while <code>Thoras__ScalingPaused</code> is
          true; only the portal setting turns it off.
        </p>
        <label for="resume-reason">Reason (optional, recorded in the audit log)</label>
        <textarea id="resume-reason" maxLength={500} rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="confirm-resume">
            {force ? 'Force resume' : 'Resume autonomous scaling'}
          </button>
        </div>
      </form>
    </Flyout>
  );
}

export function message(e: unknown): string {
  if (e instanceof ApiError) return `${e.title}: ${e.detail}`;
  if (e instanceof Error) return e.message;
  return String(e);
}

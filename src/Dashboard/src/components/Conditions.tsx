import type { Condition } from '../api';

/** A condition as a badge: its status and reason, its message on hover and for screen readers. */
export function ConditionBadge({ type, condition }: { type: string; condition: Condition | null }) {
  if (!condition) return <span class="badge unknown">not yet</span>;
  // Not scaling because of a choice (recommendation mode) or a pause is no fault: only real problems are red.
  const chosen = condition.reason === 'NotAutonomous' || condition.reason === 'Paused';
  const tone = condition.status === 'True' ? 'ok' : chosen ? (condition.reason === 'Paused' ? 'held' : 'unknown') : condition.status === 'False' ? 'off' : 'unknown';
  return (
    <span class={`badge ${tone}`} title={condition.message}>
      <span class="visually-hidden">{type} </span>
      {condition.status === 'True' ? '✓' : chosen ? '–' : condition.status === 'False' ? '✗' : '?'} {condition.reason}
      <span class="visually-hidden">: {condition.message}</span>
    </span>
  );
}

export function ModeBadge({ direction, mode }: { direction: string; mode: string | null }) {
  if (!mode) return null;
  return (
    <span class={`mode ${mode}`}>
      <span class="dir">{direction}</span> {mode}
    </span>
  );
}

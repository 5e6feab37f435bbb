import type { Holder, PauseStatus } from '../api';

const describe = (h: Holder): string => {
  if (h.id === 'manual') return `manual (${h.actor}${h.reason ? `: ${h.reason}` : ''})`;
  if (h.id.startsWith('window:')) return `maintenance window ${h.id.slice(7)}${h.reason ? ` (${h.reason})` : ''}`;
  if (h.id === 'configmap') return 'the ConfigMap (scaling-paused: true)';
  if (h.id === 'app-setting') return 'the app setting Thoras__ScalingPaused';
  return h.id;
};

/** The holders of a pause, in words. */
export function HolderList({ holders }: { holders: Holder[] }) {
  return (
    <span class="holders">
      {holders.map((h, i) => (
        <span key={h.id}>
          {i > 0 && (i === holders.length - 1 ? ' and ' : ', ')}
          <span class="holder" data-holder={h.id}>
            {describe(h)}
          </span>
        </span>
      ))}
    </span>
  );
}

/** The persistent amber banner while scaling is paused, naming who holds it and leading to the resume flyout. */
export function PauseBanner({ status, onResume }: { status: PauseStatus | null; onResume: () => void }) {
  if (!status?.paused) return null;
  const holders: Holder[] =
    status.holders.length > 0 ? status.holders : [{ id: 'app-setting', actor: 'app-setting', reason: null, since: '' }];
  return (
    <div class="banner" role="status" data-testid="pause-banner">
      <svg class="banner-icon" viewBox="0 0 20 20" width="22" height="22" aria-hidden="true" focusable="false">
        <circle cx="10" cy="10" r="9" fill="none" stroke="currentColor" stroke-width="2" />
        <rect x="6.5" y="5.5" width="2.5" height="9" fill="currentColor" />
        <rect x="11" y="5.5" width="2.5" height="9" fill="currentColor" />
      </svg>
      <div>
        <strong>Autonomous scaling actions are paused. Targets will not be right-sized.</strong>{' '}
        <span>
          Held by <HolderList holders={holders} />.
        </span>
      </div>
      <a
        href="#resume"
        class="banner-action"
        onClick={(e) => {
          e.preventDefault();
          onResume();
        }}
      >
        Resume autonomous scaling
      </a>
    </div>
  );
}

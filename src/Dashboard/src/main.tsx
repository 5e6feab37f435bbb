import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, functionKey, onSignInRequired, requireAppServiceSignIn, SignInRequired, type Fleet, type PauseStatus } from './api';
import { AuditLog } from './components/AuditLog';
import { PauseBanner } from './components/Banner';
import { FleetTable } from './components/FleetTable';
import { Menu } from './components/Menu';
import { message, PauseFlyout, ResumeFlyout } from './components/PauseFlyouts';
import { SignIn } from './components/SignIn';
import { TargetPage } from './components/TargetPage';
import { Windows } from './components/Windows';
import './styles.css';

type Route =
  | { view: 'fleet' }
  | { view: 'target'; namespace: string; name: string }
  | { view: 'windows' }
  | { view: 'audit'; target: string | null };

function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'targets' && parts.length === 3) return { view: 'target', namespace: parts[1]!, name: parts[2]! };
  if (parts[0] === 'windows') return { view: 'windows' };
  if (parts[0] === 'audit') return { view: 'audit', target: parts.length === 3 ? `${parts[1]}/${parts[2]}` : null };
  return { view: 'fleet' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

const STATUS_EVERY_MS = 5000;
const FLEET_EVERY_MS = 15000;

function App() {
  const [signIn, setSignIn] = useState<'missing' | 'rejected' | null>(functionKey.get() ? null : 'missing');
  const [status, setStatus] = useState<PauseStatus | null>(null);
  const [fleet, setFleet] = useState<Fleet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [flyout, setFlyout] = useState<'pause' | 'resume' | null>(null);
  const route = useRoute();

  useEffect(() => onSignInRequired((reason) => setSignIn(reason)), []);

  const refresh = useCallback(async (what: 'status' | 'all') => {
    try {
      const next = await call<PauseStatus>('GET', 'system/pause');
      setStatus(next);
      if (what === 'all') setFleet(await call<Fleet>('GET', 'fleet'));
      setError(null);
    } catch (e) {
      if (!(e instanceof SignInRequired)) setError(message(e));
    }
  }, []);

  useEffect(() => {
    if (signIn) return undefined;
    refresh('all');
    const status = window.setInterval(() => refresh('status'), STATUS_EVERY_MS);
    const all = window.setInterval(() => refresh('all'), FLEET_EVERY_MS);
    return () => {
      window.clearInterval(status);
      window.clearInterval(all);
    };
  }, [signIn, refresh]);

  if (signIn) return <SignIn reason={signIn} onSignedIn={() => setSignIn(null)} />;

  const announce = (text: string) => {
    setNotice(text);
    refresh('all');
  };
  const paused = status?.paused ?? false;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          Thoras
        </a>
        <span class="cluster">
          Cluster <strong data-testid="cluster-name">{fleet?.cluster ?? '…'}</strong>
        </span>
        <span class={`state ${paused ? 'paused' : 'running'}`} data-testid="pause-state">
          {status === null ? '…' : paused ? 'Scaling paused' : 'Scaling active'}
        </span>
        <nav aria-label="Views">
          <a href="#/" aria-current={route.view === 'fleet' || route.view === 'target' ? 'page' : undefined}>
            Fleet
          </a>
          <a href="#/windows" aria-current={route.view === 'windows' ? 'page' : undefined}>
            Maintenance windows
          </a>
          <a href="#/audit" aria-current={route.view === 'audit' ? 'page' : undefined}>
            Audit log
          </a>
        </nav>
        <Menu
          id="manage-cluster"
          label="Manage Cluster"
          items={[
            { id: 'menu-pause', label: 'Pause autonomous scaling', onSelect: () => setFlyout('pause') },
            { id: 'menu-resume', label: 'Resume autonomous scaling', onSelect: () => setFlyout('resume') },
          ]}
        />
        <span class="who">
          {fleet && fleet.caller !== 'api' ? <>Signed in as <strong>{fleet.caller}</strong></> : 'Signed in with a function key'}
        </span>
        <button
          type="button"
          class="link"
          onClick={() => {
            functionKey.clear();
            setSignIn('missing');
          }}
        >
          Sign out
        </button>
      </header>
      <PauseBanner status={status} onResume={() => setFlyout('resume')} />
      <main id="main" tabIndex={-1}>
        <div class="notices" aria-live="polite">
          {notice && (
            <p class="notice" data-testid="notice">
              {notice}{' '}
              <button type="button" class="link" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </p>
          )}
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {route.view === 'fleet' && (fleet ? <FleetTable fleet={fleet} /> : <p aria-live="polite">Loading the fleet…</p>)}
        {route.view === 'target' && (
          <TargetPage
            key={`${route.namespace}/${route.name}`}
            namespace={route.namespace}
            name={route.name}
            currency={fleet?.prices.currency ?? 'USD'}
            onNotice={announce}
            onUnenrolled={(text) => {
              announce(text);
              window.location.hash = '#/';
            }}
          />
        )}
        {route.view === 'windows' && <Windows onChanged={announce} />}
        {route.view === 'audit' && <AuditLog key={route.target ?? ''} initialTarget={route.target} />}
      </main>
      <PauseFlyout open={flyout === 'pause'} onClose={() => setFlyout(null)} onChanged={(s, text) => { setStatus(s); announce(text); }} />
      <ResumeFlyout open={flyout === 'resume'} status={status} onClose={() => setFlyout(null)} onChanged={(s, text) => { setStatus(s); announce(text); }} />
    </>
  );
}

requireAppServiceSignIn().then((leaving) => {
  if (!leaving) render(<App />, document.getElementById('app')!);
});

// The app's HTTP API as the dashboard uses it. The function key is kept in sessionStorage only: it is asked for once
// per browser session and is gone when the tab closes. Every call sends it as x-functions-key; a 401 clears it and
// asks again. Behind App Service authentication the session cookie also travels (same origin), which names the
// signed-in user as the actor of every change.

const KEY_ITEM = 'thoras.functionKey';

/** The app's /api/ folder: the dashboard lives at /api/dashboard/. */
export const apiBase = new URL('../', window.location.href);

/** A refused or failed call, with the RFC 9457 problem the app answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(`${title}: ${detail}`);
  }
}

/** The key is missing or was not accepted. */
export class SignInRequired extends Error {
  constructor(readonly reason: 'missing' | 'rejected') {
    super(reason === 'missing' ? 'A function key is needed.' : 'The function key was not accepted.');
  }
}

export const functionKey = {
  get: (): string | null => sessionStorage.getItem(KEY_ITEM),
  set: (key: string): void => sessionStorage.setItem(KEY_ITEM, key.trim()),
  clear: (): void => sessionStorage.removeItem(KEY_ITEM),
};

type Listener = (reason: 'missing' | 'rejected') => void;
const signInListeners = new Set<Listener>();

/** Called whenever a call finds the key missing or rejected, so the app can show its sign-in form. */
export function onSignInRequired(listener: Listener): () => void {
  signInListeners.add(listener);
  return () => signInListeners.delete(listener);
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const key = functionKey.get();
  if (!key) {
    signInListeners.forEach((l) => l('missing'));
    throw new SignInRequired('missing');
  }

  const headers: Record<string, string> = { 'x-functions-key': key, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(new URL(path, apiBase), {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'App unreachable', 'The app did not answer. Check that it is running, then try again.');
  }

  // App Service authentication redirects to the sign-in page once its session has expired.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new ApiError(response.status, 'Signed out', 'Your sign-in session has expired: reload the page to sign in again.');
  }

  if (response.status === 401) {
    functionKey.clear();
    signInListeners.forEach((l) => l('rejected'));
    throw new SignInRequired('rejected');
  }

  const text = await response.text();
  if (!response.ok) {
    let title = `HTTP ${response.status}`;
    let detail = text || response.statusText;
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string };
      title = problem.title ?? title;
      detail = problem.detail ?? detail;
    } catch {
      // Not a problem document: the status line says enough.
    }
    throw new ApiError(response.status, title, detail);
  }

  return (text ? JSON.parse(text) : undefined) as T;
}

// ---- The shapes the API answers with (see the README's API table and docs/dashboard.md). ----

export interface Holder {
  id: string;
  actor: string;
  reason: string | null;
  since: string;
}

export interface PauseStatus {
  paused: boolean;
  revision: number;
  holders: Holder[];
  changedBy: string | null;
  changedAt: string | null;
  changeReason: string | null;
  appSettingPaused: boolean;
  affectedTargets: { count: number | null; names: string[]; error: string | null };
}

export interface PauseChangeResult {
  changed: boolean;
  status: PauseStatus;
  mirrorError: string | null;
  reconcileErrors: string[];
}

export interface Resources {
  cpu: string | null;
  memory: string | null;
  cpuCores: number | null;
  memoryBytes: number | null;
}

export interface Condition {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface ContainerRow {
  name: string;
  spec: Resources | null;
  running: Resources | null;
  runningUniform: boolean;
  suggested: Resources | null;
}

export interface FleetRow {
  namespace: string;
  name: string;
  uid: string;
  workload: string | null;
  workloadFound: boolean;
  verticalMode: string | null;
  horizontalMode: string | null;
  unenrolling: boolean;
  problems: string[] | null;
  ready: Condition | null;
  scaling: Condition | null;
  containers: ContainerRow[];
  replicas: {
    desired: number | null;
    running: number;
    hpa: string | null;
    minReplicas: number | null;
    maxReplicas: number | null;
    originalMinReplicas: number | null;
    suggested: number | null;
  } | null;
  latestSuggestion: { uid: string | null; start: string; end: string; hasEnoughDataToScale: boolean } | null;
  lastApplied: { vertical: string | null; horizontal: string | null; verticalSuggestionUid: string | null; horizontalSuggestionUid: string | null };
  estimate: { wasteCores: number; wasteGiB: number; savingCores: number; savingGiB: number; wastePerMonth: number; savingPerMonth: number } | null;
  error: string | null;
}

export interface Prices {
  coreHour: number;
  giBHour: number;
  currency: string;
  hoursPerMonth: number;
}

export interface Fleet {
  cluster: string;
  caller: string;
  generatedAt: string;
  prices: Prices;
  totals: { targets: number; autonomous: number; wastePerMonth: number; savingPerMonth: number };
  targets: FleetRow[];
}

export interface UsageBlock {
  start: string;
  max: number;
  mean: number;
  count: number;
}

export interface UsageHistory {
  target: string;
  uid: string;
  from: string;
  to: string;
  blockSeconds: number;
  series: { name: string; container: string | null; resource: string; unit: string; blocks: UsageBlock[] }[];
}

export interface SuggestionRecord {
  publishedAt: string;
  suggestion: {
    suggestionUID: string | null;
    start: string;
    end: string;
    hasEnoughDataToScale: boolean;
    suggestedReplicas?: number | null;
    resourceRecommendations?: { containerName: string; requests?: { cpu?: string; memory?: string } | null }[] | null;
  };
  expectedToApply: boolean;
  reason: string;
}

export interface SuggestionHistory {
  target: string;
  uid: string;
  suggestions: SuggestionRecord[];
}

export interface ModeChangeResult {
  direction: string;
  previousMode: string;
  mode: string;
  changed: boolean;
  revert: { restarted: boolean; restartedWorkload: string | null; summary: string; notes: string[] };
}

export interface UnenrollResult {
  revert: { summary: string };
  purgedItems: number;
  finalizerRemoved: boolean;
}

export interface MaintenanceWindow {
  id: string;
  cron: string;
  duration: string;
  timeZone: string;
  reason: string;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  active: boolean;
  activeStart: string | null;
  activeEnd: string | null;
  nextStart: string | null;
  holding: boolean;
  skipped: boolean;
}

/** A suggestion held back by a pause: what would have been applied. */
export const isPausedRecord = (r: SuggestionRecord): boolean => !r.expectedToApply && r.reason.startsWith('paused');

export const targetPath = (namespace: string, name: string): string =>
  `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

/**
 * Behind App Service Authentication (the Bicep option) the platform answers /.auth/me: 401 means this browser has not
 * signed in yet, so it is sent to the Entra sign-in page and back. Anywhere else (thoras serve) the route does not
 * exist and nothing happens. Returns true while the browser is being sent away.
 */
export async function requireAppServiceSignIn(): Promise<boolean> {
  try {
    const me = await fetch(new URL('/.auth/me', window.location.href), { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' });
    if (me.status !== 401) return false;
  } catch {
    return false;
  }
  const back = window.location.pathname + window.location.hash;
  window.location.assign(`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`);
  return true;
}

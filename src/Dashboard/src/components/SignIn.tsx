import { useState } from 'preact/hooks';
import { call, functionKey, SignInRequired } from '../api';
import { message } from './PauseFlyouts';

/** Asks for the function key once per browser session and checks it before letting the dashboard load. */
export function SignIn({ reason, onSignedIn }: { reason: 'missing' | 'rejected'; onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(reason === 'rejected' ? 'That function key was not accepted. Enter a valid one.' : null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    functionKey.set(key);
    try {
      await call('GET', 'system/pause');
      onSignedIn();
    } catch (err) {
      setError(err instanceof SignInRequired ? 'That function key was not accepted. Check it and try again.' : message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <form onSubmit={submit} aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">Sign in to the Thoras dashboard</h1>
        <p>
          Every change the dashboard makes goes through the app's API, which needs a <strong>function key</strong>. It is kept for
          this browser tab only and forgotten when the tab closes.
        </p>
        <ul>
          <li>
            With <code>./build.sh run</code>: the key is printed at start and kept in <code>.thoras/function-key</code>.
          </li>
          <li>In Azure: the Function App's App keys (portal), or <code>az functionapp keys list</code>.</li>
        </ul>
        <label for="function-key">Function key</label>
        <input id="function-key" type="password" autoComplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        {error && (
          <p class="error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || key.trim() === ''}>
            Sign in
          </button>
        </div>
      </form>
    </main>
  );
}

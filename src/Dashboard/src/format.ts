// How numbers and times read in the dashboard: CPU in cores or millicores, memory in binary units, money in the
// configured currency, instants in the browser's own time zone.

export function cores(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value < 1) return `${Math.round(value * 1000)}m`;
  return `${Number(value.toFixed(2))}`;
}

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let amount = value;
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) {
    amount /= 1024;
    unit++;
  }
  return `${Number(amount.toFixed(amount >= 100 ? 0 : 1))} ${units[unit]}`;
}

export function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
  } catch {
    // Not an ISO 4217 code: show the label as written.
    return `${value.toFixed(2)} ${currency}`;
  }
}

export function price(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 6 }).format(value);
  } catch {
    return `${value} ${currency}`;
  }
}

export function instant(value: string | null | undefined): string {
  if (!value) return '–';
  return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** How long before <paramref name="now"/> an instant was, both read on the app's clock. */
export function ago(value: string | null | undefined, now: string | Date): string {
  if (!value) return 'never';
  const seconds = Math.max(0, (new Date(now).getTime() - new Date(value).getTime()) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** Kubernetes quantities as the suggestion history writes them (250m, 1.5, 512Mi, 2G), in base units. */
export function quantity(text: string | null | undefined): number | null {
  if (!text) return null;
  const match = /^([0-9.]+(?:[eE][-+]?[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|n|u)?$/.exec(text.trim());
  if (!match) return null;
  const factors: Record<string, number> = {
    n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  return Number(match[1]) * (match[2] ? factors[match[2]]! : 1);
}

import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface MenuItem {
  id: string;
  label: string;
  onSelect: () => void;
  disabled?: boolean;
}

/**
 * A menu button (the WAI-ARIA pattern): Enter, Space or Arrow Down opens it on the first item, the arrows, Home and
 * End move, Enter or Space chooses, Escape or Tab closes it and gives focus back to the button.
 */
export function Menu({ id, label, items }: { id: string; label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);

  const focusItem = (index: number) => {
    const entries = list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])');
    if (!entries || entries.length === 0) return;
    entries[(index + entries.length) % entries.length]!.focus();
  };
  const current = () => {
    const entries = Array.from(list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []);
    return entries.indexOf(document.activeElement as HTMLElement);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  // A layout effect, not an effect: the first item must hold focus before the next key arrives, or a quick
  // "Arrow Down, Arrow Down, Enter" lands on the button twice and chooses the first item instead of the second.
  useLayoutEffect(() => {
    if (!open) return undefined;
    focusItem(0);
    const outside = (e: MouseEvent) => {
      if (!list.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const choose = (item: MenuItem) => {
    if (item.disabled) return;
    close(true);
    item.onSelect();
  };

  return (
    <div class="menu">
      <button
        ref={button}
        type="button"
        id={`${id}-button`}
        class="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <ul
        ref={list}
        id={`${id}-list`}
        role="menu"
        aria-labelledby={`${id}-button`}
        hidden={!open}
        onKeyDown={(e) => {
          const keys: Record<string, () => void> = {
            ArrowDown: () => focusItem(current() + 1),
            ArrowUp: () => focusItem(current() - 1),
            Home: () => focusItem(0),
            End: () => focusItem(-1),
            Escape: () => close(true),
            Tab: () => close(false),
          };
          const action = keys[e.key];
          if (action) {
            if (e.key !== 'Tab') e.preventDefault();
            action();
          }
        }}
      >
        {items.map((item) => (
          <li
            key={item.id}
            id={item.id}
            role="menuitem"
            tabIndex={-1}
            aria-disabled={item.disabled ? 'true' : undefined}
            onClick={() => choose(item)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                choose(item);
              }
            }}
          >
            {item.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

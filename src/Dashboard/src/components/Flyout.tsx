import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

interface Props {
  id: string;
  title: string;
  open: boolean;
  onClose: () => void;
  children: ComponentChildren;
  kind?: 'flyout' | 'dialog';
}

/**
 * A modal panel on the native <dialog>: the browser keeps focus inside it, Escape closes it, and focus returns to
 * what opened it. Flyouts slide in from the right; dialogs sit in the middle.
 */
export function Flyout({ id, title, open, onClose, children, kind = 'flyout' }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  // Opened in a layout effect so the dialog holds focus before the next key arrives (keys typed straight after
  // choosing a menu item belong to the flyout, not to the page behind it).
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const closed = () => {
    onClose();
    if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
  };

  return (
    <dialog ref={ref} id={id} class={kind} aria-labelledby={`${id}-title`} onClose={closed}>
      {open && (
        <div class="panel">
          <header class="panel-head">
            <h2 id={`${id}-title`}>{title}</h2>
            <button type="button" class="icon" aria-label="Close" onClick={() => ref.current?.close()}>
              ×
            </button>
          </header>
          {children}
        </div>
      )}
    </dialog>
  );
}

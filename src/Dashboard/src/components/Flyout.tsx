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
 *
 * The `open` prop is the only truth. Every way of closing (Escape, ×, a Cancel button, a confirm) sets the state and
 * closes the native dialog in the same turn. The dialog's own `close` event comes a task later, and keys typed in
 * between (Escape then Enter straight away on the menu) would otherwise reach a dialog that is closed on screen but
 * still open in the state, so choosing it again did nothing and the late event then shut what was reopened.
 */
export function Flyout({ id, title, open, onClose, children, kind = 'flyout' }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  const restoreFocus = () => {
    if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
  };

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
      restoreFocus();
    }
  }, [open]);

  const dismiss = () => {
    ref.current?.close();
    restoreFocus();
    onClose();
  };

  // A close this component did not start (a form with method="dialog", or the browser's own): follow it, unless
  // the state has moved on (closed already, or opened again since).
  const closed = () => {
    if (open && !ref.current?.open) {
      restoreFocus();
      onClose();
    }
  };

  return (
    <dialog
      ref={ref}
      id={id}
      class={kind}
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        dismiss();
      }}
      onClose={closed}
    >
      {open && (
        <div class="panel">
          <header class="panel-head">
            <h2 id={`${id}-title`}>{title}</h2>
            <button type="button" class="icon" aria-label="Close" onClick={dismiss}>
              ×
            </button>
          </header>
          {children}
        </div>
      )}
    </dialog>
  );
}

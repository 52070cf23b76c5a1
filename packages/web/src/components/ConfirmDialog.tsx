import { useEffect, useId, useRef, useState } from "react";
import type { ReactNode } from "react";

/**
 * A modal question before something that cannot be taken back: a title, what will happen, Cancel
 * and the action. Open while `open` is true; Escape, Cancel or the action close it, and the focus
 * starts on Cancel.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The action's button in the danger colour; otherwise it is the primary action. */
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { open } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className="card confirm-dialog" onClose={props.onClose}>
      {open && (
        <form
          method="dialog"
          className="stack"
          onSubmit={(e) => {
            if (e.nativeEvent.submitter?.getAttribute("value") === "confirm") props.onConfirm();
          }}
        >
          <h2 id={titleId}>{props.title}</h2>
          <div>{props.children}</div>
          <div className="actions">
            <button type="submit" value="cancel" autoFocus>
              Cancel
            </button>
            <button type="submit" value="confirm" className={props.danger ? "danger" : "primary"}>
              {props.confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

/** A danger button that asks before it acts, with a ConfirmDialog. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  confirmLabel: string;
  children: ReactNode;
  onConfirm: () => void;
  disabled?: boolean;
  /** The accessible name of the button when the label alone is ambiguous in a list. */
  ariaLabel?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={props.disabled}
        aria-label={props.ariaLabel}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
      <ConfirmDialog
        open={open}
        title={props.title}
        confirmLabel={props.confirmLabel}
        danger
        onConfirm={props.onConfirm}
        onClose={() => setOpen(false)}
      >
        {props.children}
      </ConfirmDialog>
    </>
  );
}

import { useEffect, useId, useRef } from "react";
import type { ReactNode } from "react";

/**
 * A modal question before something that cannot be taken back. Open while `open` is true;
 * Escape, Cancel or the confirm button close it (the focus starts on Cancel).
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
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
    <dialog ref={ref} aria-labelledby={titleId} className="card" onClose={props.onClose}>
      {open && (
        <form
          method="dialog"
          onSubmit={(e) => {
            if (e.nativeEvent.submitter?.getAttribute("value") === "confirm") props.onConfirm();
          }}
        >
          <h2 id={titleId}>{props.title}</h2>
          {props.children}
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

import { useId, useRef, useState } from "react";
import { copyText } from "./clipboard";

/**
 * A value (a secret, a command) in a read-only box with a Copy button. Where the clipboard is not
 * available (a plain-HTTP portal domain), the text is selected for the reader to copy instead.
 */
export function CopyBox({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<"yes" | "select" | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  async function copy() {
    setCopied((await copyText(value, input.current)) ? "yes" : "select");
  }

  return (
    <div className="copy-box">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        ref={input}
        id={id}
        readOnly
        value={value}
        className="mono"
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" onClick={() => void copy()}>
        Copy
      </button>
      <span role="status" className="muted copy-box-status">
        {copied === "yes"
          ? "Copied."
          : copied === "select"
            ? "Press Ctrl+C (⌘C) to copy the selected text."
            : ""}
      </span>
    </div>
  );
}

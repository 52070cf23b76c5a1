/**
 * Copies text to the clipboard. The Clipboard API needs a secure context (HTTPS or localhost),
 * and a reseller's portal domain may be plain HTTP; elsewhere the text of `select` (an input, or
 * any element) is selected and copied the old way. False when neither worked, and the text is
 * left selected for the user to copy.
 */
export async function copyText(text: string, select?: HTMLElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, or the page lost focus): fall back to selecting the text.
  }
  if (!select) return false;
  if (select instanceof HTMLInputElement || select instanceof HTMLTextAreaElement) {
    select.focus();
    select.select();
  } else {
    const range = document.createRange();
    range.selectNodeContents(select);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

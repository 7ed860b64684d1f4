export type ActionResult = { readonly kind: 'done' | 'error'; readonly text: string } | null;

/**
 * The outcome of a section's last action, announced to screen readers. Both regions stay in
 * the document (a live region inserted together with its text is often not read); `errorId`
 * lets a field point at its error with aria-describedby.
 */
export function OptionsResult({ result, errorId }: { result: ActionResult; errorId?: string }) {
  return (
    <div class="result">
      <p role="status" class="result-done">
        {result?.kind === 'done' ? result.text : ''}
      </p>
      <p role="alert" class="result-error" id={errorId}>
        {result?.kind === 'error' ? result.text : ''}
      </p>
    </div>
  );
}

export interface PopupNotice {
  readonly kind: 'done' | 'error';
  readonly text: string;
}

/**
 * The result of the last action. Both live regions are always in the document (a region that
 * appears together with its text is often not announced); only their text changes.
 */
export function PopupStatus({ notice }: { notice: PopupNotice | null }) {
  return (
    <div class="popup-status">
      <p role="status" class="notice done" data-testid="action-result">
        {notice?.kind === 'done' ? notice.text : ''}
      </p>
      <p role="alert" class="notice error" data-testid="action-error">
        {notice?.kind === 'error' ? notice.text : ''}
      </p>
    </div>
  );
}

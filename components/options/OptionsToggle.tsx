export interface OptionsToggleProps {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  /** Set by the organisation's policy: shown, not changeable, with this note. */
  readonly managedNote?: string;
}

/** A labelled checkbox with its explanation tied to it (aria-describedby). */
export function OptionsToggle({ id, label, help, checked, onChange, managedNote }: OptionsToggleProps) {
  return (
    <div class="toggle">
      <input id={id} type="checkbox" checked={checked} disabled={managedNote !== undefined} aria-describedby={`${id}-help`} onChange={(event) => onChange(event.currentTarget.checked)} />
      <div>
        <label for={id}>{label}</label>
        {managedNote !== undefined && <span class="managed-tag">{managedNote}</span>}
        <p id={`${id}-help`} class="help">
          {help}
        </p>
      </div>
    </div>
  );
}

export interface OptionsToggleProps {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** A labelled checkbox with its explanation tied to it (aria-describedby). */
export function OptionsToggle({ id, label, help, checked, onChange }: OptionsToggleProps) {
  return (
    <div class="toggle">
      <input id={id} type="checkbox" checked={checked} aria-describedby={`${id}-help`} onChange={(event) => onChange(event.currentTarget.checked)} />
      <div>
        <label for={id}>{label}</label>
        <p id={`${id}-help`} class="help">
          {help}
        </p>
      </div>
    </div>
  );
}

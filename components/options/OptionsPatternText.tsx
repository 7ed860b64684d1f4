import { patternUnicode } from '../common/pattern-display.ts';

/** A host pattern as stored (ASCII), with its Unicode form first when they differ, so look-alikes show. */
export function OptionsPatternText({ pattern }: { pattern: string }) {
  const unicode = patternUnicode(pattern);
  return (
    <span class="pattern">
      {unicode ? (
        <>
          {unicode} <span class="muted">({pattern})</span>
        </>
      ) : (
        pattern
      )}
    </span>
  );
}

import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../../lib/core/settings.ts';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { OptionsToggle } from './OptionsToggle.tsx';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

type ToggleLabel = 'options_settingBlockRequests' | 'options_settingPasteGuard' | 'options_settingUnknownNotice';
type ToggleHelp = `${ToggleLabel}Help`;

const TOGGLES: ReadonlyArray<{ key: keyof Settings; label: ToggleLabel; help: ToggleHelp }> = [
  { key: 'blockAiRequestsToBlocked', label: 'options_settingBlockRequests', help: 'options_settingBlockRequestsHelp' },
  { key: 'pasteGuard', label: 'options_settingPasteGuard', help: 'options_settingPasteGuardHelp' },
  { key: 'unknownPageNotice', label: 'options_settingUnknownNotice', help: 'options_settingUnknownNoticeHelp' },
];

/** (c) Settings: each toggle saves at once; the page shows what the background stored. */
export function OptionsSettings() {
  const t = useTranslate();
  const request = useRequest();
  const [settings, setSettings] = useState<(Settings & { managed?: (keyof Settings)[] }) | null>(null);
  const [result, setResult] = useState<ActionResult>(null);

  useEffect(() => {
    void request({ type: 'settings/get' }).then((answer) =>
      answer.ok ? setSettings(answer.data) : setResult({ kind: 'error', text: t('options_loadFailed', { error: answer.error }) }),
    );
  }, [request, t]);

  const change = async (key: keyof Settings, value: boolean, label: ToggleLabel) => {
    const answer = await request({ type: 'settings/set', changes: { [key]: value } });
    if (answer.ok) {
      setSettings(answer.data);
      setResult({ kind: 'done', text: t(answer.data[key] ? 'options_settingOn' : 'options_settingOff', { setting: t(label) }) });
    } else {
      // Show what is stored, not what was asked for.
      setSettings((previous) => (previous ? { ...previous } : previous));
      setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    }
  };

  return (
    <section class="options-section" aria-labelledby="options-settings-title">
      <h2 id="options-settings-title">{t('options_settingsHeading')}</h2>
      <fieldset class="toggles" disabled={settings === null} aria-busy={settings === null}>
        <legend>{t('options_settingsLegend')}</legend>
        {TOGGLES.map(({ key, label, help }) => (
          <OptionsToggle
            key={key}
            id={`options-setting-${key}`}
            label={t(label)}
            help={t(help)}
            checked={settings?.[key] ?? false}
            {...(settings?.managed?.includes(key) && { managedNote: t('managed') })}
            onChange={(value) => void change(key, value, label)}
          />
        ))}
      </fieldset>
      <OptionsResult result={result} />
    </section>
  );
}

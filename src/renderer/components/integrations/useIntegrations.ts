import { useCallback, useEffect, useState } from 'react';
import type { IntegrationName, IntegrationsSettingsView, IntegrationsStatus, IntegrationTestResult, SetIntegrationsInput } from '../../../shared/contract/integrations';
import { RackdeckError } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';

export type Result = { ok: boolean; text: string } | undefined;

/** How often the open panel asks what each integration is doing. */
const STATUS_EVERY_MS = 3_000;

/**
 * The integrations' settings and live status for the panel: saving a section (secrets stay
 * write-only), testing one with what was saved, and per-field errors from main's validation.
 */
export function useIntegrations() {
  const client = useClient();
  const [settings, setSettings] = useState<IntegrationsSettingsView | undefined>(undefined);
  const [status, setStatus] = useState<IntegrationsStatus | undefined>(undefined);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<IntegrationName | undefined>(undefined);
  const [results, setResults] = useState<Partial<Record<IntegrationName, Result>>>({});

  const refresh = useCallback(() => {
    void client.integrations.status({}).then(setStatus, () => undefined);
  }, [client]);

  useEffect(() => {
    void client.integrations.settings({}).then(setSettings);
    refresh();
    const timer = setInterval(refresh, STATUS_EVERY_MS);
    return () => clearInterval(timer);
  }, [client, refresh]);

  /** Saves, then (when asked) tests what was saved; the outcome shows under the section. */
  const run = async (name: IntegrationName, input: SetIntegrationsInput, test: boolean): Promise<void> => {
    setBusy(name);
    setErrors({});
    setResults((r) => ({ ...r, [name]: undefined }));
    try {
      setSettings(await client.integrations.setSettings(input));
      let result: Result = { ok: true, text: 'Saved.' };
      if (test) {
        const r: IntegrationTestResult = await client.integrations.test({ integration: name });
        result = { ok: r.ok, text: r.detail };
      }
      setResults((r) => ({ ...r, [name]: result }));
      refresh();
    } catch (e) {
      if (e instanceof RackdeckError && e.fields) setErrors(e.fields);
      setResults((r) => ({ ...r, [name]: { ok: false, text: e instanceof Error ? e.message : String(e) } }));
    } finally {
      setBusy(undefined);
    }
  };

  const fieldError = (prefix: string) => errors[prefix] ?? Object.entries(errors).find(([k]) => k.startsWith(`${prefix}.`))?.[1];
  return { settings, status, run, busy, results, fieldError };
}

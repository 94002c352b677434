import { useCallback, useEffect, useState } from 'react';
import type { IdlePolicyInput, IdleView, NextView, ScheduleInput, ScheduleView } from '../../../shared/contract/automation';
import { useClient } from '../../hooks/useClient';

/** How often the open panel reads the schedules, the next 24 h and the idle servers again. */
const REFRESH_MS = 5_000;

/** Schedules, the next-24-h view and idle auto-suspend for the panel; every change goes through main, which refuses what it cannot read. */
export function useAutomation() {
  const client = useClient();
  const [schedules, setSchedules] = useState<ScheduleView[] | undefined>(undefined);
  const [next, setNext] = useState<NextView | undefined>(undefined);
  const [idle, setIdle] = useState<IdleView[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const refresh = useCallback(() => {
    void client.automation.schedules({}).then(setSchedules, () => undefined);
    void client.automation.next({}).then(setNext, () => undefined);
    void client.automation.idle({}).then(setIdle, () => undefined);
  }, [client]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  /** Runs a change; its refusal shows in the panel and nothing else changes. */
  const change = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setError(undefined);
    try {
      await fn();
      refresh();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };

  return {
    schedules,
    next,
    idle,
    error,
    add: (input: ScheduleInput) => change(() => client.automation.addSchedule(input)),
    remove: (id: string) => change(() => client.automation.removeSchedule({ id })),
    setIdle: (input: IdlePolicyInput) => change(() => client.automation.setIdle(input)),
    removeIdle: (serverId: string) => change(() => client.automation.removeIdle({ serverId })),
    keepAwake: (serverId: string) => change(() => client.automation.keepAwake({ serverId, minutes: 120 })),
  };
}

export type AutomationApi = ReturnType<typeof useAutomation>;

/** "Mon 23:30" for times within the week, the date otherwise. */
export function shortTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

import { useEffect, useRef, useState } from 'react';
import type { MetricSeriesView } from '../../../shared/contract/monitoring';
import type { HistoryRange } from '../../../shared/metrics';
import { useClient } from '../../hooks/useClient';

export interface SeriesState {
  series?: MetricSeriesView;
  error?: string;
  loading: boolean;
}

/**
 * A server's history for a range, fetched on open and on range change, and fetched again when
 * a live sample of that server arrives (at most every few seconds), so an open chart moves.
 */
export function useSeries(serverId: string, range: HistoryRange): SeriesState {
  const client = useClient();
  const [state, setState] = useState<SeriesState>({ loading: true });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let gone = false;
    const load = () =>
      client.metrics.series({ id: serverId, range }).then(
        (series) => !gone && setState({ series, loading: false }),
        (e: unknown) => !gone && setState((s) => ({ ...s, loading: false, error: e instanceof Error ? e.message : String(e) })),
      );
    setState((s) => ({ ...s, loading: true, error: undefined as never }));
    void load();
    const off = client.on('metrics.live', (batch) => {
      if (!batch.samples.some((s) => s.serverId === serverId) || timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        void load();
      }, 1500);
    });
    return () => {
      gone = true;
      off();
      clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [client, serverId, range]);
  return state;
}

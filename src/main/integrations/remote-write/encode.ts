import protobuf from 'protobufjs';
import snappy from 'snappyjs';

/**
 * Prometheus remote write 1.0 on the wire: a `prometheus.WriteRequest` protobuf, compressed with
 * snappy's block format. Pure computation (protobufjs and snappyjs are plain JavaScript), so a
 * test can decode what was built; the HTTP POST is the adapter's.
 */
export interface Label {
  name: string;
  value: string;
}

export interface TimeSeries {
  /** Sorted by name, `__name__` first, as the protocol asks. */
  labels: Label[];
  /** In time order within a series. */
  samples: Array<{ value: number; timestamp: number }>;
}

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: { fields: { labels: { rule: 'repeated', type: 'Label', id: 1 }, samples: { rule: 'repeated', type: 'Sample', id: 2 } } },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType('prometheus.WriteRequest');

/** The body of one POST. */
export function encodeWriteRequest(timeseries: readonly TimeSeries[]): Uint8Array {
  const bytes = WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish();
  return snappy.compress(bytes);
}

/** The inverse, for tests and for checking a spooled batch. */
export function decodeWriteRequest(body: Uint8Array): TimeSeries[] {
  const message = WriteRequest.decode(snappy.uncompress(body));
  const plain = WriteRequest.toObject(message, { longs: Number, defaults: true }) as { timeseries?: TimeSeries[] };
  return plain.timeseries ?? [];
}

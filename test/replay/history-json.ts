import { createRequire } from 'node:module';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';

/**
 * History <-> Temporal's JSON history format (what `temporal workflow show --output json` and the
 * Web UI download write), through the SDK's `historyToJSON`/`historyFromJSON`.
 *
 * Those two fail in this install with "TypeError: type must be a Type": npm gave @temporalio/common
 * and @temporalio/proto two separate copies of protobufjs 8 (a top-level protobufjs 7 keeps them
 * from being deduplicated), and protobufjs' protojson checks `instanceof Type` against its own
 * copy. Then the same conversion runs with the protojson of the copy @temporalio/proto uses.
 */
export function historyToJson(history: History): string {
  try {
    return historyToJSON(history);
  } catch (e) {
    if (!isSplitProtobufError(e)) throw e;
  }
  const { toJson, historyType, HistoryClass } = protoJson();
  return JSON.stringify(toJson(historyType, HistoryClass.fromObject(history)), null, 2);
}

export function historyFromJson(json: unknown): History {
  try {
    return historyFromJSON(json);
  } catch (e) {
    if (!isSplitProtobufError(e)) throw e;
  }
  const { fromJson, historyType } = protoJson();
  // Files in the canonical format only (UPPER_CASE enum values), as this repository writes them.
  const history = fromJson(historyType, json, { ignoreUnknownFields: true });
  if (history === null) throw new TypeError('Invalid history');
  return history;
}

function isSplitProtobufError(e: unknown): boolean {
  return e instanceof TypeError && e.message === 'type must be a Type';
}

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
  historyType: unknown;
  HistoryClass: { fromObject(history: History): unknown };
}

let loaded: ProtoJson | undefined;

/** protobufjs' protojson and the History type, both from the protobufjs that @temporalio/proto loads. */
function protoJson(): ProtoJson {
  if (loaded) return loaded;
  // Resolved from @temporalio/common (a dependency of this workspace) down to the exact copies it uses.
  const fromCommon = createRequire(require.resolve('@temporalio/common'));
  const proto = fromCommon('@temporalio/proto') as {
    temporal: { api: { history: { v1: { History: ProtoJson['HistoryClass'] } } } };
  };
  const { patchProtobufRoot } = fromCommon('@temporalio/proto/lib/patch-protobuf-root') as {
    patchProtobufRoot(root: unknown): { lookupType(name: string): unknown };
  };
  const fromProto = createRequire(fromCommon.resolve('@temporalio/proto'));
  const { toJson, fromJson } = fromProto('protobufjs/ext/protojson') as Pick<ProtoJson, 'toJson' | 'fromJson'>;
  loaded = {
    toJson,
    fromJson,
    historyType: patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History'),
    HistoryClass: proto.temporal.api.history.v1.History,
  };
  return loaded;
}

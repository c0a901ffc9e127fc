// Prints a JSON description of every message and enum in @livekit/protocol (protobuf-es v1 runtime),
// the schema the official LiveKit clients are built from. Read by SchemaConformanceTests.
//
// Output:
// {
//   "package": "@livekit/protocol", "version": "1.52.1",
//   "messages": { "livekit.Room": { "fields": [ { "number", "name", "jsonName", "kind",
//       "type", "repeated", "optional", "oneof", "mapKey", "mapValue" } ] } },
//   "enums": { "livekit.TrackType": { "AUDIO": 0, ... } }
// }
// kind: "scalar" | "enum" | "message" | "map". For scalars "type" is the lowercase protobuf type name
// ("string", "uint32", ...); for enums and messages it is the full type name ("livekit.TrackType").
// For maps "mapKey" is the key's scalar type and "mapValue" is { kind, type }.
// "optional" is true only for proto3 `optional` fields; "oneof" names a real oneof (null otherwise).

import * as protocol from '@livekit/protocol';

// protobuf-es ScalarType numbers are the descriptor.proto FieldDescriptorProto.Type numbers.
const scalarNames = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32',
  8: 'bool', 9: 'string', 12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64',
  17: 'sint32', 18: 'sint64',
};

function scalarName(t) {
  const name = scalarNames[t];
  if (!name) throw new Error(`unknown scalar type ${t}`);
  return name;
}

const messages = new Map();
const enums = new Map();

function isMessageType(value) {
  return (typeof value === 'function' || typeof value === 'object') && value !== null
    && typeof value.typeName === 'string' && value.fields && typeof value.fields.list === 'function';
}

function enumTypeOf(value) {
  if (value === null || typeof value !== 'object') return undefined;
  for (const sym of Object.getOwnPropertySymbols(value)) {
    const candidate = value[sym];
    if (candidate && typeof candidate.typeName === 'string' && Array.isArray(candidate.values)) return candidate;
  }
  if (typeof value.typeName === 'string' && Array.isArray(value.values)) return value;
  return undefined;
}

function addEnum(enumType) {
  if (enums.has(enumType.typeName)) return;
  const values = {};
  for (const v of enumType.values) values[v.name] = v.no;
  enums.set(enumType.typeName, values);
}

function describeValue(kind, t) {
  switch (kind) {
    case 'scalar':
      return { kind, type: scalarName(t) };
    case 'enum':
      addEnum(t);
      return { kind, type: t.typeName };
    case 'message':
      addMessage(t);
      return { kind, type: t.typeName };
    default:
      throw new Error(`unknown value kind ${kind}`);
  }
}

function addMessage(type) {
  if (messages.has(type.typeName)) return;
  const entry = { fields: [] };
  messages.set(type.typeName, entry);
  for (const f of type.fields.list()) {
    const field = {
      number: f.no,
      name: f.name,
      jsonName: f.jsonName,
      kind: f.kind,
      type: null,
      repeated: f.repeated === true,
      optional: f.opt === true,
      oneof: f.oneof ? f.oneof.name : null,
      mapKey: null,
      mapValue: null,
    };
    if (f.kind === 'map') {
      field.mapKey = scalarName(f.K);
      field.mapValue = describeValue(f.V.kind, f.V.T);
    } else {
      field.type = describeValue(f.kind, f.T).type;
    }
    entry.fields.push(field);
  }
}

for (const value of Object.values(protocol)) {
  if (isMessageType(value)) {
    addMessage(value);
    continue;
  }
  const enumType = enumTypeOf(value);
  if (enumType) addEnum(enumType);
}

const sorted = (map) => Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

process.stdout.write(JSON.stringify({
  package: '@livekit/protocol',
  version: protocol.version,
  messages: sorted(messages),
  enums: sorted(enums),
}, null, 1));
process.stdout.write('\n');

using System.Collections.Concurrent;
using ThingLedger.Core.State;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Telemetry;

/// <summary>Registered schemas, read from committed state once: a registered version never changes.</summary>
public sealed class SchemaCache
{
    private readonly IStateReader _state;
    private readonly ConcurrentDictionary<(string, ushort), TelemetrySchema> _known = new();

    public SchemaCache(IStateReader state) => _state = state;

    public TelemetrySchema? Find(string id, ushort version)
    {
        if (_known.TryGetValue((id, version), out var schema))
        {
            return schema;
        }
        schema = TelemetryModule.ReadSchema(_state, id, version)?.Schema;
        if (schema is not null)
        {
            _known[(id, version)] = schema;
        }
        return schema;
    }
}

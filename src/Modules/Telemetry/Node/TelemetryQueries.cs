using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Telemetry;
using ThingLedger.Storage;
using Mqtt = ThingLedger.Node.Telemetry.Mqtt;

namespace ThingLedger.Node.Modules.Telemetry;

/// <summary>
/// Readings stored at this node, their anchors, and the schemas and screening models on chain:
/// the one place the telemetry module's API and explorer pages read from.
/// </summary>
public sealed class TelemetryQueries(LedgerStore store, ReadingStore readings, LedgerNode node, Mqtt.MqttPresence mqtt)
{
    /// <summary>The device's MQTT sessions at this node and its last message, or null when it never connected since the node started.</summary>
    public Mqtt.MqttDeviceState? Connection(Address device) => mqtt.Find(device);

    private SchemaCache Schemas => node.Schemas;

    public (long Readings, int Devices) Counts() => readings.Counts();

    public ulong LastAnchoredIngest => readings.LastAnchoredIngest;

    /// <summary>A device's readings, newest first, within [from, to] (ms) and below sequence <paramref name="before"/> when given.</summary>
    public IReadOnlyList<StoredReading> History(Address device, ulong? from, ulong? to, ulong? before, int limit) => readings.History(device, from, to, before, limit);

    public StoredReading? Latest(Address device) => readings.Latest(device);

    public StoredReading? Reading(Address device, ulong sequence) => readings.Find(device, sequence);

    /// <summary>The anchor that covers the reading stored at <paramref name="ingest"/>, or null while it is not anchored.</summary>
    public AnchorRecord? Anchor(ulong ingest) => readings.FindAnchor(ingest);

    /// <summary>The schema a reading was written in, or null when it is not on chain.</summary>
    public TelemetrySchema? SchemaOf(Reading reading) => Schemas.Find(reading.Schema, reading.SchemaVersion);

    public SchemaRecord? Schema(string id, ushort version) => TelemetryModule.ReadSchema(store, id, version);

    public List<SchemaRecord> AllSchemas() => [.. LedgerLists.Decoded(store, TelemetryModule.SchemasPrefix, SchemaRecord.Read).Select(s => s.Record)];

    public List<ModelRecord> Models() => [.. LedgerLists.Decoded(store, TelemetryModule.ModelsPrefix, ModelRecord.Read).Select(m => m.Record)];

    /// <summary>A model's parameters as registered on chain, or null for a registration by hash alone.</summary>
    public ScreeningModelConfig? ModelParameters(string name) =>
        TelemetryModule.ReadModelParameters(store, name) ?? BuiltInScreeningModels.All.FirstOrDefault(m => m.Name == name && TelemetryModule.ReadModel(store, name)?.Model.ParametersHash == m.ParametersHash);

    /// <summary>
    /// The model that screens a schema's readings: the one registered to screen it, or (on chains
    /// from before models were registered with their parameters) its built-in model registered by
    /// hash. Null when the schema's readings are not screened.
    /// </summary>
    public string? ScreenedBy(string schemaRef)
    {
        if (TelemetryModule.ReadActiveModel(store, schemaRef) is { } active)
        {
            return active.Model;
        }
        var builtIn = BuiltInScreeningModels.All.FirstOrDefault(m => m.SchemaRef == schemaRef);
        return builtIn is not null && TelemetryModule.ReadModel(store, builtIn.Name)?.Model.ParametersHash == builtIn.ParametersHash ? builtIn.Name : null;
    }

    /// <summary>What the chain records of a device's telemetry (anchored counts, daily summaries), or null before its first anchor.</summary>
    public DeviceTelemetryRecord? Summary(Address device) => TelemetryModule.ReadDevice(store, device);

    /// <summary>When the anchor's block was cut (ms since the epoch): when the ledger recorded the readings it covers.</summary>
    public ulong? AnchoredAt(AnchorRecord anchor) => store.GetHead(anchor.Height)?.Header.Timestamp;

    /// <summary>A reading's values named and scaled by its schema (v0, v1 … unscaled when the schema is unknown).</summary>
    public List<(string Name, string Value)> Values(Reading reading)
    {
        var schema = SchemaOf(reading);
        return [.. reading.Values.Select((v, i) => schema is null
            ? ($"v{i}", TelemetrySchema.FormatValue(v, 0))
            : (schema.Fields[i].Name, TelemetrySchema.FormatValue(v, schema.Fields[i].Decimals)))];
    }
}

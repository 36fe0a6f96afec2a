using System.Text.Json.Serialization;

namespace ThingLedger.Client.Contracts;

/// <summary>
/// A reading in JSON, mapping 1:1 onto the binary reading: values by field name, each an exact
/// decimal (a JSON number or string) with at most the field's decimals. <c>Signature</c> is set
/// for a reading signed alone and absent inside a device batch.
/// </summary>
public sealed record ReadingJson(string Device, ulong Seq, ulong Time, string Schema, Dictionary<string, System.Text.Json.JsonElement> Values, string? Signature = null);

/// <summary>A device batch in JSON: the device, its readings in order, one signature over their root.</summary>
public sealed record DeviceBatchJson(string Device, List<ReadingJson> Readings, string Signature);

/// <summary>Body of POST /v1/readings in JSON. Items are numbered readings first, then batches.</summary>
public sealed record ReadingUploadJson(List<ReadingJson>? Readings, List<DeviceBatchJson>? Batches);

/// <summary>What the node did with one uploaded reading: stored it, already had it (the same bytes), or refused it with a code.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReadingUploadStatus>))]
public enum ReadingUploadStatus
{
    [JsonStringEnumMemberName("accepted")]
    Accepted,
    [JsonStringEnumMemberName("duplicate")]
    Duplicate,
    [JsonStringEnumMemberName("rejected")]
    Rejected,
}

/// <summary>The outcome of one reading: item number, index inside a device batch (-1 for the item itself), status, code.</summary>
public sealed record ReadingResultView(int Item, int Index, string? Device, ulong? Seq, ReadingUploadStatus Status, string? Code, string? Message);

public sealed record ReadingUploadResponse(int Accepted, int Duplicates, int Rejected, List<ReadingResultView> Results);

/// <summary>The result of an MQTT readings message refused as a whole (nothing of it was stored).</summary>
public sealed record MqttRefusal(string Code, string Detail);

/// <summary>What the node sends a device on its config topic: where to resume and the limits it works within.</summary>
public sealed record MqttDeviceConfig(
    string ChainId, string Device, ulong NextSequence, ulong ServerTimeMs, int MaxMessageBytes, int MaxDeviceBatchReadings,
    double MessagesPerSecond, int MessageBurst, long MaxClockSkewMs, long MaxReadingAgeMs);

/// <summary>Where the node's MQTT broker listens (<c>GET /v1/mqtt</c>); ports are 0 when off.</summary>
public sealed record MqttEndpointView(
    bool Enabled, string Address, int Port, int TlsPort, string ChainId, string TopicPrefix, int MaxMessageBytes, double MessagesPerSecond, int MessageBurst,
    long ProofMaxAgeMs, int MaxKeepAliveSeconds, int DevicesConnected);

/// <summary>
/// A stored reading with its values in decimal notation, what screening said of it (the model,
/// null when none looked; flags as CODE:score) and, once anchored, its anchor tx. Signature is the
/// reading's own; Batch, when it came in a device batch instead, is that batch's number at this
/// node (the ingest number of its first reading).
/// </summary>
public sealed record ReadingView(
    string Device, ulong Seq, ulong Time, string Schema, Dictionary<string, string> Values, ulong Ingest, string Bytes,
    string? Signature, long? Batch, string? AnchorTx, ulong? AnchorHeight)
{
    public string? Model { get; init; }

    public List<string> Flags { get; init; } = [];

    /// <summary>The operator of the custodian org who authorised the reading's upload as a historic import, or null for a live reading.</summary>
    public string? HistoricImportBy { get; init; }
}

public sealed record SchemaFieldView(string Name, string Unit, byte Decimals, string Min, string Max, bool Additive);

public sealed record SchemaView(string Id, ushort Version, string Ref, string Org, ulong Height, List<SchemaFieldView> Fields)
{
    /// <summary>The model that screens the schema's readings ("id@version"), or null: its readings are not screened.</summary>
    public string? ScreenedBy { get; init; }

    /// <summary>The schema's summary period in minutes (anchors summarise each device per period of the day), or 0: per day.</summary>
    public ushort SummaryMinutes { get; init; }
}

public sealed record TelemetryStatusView(ulong Readings, int Devices, ulong AnchoredReadings, ulong PendingReadings);

/// <summary>A screening model registered on chain: name, schema, parameters hash, owner org, height.</summary>
public sealed record ScreeningModelView(string Name, string Schema, string Parameters, string Org, ulong Height)
{
    /// <summary>Whether this is the model that screens its schema's readings now.</summary>
    public bool Active { get; init; }

    /// <summary>Its rules in words, when its parameters are known (on chain, or a built-in model's).</summary>
    public List<string>? Rules { get; init; }

    /// <summary>Its canonical parameters, hex (what the parameters hash is over), when known.</summary>
    public string? Encoded { get; init; }
}

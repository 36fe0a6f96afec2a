using ThingLedger.Execution.Modules.Devices;

namespace ThingLedger.Client.Contracts;

public sealed record DeviceView(
    string Id, string PublicKey, string Org, string Model, string Serial, string Owner, Dictionary<string, string> Metadata,
    DeviceStatus Status, ulong RegisteredAt, ulong? RevokedAt, string? RevokeReason);

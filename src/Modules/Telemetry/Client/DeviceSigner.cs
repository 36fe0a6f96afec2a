using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Client;

/// <summary>
/// What a device (or its gateway) runs: numbers its readings, encodes them canonically and signs
/// them, one by one or as a device batch. Keep <see cref="NextSequence"/> across restarts (in
/// flash, say): a sequence number must never be reused with other values.
/// </summary>
public sealed class DeviceSigner
{
    private readonly KeyPair _key;
    private readonly string _chainId;

    public DeviceSigner(KeyPair key, string chainId, ulong nextSequence = 1)
    {
        ArgumentOutOfRangeException.ThrowIfZero(nextSequence);
        _key = key;
        _chainId = chainId;
        NextSequence = nextSequence;
    }

    public Address Device => _key.Address;

    public ulong NextSequence { get; private set; }

    /// <summary>A new reading with the next sequence number; values in the schema's field order and scale.</summary>
    public Reading Measure(TelemetrySchema schema, ulong timestamp, params long[] values)
    {
        if (values.Length != schema.Fields.Length)
        {
            throw new ArgumentException($"schema {schema.Ref} has {schema.Fields.Length} fields, {values.Length} values given", nameof(values));
        }
        return new Reading(_key.Address, NextSequence++, timestamp, schema.Id, schema.Version, values);
    }

    public SignedReading Sign(Reading reading) => new(reading, reading.Sign(_key, _chainId));

    public SignedBatch SignBatch(IReadOnlyList<Reading> readings)
    {
        if (readings.Count is 0 or > DeviceBatch.MaxReadings)
        {
            throw new ArgumentException($"a device batch holds 1 to {DeviceBatch.MaxReadings} readings", nameof(readings));
        }
        return new SignedBatch(_key.Address, [.. readings], DeviceBatch.Sign(_key, _chainId, readings));
    }
}

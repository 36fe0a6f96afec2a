using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Screening;
using ThingLedger.Storage;

namespace ThingLedger.Node.Telemetry;

/// <summary>A reading as it arrived: decoded, or the reason it could not be.</summary>
public readonly record struct ReadingSlot(Reading? Reading, string? Code, string? Message)
{
    public static ReadingSlot Of(Reading reading) => new(reading, null, null);

    public static ReadingSlot Failed(string code, string message) => new(null, code, message);
}

/// <summary>One upload item: a signed reading (no batch device, one slot) or a device batch.</summary>
public sealed record IngestItem(Address? BatchDevice, ReadingSlot[] Readings, byte[] Signature);

/// <summary>What happened to one reading: accepted, duplicate (stored before) or rejected with a code.</summary>
public sealed record ReadingOutcome(int Item, int Index, Reading? Reading, ReadingUploadStatus Status, string? Code, string? Message);

/// <summary>
/// Checks uploaded readings and stores the good ones durably before answering. Every reading
/// gets its own outcome; a device batch is stored whole or not at all, because its single
/// signature covers all of its readings. Signatures are checked on the shared verification
/// pool, after every cheaper check, so a bad reading costs no signature check.
/// </summary>
public sealed class ReadingIngest
{
    private readonly LedgerNode _node;
    private readonly TimeProvider _clock;
    private readonly Screener _screener;

    public ReadingIngest(LedgerNode node, TimeProvider clock, ILogger<Screener> screeningLog)
    {
        _node = node;
        _clock = clock;
        _screener = new Screener(node.Store, node.Readings, node.Schemas, node.Options.Screening, screeningLog,
            Path.Combine(node.Options.DataDirectory, Screener.FilesFolder));
    }

    /// <summary>
    /// Checks, verifies, screens and stores an upload. <paramref name="historicBy"/>: the operator
    /// of this node's org who authorised it as a historic import, whose readings may be older than
    /// the freshness window (Node:MaxReadingAgeMs); the store and the anchor record who it was.
    /// </summary>
    public async Task<ReadingOutcome[]> IngestAsync(IReadOnlyList<IngestItem> items, Address? historicBy = null)
    {
        var checks = new ItemCheck[items.Count];
        var seen = new HashSet<(Address, ulong)>(items.Sum(item => item.Readings.Length));
        var devices = new Dictionary<Address, DeviceRecord?>();
        var now = (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < items.Count; i++)
        {
            checks[i] = Check(items[i], seen, devices, now, historicBy is not null);
        }
        await _node.Verifier.RunAsync(checks.Length, i => checks[i].VerifySignature(_node.Genesis.ChainId)).ConfigureAwait(false);

        var toStore = new List<AppendItem>();
        var storedFrom = new List<int>();
        for (var i = 0; i < checks.Length; i++)
        {
            if (checks[i].Valid)
            {
                toStore.Add(new AppendItem(checks[i].Readings!, items[i].Signature, items[i].BatchDevice is not null) { HistoricBy = historicBy });
                storedFrom.Add(i);
            }
        }
        var statuses = toStore.Count == 0 ? [] : Store(toStore);
        for (var k = 0; k < statuses.Length; k++)
        {
            checks[storedFrom[k]].Stored(statuses[k]);
        }
        return Flatten(checks);
    }

    /// <summary>Stores the items, screening those the store accepts; if storing fails, the models forget those devices.</summary>
    private AppendStatus[] Store(List<AppendItem> items)
    {
        try
        {
            return _node.Readings.Append(items, _screener.Screen);
        }
        catch
        {
            _screener.Forget(items.Select(item => item.Readings[0].Device).Distinct());
            throw;
        }
    }

    private ItemCheck Check(IngestItem item, HashSet<(Address, ulong)> seen, Dictionary<Address, DeviceRecord?> devices, ulong now, bool historic)
    {
        var check = new ItemCheck(item);
        if (item.BatchDevice is not null && item.Readings.Length == 0)
        {
            check.FailItem(TelemetryErrors.DeviceBatchEmpty, "the device batch holds no readings");
            return check;
        }
        if (item.Readings.Length > _node.Options.MaxDeviceBatchReadings)
        {
            check.FailAll(TelemetryErrors.DeviceBatchTooLarge, $"a device batch holds at most {_node.Options.MaxDeviceBatchReadings} readings, this one {item.Readings.Length}");
            return check;
        }
        for (var j = 0; j < item.Readings.Length; j++)
        {
            var slot = item.Readings[j];
            if (slot.Reading is not { } reading)
            {
                check.Fail(j, slot.Code!, slot.Message!);
                continue;
            }
            var problem = CheckReading(item, j, reading, seen, devices, now, historic, out var device);
            if (problem is { } p)
            {
                check.Fail(j, p.Code, p.Message);
                continue;
            }
            check.DeviceKey ??= device!.PublicKey;
        }
        check.Finish();
        return check;
    }

    private (string Code, string Message)? CheckReading(
        IngestItem item, int index, Reading reading, HashSet<(Address, ulong)> seen, Dictionary<Address, DeviceRecord?> devices, ulong now, bool historic,
        out DeviceRecord? device)
    {
        device = null;
        if (item.BatchDevice is { } batchDevice && reading.Device != batchDevice)
        {
            return (TelemetryErrors.ReadingWrongDevice, $"the reading is of device {reading.Device}, the batch of {batchDevice}");
        }
        if (item.BatchDevice is not null && index > 0 && item.Readings[index - 1].Reading is { } previous && reading.Sequence < previous.Sequence)
        {
            return (TelemetryErrors.ReadingSequenceReplayed, $"sequence {reading.Sequence} follows {previous.Sequence} in the device batch; it must increase");
        }
        if (!seen.Add((reading.Device, reading.Sequence)))
        {
            return (TelemetryErrors.ReadingDuplicateInBatch, $"sequence {reading.Sequence} of device {reading.Device} appears twice in this upload");
        }
        var schema = _node.Schemas.Find(reading.Schema, reading.SchemaVersion);
        if (schema is null)
        {
            return (TelemetryErrors.SchemaNotFound, $"no schema {reading.SchemaRef} is registered");
        }
        if (schema.FindOutOfRange(reading.Values) is { } range)
        {
            return (TelemetryErrors.ReadingOutOfRange, range);
        }
        // A historic import may be as old as it is; nothing is ever accepted from the future.
        if (reading.Timestamp > now + (ulong)_node.Options.MaxClockSkewMs || (!historic && reading.Timestamp + (ulong)_node.Options.MaxReadingAgeMs < now))
        {
            return (TelemetryErrors.ReadingTimeSkew, historic
                ? $"the reading was measured at {reading.Timestamp} ms, after {now + (ulong)_node.Options.MaxClockSkewMs} (now plus the clock skew this node allows)"
                : $"the reading was measured at {reading.Timestamp} ms; this node accepts from {now - Math.Min(now, (ulong)_node.Options.MaxReadingAgeMs)} to {now + (ulong)_node.Options.MaxClockSkewMs}" +
                  " (older history: upload it as a historic import, authorised by an operator of this node's org)");
        }
        if (!devices.TryGetValue(reading.Device, out device))
        {
            device = DevicesModule.ReadDevice(_node.Store, reading.Device);
            devices[reading.Device] = device;
        }
        if (device is null)
        {
            return (DevicesErrors.DeviceNotFound, $"no device {reading.Device} is registered");
        }
        if (device.Status == DeviceStatus.Revoked)
        {
            return (DevicesErrors.DeviceRevoked, $"device {reading.Device} was revoked at height {device.RevokedAt}");
        }
        return null;
    }

    /// <summary>The answer to an upload (HTTP or MQTT): counts, and the status of each reading, or of the refused ones only.</summary>
    public static ReadingUploadResponse Response(ReadingOutcome[] outcomes, bool onlyRejected)
    {
        int accepted = 0, duplicates = 0, rejected = 0;
        var views = new List<ReadingResultView>(onlyRejected ? 16 : outcomes.Length);
        foreach (var o in outcomes)
        {
            switch (o.Status)
            {
                case ReadingUploadStatus.Accepted: accepted++; break;
                case ReadingUploadStatus.Duplicate: duplicates++; break;
                default: rejected++; break;
            }
            if (!onlyRejected || o.Status == ReadingUploadStatus.Rejected)
            {
                views.Add(new ReadingResultView(o.Item, o.Index, o.Reading?.Device.ToString(), o.Reading?.Sequence, o.Status, o.Code, o.Message));
            }
        }
        return new ReadingUploadResponse(accepted, duplicates, rejected, views);
    }

    private static ReadingOutcome[] Flatten(ItemCheck[] checks)
    {
        var outcomes = new List<ReadingOutcome>();
        for (var i = 0; i < checks.Length; i++)
        {
            checks[i].AddOutcomes(i, outcomes);
        }
        return [.. outcomes];
    }
}

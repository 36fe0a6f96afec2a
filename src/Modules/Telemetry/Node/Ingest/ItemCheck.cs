using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Node.Telemetry;

/// <summary>The verdicts on one upload item's readings as ingest works through it.</summary>
internal sealed class ItemCheck
{
    private readonly IngestItem _item;
    private readonly (string Code, string Message)?[] _failures;
    private (string Code, string Message)? _itemFailure;
    private AppendStatus? _stored;
    private bool _anyFailed;

    public ItemCheck(IngestItem item)
    {
        _item = item;
        _failures = new (string, string)?[item.Readings.Length];
    }

    /// <summary>The registered key of the device (set once its readings passed the cheap checks).</summary>
    public PublicKey? DeviceKey { get; set; }

    /// <summary>The readings, when every one of them passed every check so far.</summary>
    public Reading[]? Readings { get; private set; }

    public bool Valid => Readings is not null;

    public void Fail(int index, string code, string message)
    {
        _failures[index] = (code, message);
        _anyFailed = true;
    }

    public void FailAll(string code, string message)
    {
        for (var j = 0; j < _failures.Length; j++)
        {
            Fail(j, code, message);
        }
    }

    /// <summary>A failure of the item itself, e.g. an empty device batch: one outcome with index -1.</summary>
    public void FailItem(string code, string message)
    {
        _itemFailure = (code, message);
        _anyFailed = true;
    }

    /// <summary>After the cheap checks: a batch with one bad reading is refused whole; else the signature is next.</summary>
    public void Finish()
    {
        if (!_anyFailed)
        {
            var readings = new Reading[_item.Readings.Length];
            for (var j = 0; j < readings.Length; j++)
            {
                readings[j] = _item.Readings[j].Reading!;
            }
            Readings = readings;
            if (!Signature.HasLowS(_item.Signature))
            {
                FailAll(ErrorCodes.SignatureHighS, "the signature's s is above n/2 (or zero); sign with low-S");
                Readings = null;
            }
            return;
        }
        if (_item.BatchDevice is not null)
        {
            for (var j = 0; j < _failures.Length; j++)
            {
                _failures[j] ??= (TelemetryErrors.DeviceBatchRejected, "another reading of this device batch was rejected; a batch is stored whole or not at all");
            }
        }
    }

    /// <summary>Runs on the verification pool.</summary>
    public void VerifySignature(string chainId)
    {
        if (Readings is null)
        {
            return;
        }
        var digest = _item.BatchDevice is { } device
            ? DeviceBatch.SigningDigest(chainId, device, (uint)Readings.Length, DeviceBatch.Root(Readings))
            : Readings[0].SigningDigest(chainId);
        if (!SignatureVerifier.Verify(DeviceKey!, digest, _item.Signature))
        {
            FailAll(ErrorCodes.SignatureInvalid, "the signature does not verify with the device's registered key for these readings and this chain");
            Readings = null;
        }
    }

    public void Stored(AppendStatus status)
    {
        _stored = status;
        if (status == AppendStatus.Replayed)
        {
            FailAll(TelemetryErrors.ReadingSequenceReplayed, "the sequence number is at or below the device's last accepted one, with other content");
        }
    }

    public void AddOutcomes(int item, List<ReadingOutcome> outcomes)
    {
        if (_itemFailure is { } f)
        {
            outcomes.Add(new ReadingOutcome(item, -1, null, ReadingUploadStatus.Rejected, f.Code, f.Message));
            return;
        }
        for (var j = 0; j < _failures.Length; j++)
        {
            var reading = _item.Readings[j].Reading;
            outcomes.Add(_failures[j] is { } failure
                ? new ReadingOutcome(item, j, reading, ReadingUploadStatus.Rejected, failure.Code, failure.Message)
                : new ReadingOutcome(item, j, reading, _stored == AppendStatus.Duplicate ? ReadingUploadStatus.Duplicate : ReadingUploadStatus.Accepted, null, null));
        }
    }
}

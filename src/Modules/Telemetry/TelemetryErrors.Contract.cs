using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>
/// The telemetry module's error codes (docs/ERRORS.md, "Telemetry"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class TelemetryErrors
{
    public const string Prefix = "TELEMETRY_";

    [Unprefixed]
    public const string SchemaInvalid = "SCHEMA_INVALID";

    [Unprefixed]
    public const string SchemaExists = "SCHEMA_EXISTS";

    [Unprefixed]
    public const string SchemaNotFound = "SCHEMA_NOT_FOUND";

    [Unprefixed]
    public const string ModelInvalid = "MODEL_INVALID";

    [Unprefixed]
    public const string ModelExists = "MODEL_EXISTS";

    [Unprefixed]
    public const string ModelNotFound = "MODEL_NOT_FOUND";

    [Unprefixed]
    public const string NotCustodian = "NOT_CUSTODIAN";

    [Unprefixed]
    public const string AnchorInvalid = "ANCHOR_INVALID";

    [Unprefixed]
    public const string AnchorSequenceReplayed = "ANCHOR_SEQUENCE_REPLAYED";

    [Unprefixed]
    public const string ReadingMalformed = "READING_MALFORMED";

    [Unprefixed]
    public const string ReadingOutOfRange = "READING_OUT_OF_RANGE";

    [Unprefixed]
    public const string ReadingSequenceReplayed = "READING_SEQUENCE_REPLAYED";

    [Unprefixed]
    public const string ReadingTimeSkew = "READING_TIME_SKEW";

    [Unprefixed]
    public const string ReadingDuplicateInBatch = "READING_DUPLICATE_IN_BATCH";

    [Unprefixed]
    public const string ReadingWrongDevice = "READING_WRONG_DEVICE";

    [Unprefixed]
    public const string DeviceBatchTooLarge = "DEVICE_BATCH_TOO_LARGE";

    [Unprefixed]
    public const string DeviceBatchEmpty = "DEVICE_BATCH_EMPTY";

    [Unprefixed]
    public const string DeviceBatchRejected = "DEVICE_BATCH_REJECTED";

    [Unprefixed]
    public const string ReadingNotAnchored = "READING_NOT_ANCHORED";
}

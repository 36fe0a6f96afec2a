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

    /// <summary>A model's version n + 1 registered before its version n.</summary>
    public const string ModelVersionGap = "TELEMETRY_MODEL_VERSION_GAP";

    /// <summary>A model's next version registered by an org that does not own the model.</summary>
    public const string ModelNotOwner = "TELEMETRY_MODEL_NOT_OWNER";

    /// <summary>An ONNX file installed for a model that does not name it (its SHA-256 differs from the registered one).</summary>
    public const string ModelFileMismatch = "TELEMETRY_MODEL_FILE_MISMATCH";

    /// <summary>A historic import not authorised by an operator (or admin) of the custodian's org.</summary>
    public const string HistoricNotAuthorised = "TELEMETRY_HISTORIC_NOT_AUTHORISED";

    /// <summary>A historic-import grant that is malformed, expired, for another chain or body, or badly signed.</summary>
    public const string HistoricGrantInvalid = "TELEMETRY_HISTORIC_GRANT_INVALID";

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

    // MQTT (docs/TELEMETRY.md, "MQTT"): why a CONNECT or a PUBLISH was refused.

    /// <summary>The client id is not a device id, optionally followed by "-" and a label.</summary>
    public const string MqttClientIdInvalid = "TELEMETRY_MQTT_CLIENT_ID_INVALID";

    /// <summary>No, a malformed, a wrong or a reused proof of the device key; or a user name other than the device id.</summary>
    public const string MqttProofInvalid = "TELEMETRY_MQTT_PROOF_INVALID";

    /// <summary>The proof's time is too far from the node's clock.</summary>
    public const string MqttProofStale = "TELEMETRY_MQTT_PROOF_STALE";

    /// <summary>Keep-alive 0 (none) or above Node:Mqtt:MaxKeepAliveSeconds.</summary>
    public const string MqttKeepAlive = "TELEMETRY_MQTT_KEEP_ALIVE";

    /// <summary>Another device's topic, or a retained message.</summary>
    public const string MqttTopicForbidden = "TELEMETRY_MQTT_TOPIC_FORBIDDEN";

    /// <summary>A topic the node does not serve.</summary>
    public const string MqttTopicUnknown = "TELEMETRY_MQTT_TOPIC_UNKNOWN";

    /// <summary>The message holds a reading of another device than the one connected.</summary>
    public const string MqttForeignReading = "TELEMETRY_MQTT_FOREIGN_READING";

    /// <summary>Readings published at QoS 0, which has no acknowledgement.</summary>
    public const string MqttQos0Refused = "TELEMETRY_MQTT_QOS0_REFUSED";

    /// <summary>The payload is larger than Node:Mqtt:MaxMessageBytes.</summary>
    public const string MqttMessageTooLarge = "TELEMETRY_MQTT_MESSAGE_TOO_LARGE";

    /// <summary>A TCP connection beyond Node:Mqtt:MaxConnections, closed at once (counted in the metrics only).</summary>
    public const string MqttTooManyConnections = "TELEMETRY_MQTT_TOO_MANY_CONNECTIONS";

    /// <summary>More messages than the device's rate allows.</summary>
    public const string MqttRateLimited = "TELEMETRY_MQTT_RATE_LIMITED";
}

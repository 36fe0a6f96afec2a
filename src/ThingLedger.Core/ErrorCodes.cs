namespace ThingLedger.Core;

/// <summary>
/// Stable error codes. They appear in receipts (and so in receipts roots), in HTTP problem
/// details and in CLI output; a code, once published, never changes meaning. See docs/ERRORS.md.
/// </summary>
public static class ErrorCodes
{
    // Admission: the tx never reaches ordering.
    public const string TxMalformed = "TX_MALFORMED";
    public const string TxTooLarge = "TX_TOO_LARGE";
    public const string BatchEmpty = "BATCH_EMPTY";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    public const string WrongChain = "WRONG_CHAIN";
    public const string SignatureInvalid = "SIGNATURE_INVALID";
    public const string SignatureHighS = "SIGNATURE_HIGH_S";
    public const string TxExpired = "TX_EXPIRED";
    public const string TxVersionRetired = "TX_VERSION_RETIRED";
    public const string GasLimitTooLow = "GAS_LIMIT_TOO_LOW";
    public const string GasLimitAboveBlock = "GAS_LIMIT_ABOVE_BLOCK";
    public const string TxDuplicate = "TX_DUPLICATE";
    public const string NonceReused = "NONCE_REUSED";
    public const string NonceGap = "NONCE_GAP";
    public const string MempoolFull = "MEMPOOL_FULL";
    public const string SignerPendingLimit = "SIGNER_PENDING_LIMIT";
    public const string OrderingUnavailable = "ORDERING_UNAVAILABLE";
    public const string UnknownModule = "UNKNOWN_MODULE";
    public const string UnknownOperation = "UNKNOWN_OPERATION";

    // Execution: the tx is in a block, recorded as failed, its changes not applied.
    public const string NonceMismatch = "NONCE_MISMATCH";
    public const string PayloadMalformed = "PAYLOAD_MALFORMED";
    public const string StateNotOwned = "STATE_NOT_OWNED";
    public const string EventNotDeclared = "EVENT_NOT_DECLARED";
    public const string TooManyEvents = "TOO_MANY_EVENTS";
    public const string OutOfGas = "OUT_OF_GAS";
    public const string BlockGasExhausted = "BLOCK_GAS_EXHAUSTED";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string Unauthorised = "UNAUTHORISED";
    public const string AmountOverflow = "AMOUNT_OVERFLOW";

    // Telemetry ingest: per reading, nothing stored.
    public const string ReadingsMalformed = "READINGS_MALFORMED";

    // Queries and transport.
    public const string NotFound = "NOT_FOUND";
    public const string BadRequest = "BAD_REQUEST";
    public const string JsonDuplicateKey = "JSON_DUPLICATE_KEY";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";
    public const string Timeout = "TIMEOUT";
    public const string NodeUnavailable = "NODE_UNAVAILABLE";
    public const string Internal = "INTERNAL";
}

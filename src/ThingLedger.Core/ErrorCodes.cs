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
    public const string OutOfGas = "OUT_OF_GAS";
    public const string BlockGasExhausted = "BLOCK_GAS_EXHAUSTED";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string Unauthorised = "UNAUTHORISED";
    public const string OrgNotFound = "ORG_NOT_FOUND";
    public const string MemberNotFound = "MEMBER_NOT_FOUND";
    public const string MemberExists = "MEMBER_EXISTS";
    public const string InvalidRoles = "INVALID_ROLES";
    public const string AdminSelfChange = "ADMIN_SELF_CHANGE";
    public const string DeviceNotFound = "DEVICE_NOT_FOUND";
    public const string DeviceKeyExists = "DEVICE_KEY_EXISTS";
    public const string DevicePossessionInvalid = "DEVICE_POSSESSION_INVALID";
    public const string DeviceSerialExists = "DEVICE_SERIAL_EXISTS";
    public const string DeviceRevoked = "DEVICE_REVOKED";
    public const string NotDeviceOwner = "NOT_DEVICE_OWNER";
    public const string TokenExists = "TOKEN_EXISTS";
    public const string TokenNotFound = "TOKEN_NOT_FOUND";
    public const string TokenModuleIssued = "TOKEN_MODULE_ISSUED";
    public const string AmountZero = "AMOUNT_ZERO";
    public const string InsufficientBalance = "INSUFFICIENT_BALANCE";
    public const string MintCapExceeded = "MINT_CAP_EXCEEDED";
    public const string AmountOverflow = "AMOUNT_OVERFLOW";
    public const string SchemaInvalid = "SCHEMA_INVALID";
    public const string SchemaExists = "SCHEMA_EXISTS";
    public const string SchemaNotFound = "SCHEMA_NOT_FOUND";
    public const string ModelInvalid = "MODEL_INVALID";
    public const string ModelExists = "MODEL_EXISTS";
    public const string ModelNotFound = "MODEL_NOT_FOUND";
    public const string NotCustodian = "NOT_CUSTODIAN";
    public const string AnchorInvalid = "ANCHOR_INVALID";
    public const string AnchorSequenceReplayed = "ANCHOR_SEQUENCE_REPLAYED";
    public const string OrgExists = "ORG_EXISTS";
    public const string MembershipInvalid = "MEMBERSHIP_INVALID";
    public const string EffectiveHeightInvalid = "EFFECTIVE_HEIGHT_INVALID";
    public const string ProposalNotFound = "PROPOSAL_NOT_FOUND";
    public const string ProposalClosed = "PROPOSAL_CLOSED";
    public const string AlreadyApproved = "ALREADY_APPROVED";
    public const string CarbonMethodologyInvalid = "CARBON_METHODOLOGY_INVALID";
    public const string CarbonMethodologyExists = "CARBON_METHODOLOGY_EXISTS";
    public const string CarbonMethodologyNotFound = "CARBON_METHODOLOGY_NOT_FOUND";
    public const string CarbonPeriodInvalid = "CARBON_PERIOD_INVALID";
    public const string CarbonPeriodOpen = "CARBON_PERIOD_OPEN";
    public const string CarbonAlreadyClaimed = "CARBON_ALREADY_CLAIMED";
    public const string CarbonNotCustodian = "CARBON_NOT_CUSTODIAN";
    public const string CarbonNotEligible = "CARBON_NOT_ELIGIBLE";
    public const string CarbonDataFlagged = "CARBON_DATA_FLAGGED";
    public const string CarbonNothingToCredit = "CARBON_NOTHING_TO_CREDIT";
    public const string CarbonClaimNotFound = "CARBON_CLAIM_NOT_FOUND";
    public const string CarbonClaimDecided = "CARBON_CLAIM_DECIDED";
    public const string CarbonNotVerifier = "CARBON_NOT_VERIFIER";
    public const string CarbonNotACredit = "CARBON_NOT_A_CREDIT";
    public const string RetireExceedsBalance = "RETIRE_EXCEEDS_BALANCE";
    public const string OrderInvalid = "ORDER_INVALID";
    public const string SelfTrade = "SELF_TRADE";
    public const string OrderNotFound = "ORDER_NOT_FOUND";
    public const string NotOrderOwner = "NOT_ORDER_OWNER";
    public const string OrderBookFull = "ORDER_BOOK_FULL";
    public const string ProgrammeInvalid = "PROGRAMME_INVALID";
    public const string ProgrammeExists = "PROGRAMME_EXISTS";
    public const string ProgrammeNotFound = "PROGRAMME_NOT_FOUND";
    public const string AlreadyEnrolled = "ALREADY_ENROLLED";
    public const string RewardAlreadyPaid = "REWARD_ALREADY_PAID";
    public const string RewardCapReached = "REWARD_CAP_REACHED";
    public const string ProgrammeBudgetExhausted = "PROGRAMME_BUDGET_EXHAUSTED";
    public const string SelfReferral = "SELF_REFERRAL";
    public const string RewardNotOffered = "REWARD_NOT_OFFERED";

    // Telemetry ingest: per reading, nothing stored.
    public const string ReadingsMalformed = "READINGS_MALFORMED";
    public const string ReadingMalformed = "READING_MALFORMED";
    public const string ReadingOutOfRange = "READING_OUT_OF_RANGE";
    public const string ReadingSequenceReplayed = "READING_SEQUENCE_REPLAYED";
    public const string ReadingTimeSkew = "READING_TIME_SKEW";
    public const string ReadingDuplicateInBatch = "READING_DUPLICATE_IN_BATCH";
    public const string ReadingWrongDevice = "READING_WRONG_DEVICE";
    public const string DeviceBatchTooLarge = "DEVICE_BATCH_TOO_LARGE";
    public const string DeviceBatchEmpty = "DEVICE_BATCH_EMPTY";
    public const string DeviceBatchRejected = "DEVICE_BATCH_REJECTED";
    public const string ReadingNotAnchored = "READING_NOT_ANCHORED";

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

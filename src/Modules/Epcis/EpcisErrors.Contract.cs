namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>
/// The epcis module's error codes (docs/ERRORS.md, "epcis"). Every code starts with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class EpcisErrors
{
    public const string Prefix = "EPCIS_";

    // A GS1 key (Gs1Id, Gs1Canonical).
    public const string CheckDigit = "EPCIS_CHECK_DIGIT";
    public const string KeyLength = "EPCIS_KEY_LENGTH";
    public const string KeyCharacter = "EPCIS_KEY_CHARACTER";
    public const string DigitalLinkInvalid = "EPCIS_DIGITAL_LINK_INVALID";
    public const string UrnInvalid = "EPCIS_URN_INVALID";
    public const string PrefixLength = "EPCIS_PREFIX_LENGTH";

    // A document and its events (EpcisDocumentReader).
    public const string JsonInvalid = "EPCIS_JSON_INVALID";
    public const string DocumentInvalid = "EPCIS_DOCUMENT_INVALID";
    public const string DocumentTooLarge = "EPCIS_DOCUMENT_TOO_LARGE";
    public const string EventType = "EPCIS_EVENT_TYPE";
    public const string EventInvalid = "EPCIS_EVENT_INVALID";
    public const string TimeInvalid = "EPCIS_TIME_INVALID";
    public const string EventInFuture = "EPCIS_EVENT_IN_FUTURE";
    public const string Vocabulary = "EPCIS_VOCABULARY";
    public const string IdInvalid = "EPCIS_ID_INVALID";
    public const string DuplicateEvent = "EPCIS_DUPLICATE_EVENT";

    // Item rules (ItemRules): refused at capture, flagged when a race lets one reach the chain.
    public const string NotCommissioned = "EPCIS_NOT_COMMISSIONED";
    public const string AlreadyCommissioned = "EPCIS_ALREADY_COMMISSIONED";
    public const string ItemInactive = "EPCIS_ITEM_INACTIVE";
    public const string AlreadyDispensed = "EPCIS_ALREADY_DISPENSED";
    public const string InAnotherContainer = "EPCIS_IN_ANOTHER_CONTAINER";
    public const string OutputIsInput = "EPCIS_OUTPUT_IS_INPUT";
    public const string ImpossibleTravel = "EPCIS_IMPOSSIBLE_TRAVEL";
    public const string SensorDeviceUnknown = "EPCIS_SENSOR_DEVICE_UNKNOWN";
    public const string NotCleared = "EPCIS_NOT_CLEARED";
    public const string NotDeclared = "EPCIS_NOT_DECLARED";
    public const string InspectionFailed = "EPCIS_INSPECTION_FAILED";
    public const string LocationUnknown = "EPCIS_LOCATION_UNKNOWN";

    // Locations.
    public const string LocationInvalid = "EPCIS_LOCATION_INVALID";
    public const string LocationTaken = "EPCIS_LOCATION_TAKEN";

    // Tags and tap-to-verify.
    public const string TagInvalid = "EPCIS_TAG_INVALID";
    public const string NoTag = "EPCIS_NO_TAG";
    public const string ChallengeUnknown = "EPCIS_CHALLENGE_UNKNOWN";
    public const string TapInvalid = "EPCIS_TAP_INVALID";
    public const string TooManyChallenges = "EPCIS_TOO_MANY_CHALLENGES";

    // Who may capture, and the anchor.
    public const string SignatureInvalid = "EPCIS_SIGNATURE_INVALID";
    public const string NotMember = "EPCIS_NOT_MEMBER";
    public const string RoleMissing = "EPCIS_ROLE_MISSING";
    public const string NotCustodian = "EPCIS_NOT_CUSTODIAN";
    public const string AnchorInvalid = "EPCIS_ANCHOR_INVALID";

    // Organisation roles.
    public const string RoleInvalid = "EPCIS_ROLE_INVALID";
    public const string NotGovernor = "EPCIS_NOT_GOVERNOR";
    public const string OrgUnknown = "EPCIS_ORG_UNKNOWN";
    public const string RoleUnchanged = "EPCIS_ROLE_UNCHANGED";

    // Receipts.
    public const string EventNotFound = "EPCIS_EVENT_NOT_FOUND";
    public const string EventNotAnchored = "EPCIS_EVENT_NOT_ANCHORED";

    // Queries and traces.
    public const string QueryInvalid = "EPCIS_QUERY_INVALID";
}

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>
/// The credentials module's error codes (docs/ERRORS.md, "credentials"): those its operations put
/// in receipts, and those a verifier gives a presentation (<c>CREDENTIALS_VC_…</c>). Every code starts
/// with <see cref="Prefix"/>.
/// </summary>
public static class CredentialsErrors
{
    public const string Prefix = "CREDENTIALS_";

    public const string DidInvalid = "CREDENTIALS_DID_INVALID";
    public const string DidExists = "CREDENTIALS_DID_EXISTS";
    public const string DidNotFound = "CREDENTIALS_DID_NOT_FOUND";
    public const string DidDeactivated = "CREDENTIALS_DID_DEACTIVATED";
    public const string NotController = "CREDENTIALS_NOT_CONTROLLER";
    public const string KeyExists = "CREDENTIALS_KEY_EXISTS";
    public const string KeyNotFound = "CREDENTIALS_KEY_NOT_FOUND";
    public const string NoKeys = "CREDENTIALS_NO_KEYS";
    public const string SchemaInvalid = "CREDENTIALS_SCHEMA_INVALID";
    public const string SchemaExists = "CREDENTIALS_SCHEMA_EXISTS";
    public const string SchemaNotFound = "CREDENTIALS_SCHEMA_NOT_FOUND";
    public const string ActionInvalid = "CREDENTIALS_ACTION_INVALID";
    public const string PeriodsFull = "CREDENTIALS_PERIODS_FULL";
    public const string AlreadyAccredited = "CREDENTIALS_ALREADY_ACCREDITED";
    public const string NotAccredited = "CREDENTIALS_NOT_ACCREDITED";
    public const string ProposalNotFound = "CREDENTIALS_PROPOSAL_NOT_FOUND";
    public const string ProposalClosed = "CREDENTIALS_PROPOSAL_CLOSED";
    public const string AlreadyApproved = "CREDENTIALS_ALREADY_APPROVED";
    public const string StatusListInvalid = "CREDENTIALS_STATUS_LIST_INVALID";
    public const string StatusListExists = "CREDENTIALS_STATUS_LIST_EXISTS";
    public const string StatusListNotFound = "CREDENTIALS_STATUS_LIST_NOT_FOUND";
    public const string StatusIndexInvalid = "CREDENTIALS_STATUS_INDEX_INVALID";
    public const string StatusFinal = "CREDENTIALS_STATUS_FINAL";

    public const string VcMalformed = "CREDENTIALS_VC_MALFORMED";
    public const string VcTrustInvalid = "CREDENTIALS_VC_TRUST_INVALID";
    public const string VcDidDeactivated = "CREDENTIALS_VC_DID_DEACTIVATED";
    public const string VcIssuerKeyUnknown = "CREDENTIALS_VC_ISSUER_KEY_UNKNOWN";
    public const string VcKeyNotValid = "CREDENTIALS_VC_KEY_NOT_VALID";
    public const string VcSignatureInvalid = "CREDENTIALS_VC_SIGNATURE_INVALID";
    public const string VcDisclosureInvalid = "CREDENTIALS_VC_DISCLOSURE_INVALID";
    public const string VcSchemaMismatch = "CREDENTIALS_VC_SCHEMA_MISMATCH";
    public const string VcIssuerNotAccredited = "CREDENTIALS_VC_ISSUER_NOT_ACCREDITED";
    public const string VcNotYetValid = "CREDENTIALS_VC_NOT_YET_VALID";
    public const string VcExpired = "CREDENTIALS_VC_EXPIRED";
    public const string VcRevoked = "CREDENTIALS_VC_REVOKED";
    public const string VcSuspended = "CREDENTIALS_VC_SUSPENDED";
    public const string VcHolderBindingInvalid = "CREDENTIALS_VC_HOLDER_BINDING_INVALID";
    public const string VcNonceMismatch = "CREDENTIALS_VC_NONCE_MISMATCH";
    public const string VcAudienceMismatch = "CREDENTIALS_VC_AUDIENCE_MISMATCH";
    public const string VcClaimMissing = "CREDENTIALS_VC_CLAIM_MISSING";
}

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>
/// The credentials module's error codes (docs/ERRORS.md, "credentials"): those its operations put
/// in receipts, and those a verifier gives a presentation (<c>CRED_VC_…</c>). Every code starts
/// with <see cref="Prefix"/>.
/// </summary>
public static class CredentialsErrors
{
    public const string Prefix = "CRED_";

    public const string DidInvalid = "CRED_DID_INVALID";
    public const string DidExists = "CRED_DID_EXISTS";
    public const string DidNotFound = "CRED_DID_NOT_FOUND";
    public const string DidDeactivated = "CRED_DID_DEACTIVATED";
    public const string NotController = "CRED_NOT_CONTROLLER";
    public const string KeyExists = "CRED_KEY_EXISTS";
    public const string KeyNotFound = "CRED_KEY_NOT_FOUND";
    public const string NoKeys = "CRED_NO_KEYS";
    public const string SchemaInvalid = "CRED_SCHEMA_INVALID";
    public const string SchemaExists = "CRED_SCHEMA_EXISTS";
    public const string SchemaNotFound = "CRED_SCHEMA_NOT_FOUND";
    public const string ActionInvalid = "CRED_ACTION_INVALID";
    public const string PeriodsFull = "CRED_PERIODS_FULL";
    public const string AlreadyAccredited = "CRED_ALREADY_ACCREDITED";
    public const string NotAccredited = "CRED_NOT_ACCREDITED";
    public const string ProposalNotFound = "CRED_PROPOSAL_NOT_FOUND";
    public const string ProposalClosed = "CRED_PROPOSAL_CLOSED";
    public const string AlreadyApproved = "CRED_ALREADY_APPROVED";
    public const string StatusListInvalid = "CRED_STATUS_LIST_INVALID";
    public const string StatusListExists = "CRED_STATUS_LIST_EXISTS";
    public const string StatusListNotFound = "CRED_STATUS_LIST_NOT_FOUND";
    public const string StatusIndexInvalid = "CRED_STATUS_INDEX_INVALID";
    public const string StatusFinal = "CRED_STATUS_FINAL";

    public const string VcMalformed = "CRED_VC_MALFORMED";
    public const string VcTrustInvalid = "CRED_VC_TRUST_INVALID";
    public const string VcDidDeactivated = "CRED_VC_DID_DEACTIVATED";
    public const string VcIssuerKeyUnknown = "CRED_VC_ISSUER_KEY_UNKNOWN";
    public const string VcKeyNotValid = "CRED_VC_KEY_NOT_VALID";
    public const string VcSignatureInvalid = "CRED_VC_SIGNATURE_INVALID";
    public const string VcDisclosureInvalid = "CRED_VC_DISCLOSURE_INVALID";
    public const string VcSchemaMismatch = "CRED_VC_SCHEMA_MISMATCH";
    public const string VcIssuerNotAccredited = "CRED_VC_ISSUER_NOT_ACCREDITED";
    public const string VcNotYetValid = "CRED_VC_NOT_YET_VALID";
    public const string VcExpired = "CRED_VC_EXPIRED";
    public const string VcRevoked = "CRED_VC_REVOKED";
    public const string VcSuspended = "CRED_VC_SUSPENDED";
    public const string VcHolderBindingInvalid = "CRED_VC_HOLDER_BINDING_INVALID";
    public const string VcNonceMismatch = "CRED_VC_NONCE_MISMATCH";
    public const string VcAudienceMismatch = "CRED_VC_AUDIENCE_MISMATCH";
    public const string VcClaimMissing = "CRED_VC_CLAIM_MISSING";
}

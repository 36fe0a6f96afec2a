namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>
/// The commerce module's error codes (docs/ERRORS.md, "commerce"). Every code starts with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class CommerceErrors
{
    public const string Prefix = "COMMERCE_";

    public const string AgreementInvalid = "COMMERCE_AGREEMENT_INVALID";
    public const string AgreementExists = "COMMERCE_AGREEMENT_EXISTS";
    public const string AgreementNotFound = "COMMERCE_AGREEMENT_NOT_FOUND";
    public const string DeviceNotOwned = "COMMERCE_DEVICE_NOT_OWNED";
    public const string TooManyAgreements = "COMMERCE_TOO_MANY_AGREEMENTS";
    public const string NotOwner = "COMMERCE_NOT_OWNER";
    public const string NotCounterparty = "COMMERCE_NOT_COUNTERPARTY";
    public const string NotProposed = "COMMERCE_NOT_PROPOSED";
    public const string AgreementNotActive = "COMMERCE_AGREEMENT_NOT_ACTIVE";
    public const string AgreementPaused = "COMMERCE_AGREEMENT_PAUSED";
    public const string AgreementExpired = "COMMERCE_AGREEMENT_EXPIRED";
    public const string DeviceNotCovered = "COMMERCE_DEVICE_NOT_COVERED";
    public const string DeviceRevoked = "COMMERCE_DEVICE_REVOKED";
    public const string SkuMismatch = "COMMERCE_SKU_MISMATCH";
    public const string PriceAboveCap = "COMMERCE_PRICE_ABOVE_CAP";
    public const string QuantityExceeded = "COMMERCE_QUANTITY_EXCEEDED";
    public const string FrequencyExceeded = "COMMERCE_FREQUENCY_EXCEEDED";
    public const string BudgetExceeded = "COMMERCE_BUDGET_EXCEEDED";
    public const string AmountOverflow = "COMMERCE_AMOUNT_OVERFLOW";
    public const string OrderOpen = "COMMERCE_ORDER_OPEN";
    public const string OrderNotFound = "COMMERCE_ORDER_NOT_FOUND";
    public const string OrderState = "COMMERCE_ORDER_STATE";
    public const string NotConfirmer = "COMMERCE_NOT_CONFIRMER";
    public const string NotDue = "COMMERCE_NOT_DUE";
    public const string WrongKind = "COMMERCE_WRONG_KIND";
    public const string NotParty = "COMMERCE_NOT_PARTY";
    public const string ShareInvalid = "COMMERCE_SHARE_INVALID";
    public const string NoFault = "COMMERCE_NO_FAULT";
    public const string FaultsInvalid = "COMMERCE_FAULTS_INVALID";
    public const string NotSchemaOwner = "COMMERCE_NOT_SCHEMA_OWNER";
}

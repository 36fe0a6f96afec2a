namespace ThingLedger.Execution.Modules.Finance;

/// <summary>
/// The finance module's error codes (docs/ERRORS.md, "finance"). Every code starts with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class FinanceErrors
{
    public const string Prefix = "FINANCE_";

    public const string ReceivableInvalid = "FINANCE_RECEIVABLE_INVALID";
    public const string ReceivableExists = "FINANCE_RECEIVABLE_EXISTS";
    public const string ReceivableNotFound = "FINANCE_RECEIVABLE_NOT_FOUND";
    public const string NotBuyer = "FINANCE_NOT_BUYER";
    public const string AlreadyAcknowledged = "FINANCE_ALREADY_ACKNOWLEDGED";
    public const string NotAcknowledged = "FINANCE_NOT_ACKNOWLEDGED";
    public const string PartNotFound = "FINANCE_PART_NOT_FOUND";
    public const string NotHolder = "FINANCE_NOT_HOLDER";
    public const string SplitExceeds = "FINANCE_SPLIT_EXCEEDS";
    public const string TooManyParts = "FINANCE_TOO_MANY_PARTS";
    public const string AlreadyFinanced = "FINANCE_ALREADY_FINANCED";
    public const string OfferOpen = "FINANCE_OFFER_OPEN";
    public const string OfferInvalid = "FINANCE_OFFER_INVALID";
    public const string NoOffer = "FINANCE_NO_OFFER";
    public const string OfferExpired = "FINANCE_OFFER_EXPIRED";
    public const string NotPledgee = "FINANCE_NOT_PLEDGEE";
    public const string AlreadyPaid = "FINANCE_ALREADY_PAID";
    public const string NotDue = "FINANCE_NOT_DUE";
    public const string NotFunded = "FINANCE_NOT_FUNDED";

    public const string SalesInvalid = "FINANCE_SALES_INVALID";
    public const string LineInvalid = "FINANCE_LINE_INVALID";
    public const string LineExists = "FINANCE_LINE_EXISTS";
    public const string LineNotFound = "FINANCE_LINE_NOT_FOUND";
    public const string NoSales = "FINANCE_NO_SALES";
    public const string DrawExceeds = "FINANCE_DRAW_EXCEEDS";
    public const string RepayExceeds = "FINANCE_REPAY_EXCEEDS";
    public const string LineClosed = "FINANCE_LINE_CLOSED";
    public const string NotInDefault = "FINANCE_NOT_IN_DEFAULT";

    public const string QuoteInvalid = "FINANCE_QUOTE_INVALID";
    public const string QuoteNotFound = "FINANCE_QUOTE_NOT_FOUND";
    public const string QuoteExpired = "FINANCE_QUOTE_EXPIRED";
    public const string QuoteExceeded = "FINANCE_QUOTE_EXCEEDED";
    public const string NotQuoteTaker = "FINANCE_NOT_QUOTE_TAKER";
    public const string SwapUnfunded = "FINANCE_SWAP_UNFUNDED";

    public const string ClearingInvalid = "FINANCE_CLEARING_INVALID";
    public const string ClearingExists = "FINANCE_CLEARING_EXISTS";
    public const string ClearingNotFound = "FINANCE_CLEARING_NOT_FOUND";
    public const string ClearingClosed = "FINANCE_CLEARING_CLOSED";
    public const string ClearingOpen = "FINANCE_CLEARING_OPEN";
    public const string TooManyParticipants = "FINANCE_TOO_MANY_PARTICIPANTS";
    public const string NettingUnbalanced = "FINANCE_NETTING_UNBALANCED";
    public const string NettingMismatch = "FINANCE_NETTING_MISMATCH";
    public const string NetUnfunded = "FINANCE_NET_UNFUNDED";

    public const string AmountOverflow = "FINANCE_AMOUNT_OVERFLOW";
}

using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>
/// The tokens module's error codes (docs/ERRORS.md, "Tokens"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class TokensErrors
{
    public const string Prefix = "TOKENS_";

    [Unprefixed]
    public const string TokenExists = "TOKEN_EXISTS";

    [Unprefixed]
    public const string TokenNotFound = "TOKEN_NOT_FOUND";

    [Unprefixed]
    public const string TokenModuleIssued = "TOKEN_MODULE_ISSUED";

    [Unprefixed]
    public const string AmountZero = "AMOUNT_ZERO";

    [Unprefixed]
    public const string InsufficientBalance = "INSUFFICIENT_BALANCE";

    [Unprefixed]
    public const string MintCapExceeded = "MINT_CAP_EXCEEDED";
}

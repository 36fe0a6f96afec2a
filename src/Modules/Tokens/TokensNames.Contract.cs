namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>The tokens module's name and its operations' names, shared by the module and the SDK.</summary>
public static class TokensNames
{
    public const string ModuleName = "tokens";
    public const string Create = "create";
    public const string Mint = "mint";
    public const string TransferOp = "transfer";
    public const string Burn = "burn";
}

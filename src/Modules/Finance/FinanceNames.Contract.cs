namespace ThingLedger.Execution.Modules.Finance;

/// <summary>The finance module's name and its operations' names, shared by the module and the SDK (docs/FINANCE.md).</summary>
public static class FinanceNames
{
    public const string ModuleName = "finance";

    public const string Issue = "issue";
    public const string Acknowledge = "acknowledge";
    public const string Split = "split";
    public const string Sell = "sell";
    public const string Pledge = "pledge";
    public const string Take = "take";
    public const string Release = "release";
    public const string Pay = "pay";
    public const string Settle = "settle";

    public const string Sales = "sales";
    public const string Credit = "credit";
    public const string Draw = "draw";
    public const string Repay = "repay";
    public const string Default = "default";

    public const string Quote = "quote";
    public const string Swap = "swap";

    public const string Clearing = "clearing";
    public const string Oblige = "oblige";
    public const string Net = "net";
}

using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>The events the tokens module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class TokensEvents
{
    public static readonly EventType Created = new(TokensNames.ModuleName, "created",
        new("symbol", Topic.Token), new("org"), new("cap"));

    public static readonly EventType Minted = new(TokensNames.ModuleName, "minted",
        new("symbol", Topic.Token), new("to", Topic.Address), new("amount"));

    public static readonly EventType Transferred = new(TokensNames.ModuleName, "transferred",
        new("symbol", Topic.Token), new("from", Topic.Address), new("to", Topic.Address), new("amount"));

    public static readonly EventType Burned = new(TokensNames.ModuleName, "burned",
        new("symbol", Topic.Token), new("from", Topic.Address), new("amount"));

    public static IReadOnlyList<EventType> All { get; } = [Created, Minted, Transferred, Burned];
}

using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Contracts;

/// <summary>The events the contracts module emits, with the index topic of each attribute (docs/CONTRACTS.md "Events").</summary>
public static class ContractsEvents
{
    public static readonly EventType Proposed = new(ContractsNames.ModuleName, "proposed",
        new("proposal"), new("action"), new("contract"), new("version"), new("code"), new("by"));

    public static readonly EventType Approved = new(ContractsNames.ModuleName, "approved",
        new("proposal"), new("by"));

    public static readonly EventType Deployed = new(ContractsNames.ModuleName, "deployed",
        new("contract"), new("address", Topic.Address), new("version"), new("code"), new("proposal"));

    public static readonly EventType Upgraded = new(ContractsNames.ModuleName, "upgraded",
        new("contract"), new("address", Topic.Address), new("version"), new("code"), new("proposal"));

    public static readonly EventType Frozen = new(ContractsNames.ModuleName, "frozen",
        new("contract"), new("address", Topic.Address), new("proposal"));

    public static readonly EventType Unfrozen = new(ContractsNames.ModuleName, "unfrozen",
        new("contract"), new("address", Topic.Address), new("proposal"));

    /// <summary>One run of a method (the tx's own call, and each call a contract makes), with the gas it used (its code, its host calls and the calls it made).</summary>
    public static readonly EventType Called = new(ContractsNames.ModuleName, "called",
        new("contract"), new("address", Topic.Address), new("method"), new("caller", Topic.Address), new("depth"), new("gas"));

    /// <summary>
    /// An event a contract emitted, as its metadata declares it: each field an attribute named as
    /// declared, an address field prefixed '@' so it feeds the address index.
    /// </summary>
    public static readonly EventType Emitted = EventType.Open(ContractsNames.ModuleName, "event", ContractAbi.TopicOfField,
        new("contract"), new("address", Topic.Address), new("event"));

    /// <summary>Why a call failed (the one event of its receipt): it names the contract's address, so the failed call shows in the contract's activity.</summary>
    public static readonly EventType Reverted = new(ContractsNames.ModuleName, "reverted",
        new("contract"), new("address", Topic.Address), new("method"), new("code"), new("message"));

    public static readonly EventType Trapped = new(ContractsNames.ModuleName, "trapped",
        new("contract"), new("address", Topic.Address), new("method"), new("trap"));

    public static IReadOnlyList<EventType> All { get; } = [Proposed, Approved, Deployed, Upgraded, Frozen, Unfrozen, Called, Emitted, Reverted, Trapped];
}

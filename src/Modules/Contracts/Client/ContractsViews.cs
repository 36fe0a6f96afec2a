using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Client.Contracts;

/// <summary>A deployed contract: the version in force, its code hash, metadata, call policy and whether it is frozen.</summary>
public sealed record ContractView(
    string Name, string Address, string Version, string Code, int CodeBytes, string Description, List<ContractMethodView> Methods, List<ContractEventView> Events,
    CallPolicy Policy, List<string> PolicyOrgs, bool Frozen, uint Versions, ulong DeployedAt, ulong UpdatedAt);

/// <summary>A method: a view only reads (query it without a tx); args and returns in order, each "name: type".</summary>
public sealed record ContractMethodView(string Name, bool View, List<ContractParamView> Args, List<ContractParamView> Returns);

public sealed record ContractParamView(string Name, ContractType Type);

public sealed record ContractEventView(string Name, List<ContractParamView> Fields);

/// <summary>One enacted version: its number (first is 1), version text, code hash, the proposal and who approved it, and the height it took effect.</summary>
public sealed record ContractVersionView(uint Number, string Version, string Code, string Proposal, List<string> Approvals, ulong Height);

/// <summary>A lifecycle proposal: open until enacted (enactedAt 0 while open).</summary>
public sealed record ContractProposalView(
    string Id, ContractAction Action, string Contract, string Version, string? Code, string Proposer, ulong ProposedAt, List<string> Approvals, ulong EnactedAt,
    int Quorum, List<string> Voters);

/// <summary>One storage entry of a contract: key and value as hex, and the state key that proves it (GET /v1/state/{stateKey}?proof=true).</summary>
public sealed record ContractEntryView(string Key, string Value, string StateKey);

/// <summary>A query's request: the method, its arguments as text (decoded by the contract's metadata) or as hex, whom to run it as, and a gas limit.</summary>
public sealed record ContractQueryRequest(string Method, List<string>? Args = null, string? ArgsHex = null, string? Signer = null, ulong? GasLimit = null);

/// <summary>What a query returned: its results decoded by the metadata (name → text) and as hex, and the gas it used.</summary>
public sealed record ContractQueryView(string Contract, string Method, Dictionary<string, string> Results, string Output, ulong GasUsed, ulong Height);

using ThingLedger.Core.Verification;

namespace ThingLedger.Client.Contracts;

// The JSON contract of the node's HTTP API (camelCase on the wire). The node serialises these;
// the SDK reads them. Changing a name or meaning here is an API break.


/// <summary>Body of POST /v1/txs: one tx or a batch, each the canonical tx bytes in hex.</summary>
public sealed record SubmitRequest(string? Tx, List<string>? Txs);

public sealed record TxResultView(int Index, string? Id, string Status, string? Code, string? Message, ulong? Height);

public sealed record SubmitResponse(int Accepted, int Rejected, List<TxResultView> Results);

public sealed record EventView(string Module, string Name, Dictionary<string, string> Attributes);

public sealed record ReceiptView(string Status, string? Code, ulong Cost, List<EventView> Events);

public sealed record TxView(
    string Id, string Status, ulong? Height, int? Index, string Module, string Operation, string Signer,
    ulong Nonce, ulong ExpiryHeight, string Payload, ReceiptView? Receipt);

public sealed record AttestationView(string Validator, string Signature);

public sealed record BlockView(
    ulong Height, string Hash, string PreviousHash, ulong Timestamp, uint TxCount, string TxRoot, string ReceiptsRoot,
    string StateRoot, List<AttestationView> Certificate, List<TxView>? Txs);

public sealed record StateEntryView(string Key, bool Present, string? Value, ulong Height, ProofDocument? Proof);

public sealed record MemberView(string Address, string Org, string Roles, ulong Since);

public sealed record AccountView(string Address, ulong Nonce, MemberView? Member);

public sealed record OrgView(string Id, string Name);

public sealed record DeviceView(
    string Id, string PublicKey, string Org, string Model, string Serial, string Owner, Dictionary<string, string> Metadata,
    string Status, ulong RegisteredAt, ulong? RevokedAt, string? RevokeReason);

public sealed record TokenView(string Symbol, string Org, string Name, byte Decimals, string MintRoles, string Cap, string Supply);

public sealed record BalanceView(string Symbol, string Address, string Balance);

public sealed record Page<T>(List<T> Items, string? Next);

public sealed record StatusView(
    string ChainId, string GenesisHash, ulong Height, string HeadHash, ulong HeadTimestamp, string StateRoot,
    int PendingTxs, int StateKeys, string Validator, long CommittedTxs);

public sealed record HealthView(string Status, ulong Height, string? Fault);

/// <summary>A committed block as announced on the event stream (GET /v1/events, event "block").</summary>
public sealed record BlockEvent(ulong Height, string Hash, ulong Timestamp, int TxCount, int FailedTxs, string StateRoot);

/// <summary>An RFC 9457 problem with ThingLedger's stable error code.</summary>
public sealed record ProblemView(string? Type, string? Title, int? Status, string? Detail, string? Code, string? Id);

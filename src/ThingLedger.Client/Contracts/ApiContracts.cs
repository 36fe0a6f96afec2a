using System.Text.Json.Serialization;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;

namespace ThingLedger.Client.Contracts;

// The JSON contract of the node's HTTP API (camelCase on the wire). The node serialises these;
// the SDK reads them. Changing a name or meaning here is an API break.


/// <summary>Body of POST /v1/txs: one tx or a batch, each the canonical tx bytes in hex.</summary>
public sealed record SubmitRequest(string? Tx, List<string>? Txs);

/// <summary>
/// Where a submitted tx stands: accepted for ordering or rejected at admission (a submission's
/// answer without waiting), pending (ordered or waiting, not yet in a committed block), committed
/// (in a block, succeeded) or failed (in a block, recorded as failed with its code).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TxState>))]
public enum TxState
{
    [JsonStringEnumMemberName("accepted")]
    Accepted,
    [JsonStringEnumMemberName("rejected")]
    Rejected,
    [JsonStringEnumMemberName("pending")]
    Pending,
    [JsonStringEnumMemberName("committed")]
    Committed,
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>
/// A peer's health: healthy; ordering-unavailable while etcd cannot be reached; not-attesting while
/// it holds back its attestation of a block dated ahead of its clock; unhealthy once it has stopped.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PeerStatus>))]
public enum PeerStatus
{
    [JsonStringEnumMemberName("healthy")]
    Healthy,
    [JsonStringEnumMemberName("ordering-unavailable")]
    OrderingUnavailable,
    [JsonStringEnumMemberName("not-attesting")]
    NotAttesting,
    [JsonStringEnumMemberName("unhealthy")]
    Unhealthy,
}

public sealed record TxResultView(int Index, string? Id, TxState Status, string? Code, string? Message, ulong? Height);

public sealed record SubmitResponse(int Accepted, int Rejected, List<TxResultView> Results);

public sealed record EventView(string Module, string Name, Dictionary<string, string> Attributes);

public sealed record ReceiptView(TxStatus Status, string? Code, ulong GasUsed, List<EventView> Events);

public sealed record TxView(
    string Id, TxState Status, ulong? Height, int? Index, string Module, string Operation, string Signer,
    ulong Nonce, ulong ExpiryHeight, int Version, ulong GasLimit, string Payload, ReceiptView? Receipt);

public sealed record AttestationView(string Validator, string Signature);

public sealed record BlockView(
    ulong Height, string Hash, string PreviousHash, ulong Timestamp, uint TxCount, string TxRoot, string ReceiptsRoot,
    string StateRoot, List<AttestationView> Certificate, List<TxView>? Txs);

/// <summary>A state entry: its value in hex and, when the module that owns the key describes it, what kind of value it is and its fields.</summary>
public sealed record StateEntryView(string Key, bool Present, string? Value, ulong Height, ProofDocument? Proof, string? Kind = null, List<StateFieldView>? Decoded = null);

/// <summary>One field of a decoded state value.</summary>
public sealed record StateFieldView(string Name, string Value);

public sealed record AccountView(string Address, ulong Nonce, MemberView? Member);

public sealed record Page<T>(List<T> Items, string? Next);

public sealed record StatusView(
    string ChainId, string GenesisHash, ulong Height, string HeadHash, ulong HeadTimestamp, string StateRoot,
    int PendingTxs, int StateKeys, string Validator, long CommittedTxs);

public sealed record HealthView(PeerStatus Status, ulong Height, string? Fault);

/// <summary>A committed block as announced on the event stream (GET /v1/events, event "block").</summary>
public sealed record BlockEvent(ulong Height, string Hash, ulong Timestamp, int TxCount, int FailedTxs, string StateRoot);

/// <summary>An RFC 9457 problem with ThingLedger's stable error code.</summary>
public sealed record ProblemView(string? Type, string? Title, int? Status, string? Detail, string? Code, string? Id);

/// <summary>
/// A peer's view of finality (GET /v1/finality): its head, its highest final block, how far
/// finality lags, and whether it is healthy (<see cref="PeerStatus"/>, with the reason in Problem).
/// </summary>
public sealed record FinalityView(
    string ChainId, string Ordering, string Org, string Validator, ulong Height, ulong FinalizedHeight, ulong FinalityLag,
    int Quorum, int Validators, PeerStatus Status, string? Problem, ulong Epoch = 0);

/// <summary>One peer of a local network as `thingledger network status --json` shows it.</summary>
public sealed record NetworkPeerView(string Org, string Url, int Pid, ulong? Height, ulong? FinalizedHeight, ulong? FinalityLag, string Status, string? Problem, int? MqttPort = null);

/// <summary>One etcd member of a local network.</summary>
public sealed record NetworkEtcdView(string Name, string ClientUrl, int Pid, string State);

/// <summary>`thingledger network status --json`.</summary>
public sealed record NetworkStatusView(string ChainId, int Quorum, List<NetworkPeerView> Peers, List<NetworkEtcdView> Etcd);

/// <summary>Committed txs and accepted readings per second over one sampling interval ending at <c>Time</c> (ms).</summary>
public sealed record RatePoint(long Time, double TxPerSecond, double ReadingsPerSecond);

/// <summary>GET /v1/rates: the last ten minutes of rates, oldest first, with the head at the time of asking.</summary>
public sealed record RatesView(ulong Height, int IntervalSeconds, List<RatePoint> Points);

using ThingLedger.Core.Verification;

namespace ThingLedger.Client.Contracts;

// The JSON contract of the node's HTTP API (camelCase on the wire). The node serialises these;
// the SDK reads them. Changing a name or meaning here is an API break.


/// <summary>Body of POST /v1/txs: one tx or a batch, each the canonical tx bytes in hex.</summary>
public sealed record SubmitRequest(string? Tx, List<string>? Txs);

public sealed record TxResultView(int Index, string? Id, string Status, string? Code, string? Message, ulong? Height);

public sealed record SubmitResponse(int Accepted, int Rejected, List<TxResultView> Results);

public sealed record EventView(string Module, string Name, Dictionary<string, string> Attributes);

public sealed record ReceiptView(string Status, string? Code, ulong GasUsed, List<EventView> Events);

public sealed record TxView(
    string Id, string Status, ulong? Height, int? Index, string Module, string Operation, string Signer,
    ulong Nonce, ulong ExpiryHeight, int Version, ulong GasLimit, string Payload, ReceiptView? Receipt);

public sealed record AttestationView(string Validator, string Signature);

public sealed record BlockView(
    ulong Height, string Hash, string PreviousHash, ulong Timestamp, uint TxCount, string TxRoot, string ReceiptsRoot,
    string StateRoot, List<AttestationView> Certificate, List<TxView>? Txs);

public sealed record StateEntryView(string Key, bool Present, string? Value, ulong Height, ProofDocument? Proof);

public sealed record MemberView(string Address, string Org, string Roles, ulong Since);

public sealed record AccountView(string Address, ulong Nonce, MemberView? Member);

public sealed record OrgView(string Id, string Name);

public sealed record ValidatorView(string Org, string PublicKey);

/// <summary>A validator set and the block it certifies from; ScheduledBy is the tx that enacted it (null for genesis).</summary>
public sealed record EpochView(ulong Epoch, ulong From, int Quorum, List<ValidatorView> Validators, string? ScheduledBy);

/// <summary>A membership proposal; Status is open, enacted or expired.</summary>
public sealed record ProposalView(
    string Id, string Action, string Org, string? Name, string? Validator, uint Quorum, ulong EffectiveHeight, ulong ProposedAt,
    List<string> Approvals, string Status, ulong? Epoch);

/// <summary>GET /v1/membership: every epoch, the one in force for the next block, and the proposals.</summary>
public sealed record MembershipView(ulong Height, ulong CurrentEpoch, List<EpochView> Epochs, List<ProposalView> Proposals);

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

/// <summary>
/// A reading in JSON, mapping 1:1 onto the binary reading: values by field name, each an exact
/// decimal (a JSON number or string) with at most the field's decimals. <c>Signature</c> is set
/// for a reading signed alone and absent inside a device batch.
/// </summary>
public sealed record ReadingJson(string Device, ulong Seq, ulong Time, string Schema, Dictionary<string, System.Text.Json.JsonElement> Values, string? Signature = null);

/// <summary>A device batch in JSON: the device, its readings in order, one signature over their root.</summary>
public sealed record DeviceBatchJson(string Device, List<ReadingJson> Readings, string Signature);

/// <summary>Body of POST /v1/readings in JSON. Items are numbered readings first, then batches.</summary>
public sealed record ReadingUploadJson(List<ReadingJson>? Readings, List<DeviceBatchJson>? Batches);

/// <summary>The outcome of one reading: item number, index inside a device batch (-1 for the item itself), status, code.</summary>
public sealed record ReadingResultView(int Item, int Index, string? Device, ulong? Seq, string Status, string? Code, string? Message);

public sealed record ReadingUploadResponse(int Accepted, int Duplicates, int Rejected, List<ReadingResultView> Results);

/// <summary>
/// A stored reading with its values in decimal notation, what screening said of it (the model,
/// null when none looked; flags as CODE:score) and, once anchored, its anchor tx. Signature is the
/// reading's own; Batch, when it came in a device batch instead, is that batch's number at this
/// node (the ingest number of its first reading).
/// </summary>
public sealed record ReadingView(
    string Device, ulong Seq, ulong Time, string Schema, Dictionary<string, string> Values, ulong Ingest, string Bytes,
    string? Signature, long? Batch, string? AnchorTx, ulong? AnchorHeight)
{
    public string? Model { get; init; }

    public List<string> Flags { get; init; } = [];
}

public sealed record SchemaFieldView(string Name, string Unit, byte Decimals, string Min, string Max, bool Additive);

public sealed record SchemaView(string Id, ushort Version, string Ref, string Org, ulong Height, List<SchemaFieldView> Fields);

public sealed record TelemetryStatusView(ulong Readings, int Devices, ulong AnchoredReadings, ulong PendingReadings);

/// <summary>
/// A peer's view of finality (GET /v1/finality): its head, its highest final block, how far
/// finality lags, and whether it is healthy (status "healthy", "ordering-unavailable" while etcd
/// cannot be reached, "not-attesting" while it holds back its attestation of a block dated ahead of its clock, "unhealthy" with the reason once it has stopped).
/// </summary>
public sealed record FinalityView(
    string ChainId, string Ordering, string Org, string Validator, ulong Height, ulong FinalizedHeight, ulong FinalityLag,
    int Quorum, int Validators, string Status, string? Problem, ulong Epoch = 0);

/// <summary>One peer of a local network as `thingledger network status --json` shows it.</summary>
public sealed record NetworkPeerView(string Org, string Url, int Pid, ulong? Height, ulong? FinalizedHeight, ulong? FinalityLag, string Status, string? Problem);

/// <summary>One etcd member of a local network.</summary>
public sealed record NetworkEtcdView(string Name, string ClientUrl, int Pid, string State);

/// <summary>`thingledger network status --json`.</summary>
public sealed record NetworkStatusView(string ChainId, int Quorum, List<NetworkPeerView> Peers, List<NetworkEtcdView> Etcd);

/// <summary>Committed txs and accepted readings per second over one sampling interval ending at <c>Time</c> (ms).</summary>
public sealed record RatePoint(long Time, double TxPerSecond, double ReadingsPerSecond);

/// <summary>GET /v1/rates: the last ten minutes of rates, oldest first, with the head at the time of asking.</summary>
public sealed record RatesView(ulong Height, int IntervalSeconds, List<RatePoint> Points);

/// <summary>A screening model registered on chain: name, schema, parameters hash, owner org, height.</summary>
public sealed record ScreeningModelView(string Name, string Schema, string Parameters, string Org, ulong Height);

/// <summary>A vehicle class's baseline in grams of CO₂ per km.</summary>
public sealed record BaselineView(string VehicleClass, uint GramsPerKm);

/// <summary>A region's grid emission factor from a crediting period on.</summary>
public sealed record GridFactorView(string Region, ushort FromPeriod, uint GramsPerKwh);

/// <summary>A carbon methodology; period p covers the UTC days from <c>FirstDay + p × PeriodDays</c> (dates as yyyy-MM-dd).</summary>
public sealed record MethodologyView(
    string Id, string Name, string Schema, string Org, string VerifierOrg, string FirstDay, ushort PeriodDays, ushort Periods,
    List<BaselineView> Baselines, List<GridFactorView> GridFactors, ulong Height);

/// <summary>A claim for one vehicle and crediting period: status pending, issued or rejected; distance in metres, energy in Wh, credits in grams.</summary>
public sealed record CarbonClaimView(
    string Methodology, string Vehicle, ushort Period, string FirstDay, string LastDay, string Status, string Symbol, ulong Grams,
    string Owner, string CustodianOrg, string Claimant, string ClaimTx, ulong ClaimHeight, ulong Readings, ulong FlaggedReadings,
    long Metres, long EnergyWh, uint BaselineGramsPerKm, uint GridGramsPerKwh, string? Decider, ulong? DecisionHeight, string? Note);

/// <summary>A credit token (one methodology and vintage): grams issued, retired, and still outstanding.</summary>
public sealed record CreditView(string Symbol, string Methodology, ushort Vintage, string Issued, string Retired, string Outstanding);

/// <summary>A public retirement record: credits burned for a beneficiary, with the reason.</summary>
public sealed record RetirementView(ulong Number, string Symbol, string Grams, string Holder, string Beneficiary, string Reason, string Tx, ulong Height, ulong Timestamp);

/// <summary>`thingledger carbon registry --json`: every credit token, the issued claims behind them, their holders, and the latest retirements.</summary>
public sealed record CarbonRegistryView(List<CreditView> Credits, List<CarbonClaimView> Issuance, List<BalanceView> Holders, List<RetirementView> Retirements);

/// <summary>A limit order: side buy or sell, price in quote units per base unit, amounts in base units; status open, filled or cancelled.</summary>
public sealed record OrderView(ulong Id, string Owner, string Base, string Quote, string Side, long Price, long Amount, long Remaining, string Status, ulong Height, string Tx);

/// <summary>One price level of the book: the price, the amount left at it, and how many orders.</summary>
public sealed record BookLevelView(long Price, long Amount, int Orders);

/// <summary>A pair's order book, best prices first: bids highest first, asks lowest first.</summary>
public sealed record OrderBookView(string Base, string Quote, List<BookLevelView> Bids, List<BookLevelView> Asks);

/// <summary>One fill, at the resting order's price; taker is the side of the incoming order.</summary>
public sealed record TradeView(ulong Number, string Base, string Quote, long Price, long Amount, ulong BuyOrder, ulong SellOrder, string Buyer, string Seller,
    string Taker, ulong Height, ulong Timestamp, string Tx);

/// <summary>A reward programme: what it pays for (amounts in the token's smallest unit; 0 = off), its cap per account and period, budget left and paid.</summary>
public sealed record ProgrammeView(
    string Id, string Org, string Token, string Budget, string BudgetLeft, string Paid, ushort PeriodDays, string CapPerPeriod,
    string? UnitSchema, string? UnitField, long UnitSize, string PerUnit, string PerCleanSummary, string Onboarding, string Referral, ulong Height);

using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>What a part is offered for. Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OfferKind>))]
public enum OfferKind : byte
{
    [JsonStringEnumMemberName("none")]
    None = 0,
    [JsonStringEnumMemberName("sale")]
    Sale = 1,
    [JsonStringEnumMemberName("pledge")]
    Pledge = 2,
}

/// <summary>One step of a receivable's life. Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogKind>))]
public enum LogKind : byte
{
    [JsonStringEnumMemberName("issued")]
    Issued = 0,
    [JsonStringEnumMemberName("acknowledged")]
    Acknowledged = 1,
    [JsonStringEnumMemberName("split")]
    Split = 2,
    [JsonStringEnumMemberName("offered")]
    Offered = 3,
    [JsonStringEnumMemberName("sold")]
    Sold = 4,
    [JsonStringEnumMemberName("pledged")]
    Pledged = 5,
    [JsonStringEnumMemberName("released")]
    Released = 6,
    [JsonStringEnumMemberName("funded")]
    Funded = 7,
    [JsonStringEnumMemberName("paid")]
    Paid = 8,
}

/// <summary>Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineStatus>))]
public enum LineStatus : byte
{
    [JsonStringEnumMemberName("open")]
    Open = 0,
    [JsonStringEnumMemberName("repaid")]
    Repaid = 1,
    [JsonStringEnumMemberName("defaulted")]
    Defaulted = 2,
}

/// <summary>Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClearingStatus>))]
public enum ClearingStatus : byte
{
    [JsonStringEnumMemberName("open")]
    Open = 0,
    [JsonStringEnumMemberName("netted")]
    Netted = 1,
}

/// <summary>Stored at finance/receivable/{id}: the promise as issued, and how far it has been acknowledged, funded and paid.</summary>
public sealed record ReceivableRecord(
    Hash Id, Address Supplier, Address Buyer, string Token, UInt128 Amount, ulong DueMs, Hash Invoice, Hash[] Evidence,
    ulong AcknowledgedHeight, ushort Parts, ushort PaidParts, UInt128 Escrowed, UInt128 Paid, ulong FundedMs, Hash IssueTx, ulong Height, ulong LogCount) : ICanonical
{
    public bool Acknowledged => AcknowledgedHeight != 0;

    public bool Settled => PaidParts == Parts;

    public UInt128 Owed => Amount - Paid;

    /// <summary>Late: past its due date and not funded by then (a part paid from escrow funded late stays late).</summary>
    public bool LateAt(ulong nowMs) => nowMs > DueMs && (FundedMs == 0 || FundedMs > DueMs);

    public int EncodedLength => Hash.Size + (2 * Address.Size) + CanonicalSizes.String(Token) + 16 + 8 + Hash.Size +
        CanonicalSizes.VarUInt((ulong)Evidence.Length) + (Hash.Size * Evidence.Length) + 8 + 2 + 2 + 16 + 16 + 8 + Hash.Size + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Id);
        writer.WriteAddress(Supplier);
        writer.WriteAddress(Buyer);
        writer.WriteString(Token);
        writer.WriteU128(Amount);
        writer.WriteU64(DueMs);
        writer.WriteHash(Invoice);
        FinanceCodec.WriteHashes(ref writer, Evidence);
        writer.WriteU64(AcknowledgedHeight);
        writer.WriteU16(Parts);
        writer.WriteU16(PaidParts);
        writer.WriteU128(Escrowed);
        writer.WriteU128(Paid);
        writer.WriteU64(FundedMs);
        writer.WriteHash(IssueTx);
        writer.WriteU64(Height);
        writer.WriteU64(LogCount);
    }

    public static ReceivableRecord Read(ref SpanReader reader) => new(
        reader.ReadHash(), reader.ReadAddress(), reader.ReadAddress(), reader.ReadString(16), reader.ReadU128(), reader.ReadU64(), reader.ReadHash(),
        FinanceCodec.ReadHashes(ref reader, IssueReceivablePayload.MaxEvidence), reader.ReadU64(), reader.ReadU16(), reader.ReadU16(),
        reader.ReadU128(), reader.ReadU128(), reader.ReadU64(), reader.ReadHash(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>
/// Stored at finance/part/{id}/{n}: who holds part n and how much it is; whether it was ever sold
/// (financed), who holds a pledge over it and for what loan, the open offer, and when it was paid.
/// </summary>
public sealed record PartRecord(
    ushort Number, Address Holder, UInt128 Amount, bool Financed, Address? Pledgee, UInt128 Loan,
    OfferKind Offer, Address OfferLender, UInt128 OfferPrice, ulong OfferExpiryMs, ulong PaidMs, bool Late) : ICanonical
{
    public bool Paid => PaidMs != 0;

    /// <summary>Sold once, or under a pledge: not to be financed, pledged or split again.</summary>
    public bool Encumbered => Financed || Pledgee is not null;

    public int EncodedLength => 2 + Address.Size + 16 + 1 + 1 + (Pledgee is null ? 0 : Address.Size) + 16 + 1 + Address.Size + 16 + 8 + 8 + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU16(Number);
        writer.WriteAddress(Holder);
        writer.WriteU128(Amount);
        writer.WriteBool(Financed);
        FinanceCodec.WriteOptional(ref writer, Pledgee);
        writer.WriteU128(Loan);
        writer.WriteU8((byte)Offer);
        writer.WriteAddress(OfferLender);
        writer.WriteU128(OfferPrice);
        writer.WriteU64(OfferExpiryMs);
        writer.WriteU64(PaidMs);
        writer.WriteBool(Late);
    }

    public static PartRecord Read(ref SpanReader reader) => new(
        reader.ReadU16(), reader.ReadAddress(), reader.ReadU128(), reader.ReadBool(), FinanceCodec.ReadOptional(ref reader), reader.ReadU128(),
        (OfferKind)reader.ReadU8(), reader.ReadAddress(), reader.ReadU128(), reader.ReadU64(), reader.ReadU64(), reader.ReadBool());
}

/// <summary>Stored at finance/log/{id}/{n}: one step of a receivable's life, in order.</summary>
public sealed record LogEntry(ulong Number, LogKind Kind, ushort Part, Address From, Address To, UInt128 Amount, Hash Tx, ulong Height, ulong Timestamp) : ICanonical
{
    public int EncodedLength => 8 + 1 + 2 + (2 * Address.Size) + 16 + Hash.Size + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Number);
        writer.WriteU8((byte)Kind);
        writer.WriteU16(Part);
        writer.WriteAddress(From);
        writer.WriteAddress(To);
        writer.WriteU128(Amount);
        writer.WriteHash(Tx);
        writer.WriteU64(Height);
        writer.WriteU64(Timestamp);
    }

    public static LogEntry Read(ref SpanReader reader) => new(
        reader.ReadU64(), (LogKind)reader.ReadU8(), reader.ReadU16(), reader.ReadAddress(), reader.ReadAddress(), reader.ReadU128(),
        reader.ReadHash(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>Stored at finance/sales-source/{merchant}/{schema@version}: the additive field counted as the merchant's sales.</summary>
public sealed record SalesSourceRecord(string Field, byte SumIndex, ulong Height) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Field) + 1 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteU8(SumIndex);
        writer.WriteU64(Height);
    }

    public static SalesSourceRecord Read(ref SpanReader reader) => new(reader.ReadString(32), reader.ReadU8(), reader.ReadU64());
}

/// <summary>Stored at finance/line/{merchant}/{lender}: a credit line, its size from the score it opened with, and what is drawn and repaid.</summary>
public sealed record CreditLineRecord(
    Address Merchant, Address Lender, string Token, string Schema, ushort SchemaVersion, uint AdvanceBps, uint ShareBps,
    UInt128 Score, UInt128 Limit, UInt128 Drawn, UInt128 Repaid, ulong MaturityMs, ushort GraceDays, LineStatus Status, ulong Height, Hash Tx) : ICanonical
{
    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public UInt128 Outstanding => Drawn - Repaid;

    /// <summary>When the line is in default if anything is still outstanding.</summary>
    public ulong DefaultAfterMs => MaturityMs + ((ulong)GraceDays * 86_400_000);

    public int EncodedLength => (2 * Address.Size) + CanonicalSizes.String(Token) + CanonicalSizes.String(Schema) + 2 + 4 + 4 + (4 * 16) + 8 + 2 + 1 + 8 + Hash.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Merchant);
        writer.WriteAddress(Lender);
        writer.WriteString(Token);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteU32(AdvanceBps);
        writer.WriteU32(ShareBps);
        writer.WriteU128(Score);
        writer.WriteU128(Limit);
        writer.WriteU128(Drawn);
        writer.WriteU128(Repaid);
        writer.WriteU64(MaturityMs);
        writer.WriteU16(GraceDays);
        writer.WriteU8((byte)Status);
        writer.WriteU64(Height);
        writer.WriteHash(Tx);
    }

    public static CreditLineRecord Read(ref SpanReader reader) => new(
        reader.ReadAddress(), reader.ReadAddress(), reader.ReadString(16), reader.ReadString(32), reader.ReadU16(), reader.ReadU32(), reader.ReadU32(),
        reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU64(), reader.ReadU16(), (LineStatus)reader.ReadU8(),
        reader.ReadU64(), reader.ReadHash());
}

/// <summary>Stored at finance/quote/{n}: a market maker's quote and how much of it has been taken.</summary>
public sealed record QuoteRecord(
    ulong Number, Address Maker, string Base, string Quote, ulong Numerator, ulong Denominator, UInt128 Max, UInt128 Taken, ulong ExpiryMs,
    Address? Taker, Hash Tx, ulong Height) : ICanonical
{
    public int EncodedLength => 8 + Address.Size + CanonicalSizes.String(Base) + CanonicalSizes.String(Quote) + 8 + 8 + 16 + 16 + 8 +
        1 + (Taker is null ? 0 : Address.Size) + Hash.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Number);
        writer.WriteAddress(Maker);
        writer.WriteString(Base);
        writer.WriteString(Quote);
        writer.WriteU64(Numerator);
        writer.WriteU64(Denominator);
        writer.WriteU128(Max);
        writer.WriteU128(Taken);
        writer.WriteU64(ExpiryMs);
        FinanceCodec.WriteOptional(ref writer, Taker);
        writer.WriteHash(Tx);
        writer.WriteU64(Height);
    }

    public static QuoteRecord Read(ref SpanReader reader) => new(
        reader.ReadU64(), reader.ReadAddress(), reader.ReadString(16), reader.ReadString(16), reader.ReadU64(), reader.ReadU64(), reader.ReadU128(),
        reader.ReadU128(), reader.ReadU64(), FinanceCodec.ReadOptional(ref reader), reader.ReadHash(), reader.ReadU64());
}

/// <summary>Stored at finance/clearing/{id}: a clearing of obligations in one token, and its plan's digest once netted.</summary>
public sealed record ClearingRecord(
    string Id, string Token, ulong CutoffMs, string Org, ulong Obligations, uint Participants, UInt128 Gross, ClearingStatus Status, Hash Plan, ulong NettedHeight)
    : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Id) + CanonicalSizes.String(Token) + 8 + CanonicalSizes.String(Org) + 8 + 4 + 16 + 1 + Hash.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteString(Token);
        writer.WriteU64(CutoffMs);
        writer.WriteString(Org);
        writer.WriteU64(Obligations);
        writer.WriteU32(Participants);
        writer.WriteU128(Gross);
        writer.WriteU8((byte)Status);
        writer.WriteHash(Plan);
        writer.WriteU64(NettedHeight);
    }

    public static ClearingRecord Read(ref SpanReader reader) => new(
        reader.ReadString(64), reader.ReadString(16), reader.ReadU64(), reader.ReadString(32), reader.ReadU64(), reader.ReadU32(), reader.ReadU128(),
        (ClearingStatus)reader.ReadU8(), reader.ReadHash(), reader.ReadU64());
}

/// <summary>Stored at finance/position/{clearing}/{address}: what a participant is owed and owes in the clearing, in total.</summary>
public sealed record PositionRecord(UInt128 Credits, UInt128 Debits) : ICanonical
{
    public static PositionRecord Zero { get; } = new(UInt128.Zero, UInt128.Zero);

    public int EncodedLength => 32;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU128(Credits);
        writer.WriteU128(Debits);
    }

    public static PositionRecord Read(ref SpanReader reader) => new(reader.ReadU128(), reader.ReadU128());
}

/// <summary>Stored at finance/obligation/{clearing}/{n}: one obligation, as the debtor recorded it.</summary>
public sealed record ObligationRecord(ulong Number, Address Debtor, Address Creditor, UInt128 Amount, Hash Tx, ulong Height) : ICanonical
{
    public int EncodedLength => 8 + (2 * Address.Size) + 16 + Hash.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Number);
        writer.WriteAddress(Debtor);
        writer.WriteAddress(Creditor);
        writer.WriteU128(Amount);
        writer.WriteHash(Tx);
        writer.WriteU64(Height);
    }

    public static ObligationRecord Read(ref SpanReader reader) => new(
        reader.ReadU64(), reader.ReadAddress(), reader.ReadAddress(), reader.ReadU128(), reader.ReadHash(), reader.ReadU64());
}

/// <summary>One transfer of a netting plan.</summary>
public sealed record NetTransfer(Address From, Address To, UInt128 Amount) : ICanonical
{
    public int EncodedLength => (2 * Address.Size) + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(From);
        writer.WriteAddress(To);
        writer.WriteU128(Amount);
    }

    public static NetTransfer Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadAddress(), reader.ReadU128());
}

/// <summary>Stored at finance/settlement/{clearing}: the plan a netting executed, in order.</summary>
public sealed record SettlementRecord(NetTransfer[] Transfers) : ICanonical
{
    public const int MaxTransfers = 2 * FinanceLimits.MaxParticipants;

    public int EncodedLength => CanonicalList.Length(Transfers);

    public void Write(ref SpanWriter writer) => CanonicalList.Write(ref writer, Transfers);

    public static SettlementRecord Read(ref SpanReader reader) => new(CanonicalList.Read(ref reader, MaxTransfers, NetTransfer.Read));
}

/// <summary>The bounds execution holds the module to.</summary>
public static class FinanceLimits
{
    /// <summary>Parts one receivable may be split into.</summary>
    public const int MaxParts = 1_000;

    /// <summary>Participants one clearing may have, so netting is bounded.</summary>
    public const int MaxParticipants = 10_000;

    /// <summary>Basis points in a whole.</summary>
    public const uint WholeBps = 10_000;

    /// <summary>Days of sales a credit line's score counts.</summary>
    public const uint ScoreDays = 30;
}

/// <summary>Stored at finance/lenders/{merchant}: the lenders with a line to the merchant, in the order they opened it.</summary>
public sealed record LendersRecord(Address[] Lenders) : ICanonical
{
    public const int MaxLenders = 16;

    public static LendersRecord Empty { get; } = new([]);

    public int EncodedLength => CanonicalSizes.VarUInt((ulong)Lenders.Length) + (Address.Size * Lenders.Length);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteVarUInt((ulong)Lenders.Length);
        foreach (var lender in Lenders)
        {
            writer.WriteAddress(lender);
        }
    }

    public static LendersRecord Read(ref SpanReader reader)
    {
        var lenders = new Address[reader.ReadCount(MaxLenders)];
        for (var i = 0; i < lenders.Length && reader.Ok; i++)
        {
            lenders[i] = reader.ReadAddress();
        }
        return new LendersRecord(lenders);
    }
}

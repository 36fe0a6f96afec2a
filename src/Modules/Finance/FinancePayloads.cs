using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>Payload of finance "issue": the supplier's receivable against a buyer (docs/FINANCE.md "Receivables").</summary>
public sealed record IssueReceivablePayload(Address Buyer, string Token, UInt128 Amount, ulong DueMs, Hash Invoice, Hash[] Evidence) : ICanonical
{
    public const int MaxEvidence = 8;

    public int EncodedLength => Address.Size + CanonicalSizes.String(Token) + 16 + 8 + Hash.Size +
        CanonicalSizes.VarUInt((ulong)Evidence.Length) + (Hash.Size * Evidence.Length);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Buyer);
        writer.WriteString(Token);
        writer.WriteU128(Amount);
        writer.WriteU64(DueMs);
        writer.WriteHash(Invoice);
        FinanceCodec.WriteHashes(ref writer, Evidence);
    }

    public static IssueReceivablePayload Read(ref SpanReader reader) => new(
        reader.ReadAddress(), reader.ReadString(16), reader.ReadU128(), reader.ReadU64(), reader.ReadHash(), FinanceCodec.ReadHashes(ref reader, MaxEvidence));
}

/// <summary>Payload of finance "acknowledge", "pay" and "settle": the receivable they act on.</summary>
public sealed record ReceivablePayload(Hash Receivable) : ICanonical
{
    public int EncodedLength => Hash.Size;

    public void Write(ref SpanWriter writer) => writer.WriteHash(Receivable);

    public static ReceivablePayload Read(ref SpanReader reader) => new(reader.ReadHash());
}

/// <summary>Payload of finance "split": <paramref name="Amount"/> of part <paramref name="Part"/> passed to <paramref name="To"/>.</summary>
public sealed record SplitPayload(Hash Receivable, ushort Part, Address To, UInt128 Amount) : ICanonical
{
    public int EncodedLength => Hash.Size + 2 + Address.Size + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Receivable);
        writer.WriteU16(Part);
        writer.WriteAddress(To);
        writer.WriteU128(Amount);
    }

    public static SplitPayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadU16(), reader.ReadAddress(), reader.ReadU128());
}

/// <summary>
/// Payload of finance "sell" and "pledge": the holder offers a part to one lender, for a price
/// (sale) or a loan (pledge), until <paramref name="ExpiryMs"/>.
/// </summary>
public sealed record OfferPayload(Hash Receivable, ushort Part, Address Lender, UInt128 Price, ulong ExpiryMs) : ICanonical
{
    public int EncodedLength => Hash.Size + 2 + Address.Size + 16 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Receivable);
        writer.WriteU16(Part);
        writer.WriteAddress(Lender);
        writer.WriteU128(Price);
        writer.WriteU64(ExpiryMs);
    }

    public static OfferPayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadU16(), reader.ReadAddress(), reader.ReadU128(), reader.ReadU64());
}

/// <summary>Payload of finance "take" and "release": one part of a receivable.</summary>
public sealed record PartPayload(Hash Receivable, ushort Part) : ICanonical
{
    public int EncodedLength => Hash.Size + 2;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Receivable);
        writer.WriteU16(Part);
    }

    public static PartPayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadU16());
}

/// <summary>Payload of finance "sales": the merchant counts its devices' anchored readings of a schema's additive field as sales.</summary>
public sealed record SalesSourcePayload(string Schema, ushort SchemaVersion, string Field) : ICanonical
{
    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public int EncodedLength => CanonicalSizes.String(Schema) + 2 + CanonicalSizes.String(Field);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteString(Field);
    }

    public static SalesSourcePayload Read(ref SpanReader reader) => new(reader.ReadString(32), reader.ReadU16(), reader.ReadString(32));
}

/// <summary>Payload of finance "credit": a lender's credit line to a merchant, sized by its verified sales.</summary>
public sealed record CreditLinePayload(Address Merchant, string Token, string Schema, ushort SchemaVersion, uint AdvanceBps, uint ShareBps, ulong MaturityMs, ushort GraceDays)
    : ICanonical
{
    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public int EncodedLength => Address.Size + CanonicalSizes.String(Token) + CanonicalSizes.String(Schema) + 2 + 4 + 4 + 8 + 2;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Merchant);
        writer.WriteString(Token);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteU32(AdvanceBps);
        writer.WriteU32(ShareBps);
        writer.WriteU64(MaturityMs);
        writer.WriteU16(GraceDays);
    }

    public static CreditLinePayload Read(ref SpanReader reader) => new(
        reader.ReadAddress(), reader.ReadString(16), reader.ReadString(32), reader.ReadU16(), reader.ReadU32(), reader.ReadU32(), reader.ReadU64(), reader.ReadU16());
}

/// <summary>Payload of finance "draw" and "repay", signed by the merchant: an amount on its line with <paramref name="Lender"/>.</summary>
public sealed record LineAmountPayload(Address Lender, UInt128 Amount) : ICanonical
{
    public int EncodedLength => Address.Size + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Lender);
        writer.WriteU128(Amount);
    }

    public static LineAmountPayload Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadU128());
}

/// <summary>Payload of finance "default": the line of <paramref name="Merchant"/> with <paramref name="Lender"/>.</summary>
public sealed record LinePayload(Address Merchant, Address Lender) : ICanonical
{
    public int EncodedLength => Address.Size * 2;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Merchant);
        writer.WriteAddress(Lender);
    }

    public static LinePayload Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadAddress());
}

/// <summary>
/// Payload of finance "quote": the maker takes up to <paramref name="Max"/> units of <paramref name="Base"/>
/// and pays ⌊amount × <paramref name="Numerator"/> / <paramref name="Denominator"/>⌋ units of
/// <paramref name="Quote"/> for them, until <paramref name="ExpiryMs"/>; to <paramref name="Taker"/> only, when given.
/// </summary>
public sealed record QuotePayload(string Base, string Quote, ulong Numerator, ulong Denominator, UInt128 Max, ulong ExpiryMs, Address? Taker) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Base) + CanonicalSizes.String(Quote) + 8 + 8 + 16 + 8 + 1 + (Taker is null ? 0 : Address.Size);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Base);
        writer.WriteString(Quote);
        writer.WriteU64(Numerator);
        writer.WriteU64(Denominator);
        writer.WriteU128(Max);
        writer.WriteU64(ExpiryMs);
        FinanceCodec.WriteOptional(ref writer, Taker);
    }

    public static QuotePayload Read(ref SpanReader reader) => new(
        reader.ReadString(16), reader.ReadString(16), reader.ReadU64(), reader.ReadU64(), reader.ReadU128(), reader.ReadU64(), FinanceCodec.ReadOptional(ref reader));
}

/// <summary>Payload of finance "swap": the taker gives <paramref name="Amount"/> base units against quote <paramref name="Quote"/>.</summary>
public sealed record SwapPayload(ulong Quote, UInt128 Amount) : ICanonical
{
    public int EncodedLength => 8 + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Quote);
        writer.WriteU128(Amount);
    }

    public static SwapPayload Read(ref SpanReader reader) => new(reader.ReadU64(), reader.ReadU128());
}

/// <summary>Payload of finance "clearing": a clearing of obligations in one token, open until <paramref name="CutoffMs"/>.</summary>
public sealed record ClearingPayload(string Id, string Token, ulong CutoffMs) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Id) + CanonicalSizes.String(Token) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteString(Token);
        writer.WriteU64(CutoffMs);
    }

    public static ClearingPayload Read(ref SpanReader reader) => new(reader.ReadString(64), reader.ReadString(16), reader.ReadU64());
}

/// <summary>Payload of finance "oblige", signed by the debtor: it owes <paramref name="Creditor"/> <paramref name="Amount"/> in the clearing.</summary>
public sealed record ObligePayload(string Clearing, Address Creditor, UInt128 Amount) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Clearing) + Address.Size + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Clearing);
        writer.WriteAddress(Creditor);
        writer.WriteU128(Amount);
    }

    public static ObligePayload Read(ref SpanReader reader) => new(reader.ReadString(64), reader.ReadAddress(), reader.ReadU128());
}

/// <summary>Payload of finance "net": settle the clearing by the plan whose digest the sender computed (docs/FINANCE.md "Multilateral netting").</summary>
public sealed record NetPayload(string Clearing, Hash Plan) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Clearing) + Hash.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Clearing);
        writer.WriteHash(Plan);
    }

    public static NetPayload Read(ref SpanReader reader) => new(reader.ReadString(64), reader.ReadHash());
}

/// <summary>The encodings the finance payloads and records share.</summary>
public static class FinanceCodec
{
    public static void WriteHashes(ref SpanWriter writer, Hash[] hashes)
    {
        writer.WriteVarUInt((ulong)hashes.Length);
        foreach (var hash in hashes)
        {
            writer.WriteHash(hash);
        }
    }

    public static Hash[] ReadHashes(ref SpanReader reader, int max)
    {
        var hashes = new Hash[reader.ReadCount(max)];
        for (var i = 0; i < hashes.Length && reader.Ok; i++)
        {
            hashes[i] = reader.ReadHash();
        }
        return hashes;
    }

    /// <summary>u8 0, or u8 1 ‖ address.</summary>
    public static void WriteOptional(ref SpanWriter writer, Address? address)
    {
        writer.WriteBool(address is not null);
        if (address is { } a)
        {
            writer.WriteAddress(a);
        }
    }

    public static Address? ReadOptional(ref SpanReader reader) => reader.ReadBool() ? reader.ReadAddress() : null;
}

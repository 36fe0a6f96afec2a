using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>Payload of tokens "create". Amounts are integers in the smallest unit; a cap of 0 means none.</summary>
public sealed record CreateTokenPayload(string Symbol, string Name, byte Decimals, Roles MintRoles, UInt128 Cap) : ICanonical
{
    public const byte MaxDecimals = 18;

    public int EncodedLength => CanonicalSizes.String(Symbol) + CanonicalSizes.String(Name) + 1 + 1 + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Symbol);
        writer.WriteString(Name);
        writer.WriteU8(Decimals);
        writer.WriteU8((byte)MintRoles);
        writer.WriteU128(Cap);
    }

    public static CreateTokenPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(16), reader.ReadString(512), reader.ReadU8(), (Roles)reader.ReadU8(), reader.ReadU128());
}

/// <summary>Payload of tokens "mint" and "transfer": an amount of a token for an address.</summary>
public sealed record TokenAmountPayload(string Symbol, Address To, UInt128 Amount) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Symbol) + Address.Size + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Symbol);
        writer.WriteAddress(To);
        writer.WriteU128(Amount);
    }

    public static TokenAmountPayload Read(ref SpanReader reader) => new(reader.ReadString(16), reader.ReadAddress(), reader.ReadU128());
}

/// <summary>Payload of tokens "burn": destroys an amount of the signer's own balance.</summary>
public sealed record BurnPayload(string Symbol, UInt128 Amount) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Symbol) + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Symbol);
        writer.WriteU128(Amount);
    }

    public static BurnPayload Read(ref SpanReader reader) => new(reader.ReadString(16), reader.ReadU128());
}

/// <summary>Stored at tokens/token/{symbol}.</summary>
public sealed record TokenRecord(string Org, string Name, byte Decimals, Roles MintRoles, UInt128 Cap, UInt128 Supply) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Org) + CanonicalSizes.String(Name) + 1 + 1 + 16 + 16;

    /// <summary>A token with no mint roles is issued and destroyed only by the module that created it (through the token ledger, ITokenLedger).</summary>
    public bool IsModuleIssued => MintRoles == Roles.None;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Org);
        writer.WriteString(Name);
        writer.WriteU8(Decimals);
        writer.WriteU8((byte)MintRoles);
        writer.WriteU128(Cap);
        writer.WriteU128(Supply);
    }

    public static TokenRecord Read(ref SpanReader reader) =>
        new(reader.ReadString(64), reader.ReadString(512), reader.ReadU8(), (Roles)reader.ReadU8(), reader.ReadU128(), reader.ReadU128());
}

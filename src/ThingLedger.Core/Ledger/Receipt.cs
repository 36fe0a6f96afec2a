using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

[JsonConverter(typeof(JsonStringEnumConverter<TxStatus>))]
public enum TxStatus : byte
{
    [JsonStringEnumMemberName("success")]
    Success = 0,
    [JsonStringEnumMemberName("failed")]
    Failed = 1,
}

/// <summary>A named attribute of an event, as text so explorers and clients read it directly.</summary>
public readonly record struct EventAttribute(string Key, string Value);

/// <summary>Something a module reports about a transaction it executed.</summary>
public sealed record LedgerEvent(string Module, string Name, EventAttribute[] Attributes) : ICanonical
{
    public const int MaxAttributes = 32;
    public const int MaxValueBytes = 1024;

    public int EncodedLength
    {
        get
        {
            var size = CanonicalSizes.String(Module) + CanonicalSizes.String(Name) + CanonicalSizes.VarUInt((ulong)Attributes.Length);
            foreach (var attribute in Attributes)
            {
                size += CanonicalSizes.String(attribute.Key) + CanonicalSizes.String(attribute.Value);
            }
            return size;
        }
    }

    public string? this[string key] => Array.Find(Attributes, a => a.Key == key).Value;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Module);
        writer.WriteString(Name);
        writer.WriteVarUInt((ulong)Attributes.Length);
        foreach (var attribute in Attributes)
        {
            writer.WriteString(attribute.Key);
            writer.WriteString(attribute.Value);
        }
    }

    public static LedgerEvent Read(ref SpanReader reader)
    {
        var module = reader.ReadString(Transaction.MaxNameBytes);
        var name = reader.ReadString(Transaction.MaxNameBytes);
        var count = reader.ReadCount(MaxAttributes);
        var attributes = new EventAttribute[reader.Ok ? count : 0];
        for (var i = 0; i < attributes.Length; i++)
        {
            attributes[i] = new EventAttribute(reader.ReadString(Transaction.MaxNameBytes), reader.ReadString(MaxValueBytes));
        }
        return new LedgerEvent(module, name, attributes);
    }

    public bool Equals(LedgerEvent? other) =>
        other is not null && Module == other.Module && Name == other.Name && Attributes.AsSpan().SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Module, Name, Attributes.Length);
}

/// <summary>The outcome of one transaction: status, stable error code, events and execution cost.</summary>
public sealed record Receipt(Hash TxId, TxStatus Status, string ErrorCode, ulong GasUsed, LedgerEvent[] Events) : ICanonical
{
    public const byte CurrentVersion = 1;
    /// <summary>
    /// The most events one receipt holds. An anchor's observers emit per device summary (an order,
    /// a skipped reward), so this is sized for a full anchor: every module observing every summary.
    /// </summary>
    public const int MaxEvents = 16_384;
    public const int MaxErrorCodeBytes = 64;

    public bool Succeeded => Status == TxStatus.Success;

    public int EncodedLength
    {
        get
        {
            var size = 1 + Hash.Size + 1 + CanonicalSizes.String(ErrorCode) + 8 + CanonicalSizes.VarUInt((ulong)Events.Length);
            foreach (var e in Events)
            {
                size += e.EncodedLength;
            }
            return size;
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8(CurrentVersion);
        writer.WriteHash(TxId);
        writer.WriteU8((byte)Status);
        writer.WriteString(ErrorCode);
        writer.WriteU64(GasUsed);
        writer.WriteVarUInt((ulong)Events.Length);
        foreach (var e in Events)
        {
            e.Write(ref writer);
        }
    }

    private byte[]? _encoded;

    /// <summary>Copies for `with` expressions: the copy must encode its own fields, not reuse these bytes.</summary>
    private Receipt(Receipt original)
    {
        TxId = original.TxId;
        Status = original.Status;
        ErrorCode = original.ErrorCode;
        GasUsed = original.GasUsed;
        Events = original.Events;
    }

    /// <summary>The canonical bytes, encoded once and shared: read-only.</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded ??= Canonical.Encode(this);

    /// <summary>A fresh copy of the canonical bytes.</summary>
    public byte[] Encode() => Encoded.ToArray();

    public static CodecError TryDecode(ReadOnlySpan<byte> bytes, out Receipt? receipt)
    {
        var reader = new SpanReader(bytes);
        if (reader.ReadU8() != CurrentVersion)
        {
            reader.Fail(CodecError.UnknownVersion);
        }
        var txId = reader.ReadHash();
        var status = reader.ReadU8();
        if (status > (byte)TxStatus.Failed)
        {
            reader.Fail(CodecError.InvalidValue);
        }
        var code = reader.ReadString(MaxErrorCodeBytes);
        var cost = reader.ReadU64();
        var count = reader.ReadCount(MaxEvents);
        var events = new LedgerEvent[reader.Ok ? count : 0];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = LedgerEvent.Read(ref reader);
        }
        var error = reader.Finish();
        receipt = error == CodecError.None ? new Receipt(txId, (TxStatus)status, code, cost, events) : null;
        return error;
    }

    public bool Equals(Receipt? other) =>
        other is not null && TxId == other.TxId && Status == other.Status && ErrorCode == other.ErrorCode &&
        GasUsed == other.GasUsed && Events.AsSpan().SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(TxId, Status, ErrorCode, GasUsed);
}

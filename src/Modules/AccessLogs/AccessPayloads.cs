using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.AccessLogs;

/// <summary>Payload of access "record": an entry of the signer's own access log — its kind and the commitment to what it records (hash only).</summary>
public sealed record AccessRecordPayload(string Kind, Hash Commitment) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Kind) + Hash.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Kind);
        writer.WriteHash(Commitment);
    }

    public static AccessRecordPayload Read(ref SpanReader reader) => new(reader.ReadString(AccessCommitments.MaxKindLength), reader.ReadHash());
}

/// <summary>Stored at access/entry/{subject}/{n:10 digits}: an entry of a subject's access log, who recorded it, and when (Unix ms, height).</summary>
public sealed record AccessEntry(string Kind, Hash Commitment, Address RecordedBy, ulong Time, ulong Height) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Kind) + Hash.Size + Address.Size + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Kind);
        writer.WriteHash(Commitment);
        writer.WriteAddress(RecordedBy);
        writer.WriteU64(Time);
        writer.WriteU64(Height);
    }

    public static AccessEntry Read(ref SpanReader reader) =>
        new(reader.ReadString(AccessCommitments.MaxKindLength), reader.ReadHash(), reader.ReadAddress(), reader.ReadU64(), reader.ReadU64());
}

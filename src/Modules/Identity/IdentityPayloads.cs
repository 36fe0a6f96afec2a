using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Identity;

/// <summary>Payload of identity "add-member" and "update-member": who, in which organisation, with which roles.</summary>
public sealed record MemberRolesPayload(string Org, Address Member, Roles Roles) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Org) + Address.Size + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Org);
        writer.WriteAddress(Member);
        writer.WriteU8((byte)Roles);
    }

    public static MemberRolesPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(Transaction.MaxNameBytes), reader.ReadAddress(), (Roles)reader.ReadU8());
}

/// <summary>Payload of identity "remove-member".</summary>
public sealed record RemoveMemberPayload(string Org, Address Member) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Org) + Address.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Org);
        writer.WriteAddress(Member);
    }

    public static RemoveMemberPayload Read(ref SpanReader reader) => new(reader.ReadString(Transaction.MaxNameBytes), reader.ReadAddress());
}

/// <summary>Stored at identity/org/{id}.</summary>
public sealed record OrgRecord(string Name) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Name);

    public void Write(ref SpanWriter writer) => writer.WriteString(Name);

    public static OrgRecord Read(ref SpanReader reader) => new(reader.ReadString(512));
}

/// <summary>Stored at identity/member/{address}.</summary>
public sealed record MemberRecord(string Org, Roles Roles, ulong Since) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Org) + 1 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Org);
        writer.WriteU8((byte)Roles);
        writer.WriteU64(Since);
    }

    public static MemberRecord Read(ref SpanReader reader) => new(reader.ReadString(Transaction.MaxNameBytes), (Roles)reader.ReadU8(), reader.ReadU64());
}

using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>What a DID's verification method may be used for. Stored on chain: never renumber.</summary>
[Flags]
public enum DidPurposes : byte
{
    None = 0,
    Authentication = 1,
    AssertionMethod = 2,
    All = Authentication | AssertionMethod,
}

/// <summary>A verification method of a DID: its fragment (<c>#key-1</c> without '#'), its P-256 key, its purposes.</summary>
public sealed record DidMethod(string Fragment, PublicKey Key, DidPurposes Purposes) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Fragment) + PublicKey.Size + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Fragment);
        writer.WritePublicKey(Key);
        writer.WriteU8((byte)Purposes);
    }

    public static DidMethod Read(ref SpanReader reader) =>
        new(reader.ReadString(CredentialRules.MaxFragmentLength), reader.ReadPublicKey()!, (DidPurposes)reader.ReadU8());
}

/// <summary>A service of a DID document: its fragment, its type (e.g. LinkedDomains), its endpoint URL.</summary>
public sealed record DidService(string Fragment, string Type, string Endpoint) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Fragment) + CanonicalSizes.String(Type) + CanonicalSizes.String(Endpoint);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Fragment);
        writer.WriteString(Type);
        writer.WriteString(Endpoint);
    }

    public static DidService Read(ref SpanReader reader) =>
        new(reader.ReadString(CredentialRules.MaxFragmentLength), reader.ReadString(CredentialRules.MaxServiceTypeLength), reader.ReadString(CredentialRules.MaxEndpointLength));
}

/// <summary>Payload of credentials "did-create": the DID is the signer's address. No controllers means the signer's address alone.</summary>
public sealed record DidCreatePayload(DidMethod[] Methods, DidService[] Services, Address[] Controllers) : ICanonical
{
    public int EncodedLength => CanonicalList.Length(Methods) + CanonicalList.Length(Services) + CanonicalLists.AddressesLength(Controllers);

    public void Write(ref SpanWriter writer)
    {
        CanonicalList.Write(ref writer, Methods);
        CanonicalList.Write(ref writer, Services);
        CanonicalLists.WriteAddresses(ref writer, Controllers);
    }

    public static DidCreatePayload Read(ref SpanReader reader) => new(
        CanonicalList.Read(ref reader, CredentialRules.MaxMethods, DidMethod.Read),
        CanonicalList.Read(ref reader, CredentialRules.MaxServices, DidService.Read),
        CanonicalLists.ReadAddresses(ref reader, CredentialRules.MaxControllers));
}

/// <summary>
/// Payload of credentials "did-update", signed by a current controller: methods to add, fragments
/// to remove, and — when <see cref="ReplaceServices"/> — the new services; controllers, when any, replace the current ones.
/// </summary>
public sealed record DidUpdatePayload(Address Did, DidMethod[] Add, string[] Remove, bool ReplaceServices, DidService[] Services, Address[] Controllers) : ICanonical
{
    public int EncodedLength => Address.Size + CanonicalList.Length(Add) + CanonicalLists.StringsLength(Remove) + 1 + CanonicalList.Length(Services) + CanonicalLists.AddressesLength(Controllers);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Did);
        CanonicalList.Write(ref writer, Add);
        CanonicalLists.WriteStrings(ref writer, Remove);
        writer.WriteBool(ReplaceServices);
        CanonicalList.Write(ref writer, Services);
        CanonicalLists.WriteAddresses(ref writer, Controllers);
    }

    public static DidUpdatePayload Read(ref SpanReader reader) => new(
        reader.ReadAddress(),
        CanonicalList.Read(ref reader, CredentialRules.MaxMethods, DidMethod.Read),
        CanonicalLists.ReadStrings(ref reader, CredentialRules.MaxMethods, CredentialRules.MaxFragmentLength),
        reader.ReadBool(),
        CanonicalList.Read(ref reader, CredentialRules.MaxServices, DidService.Read),
        CanonicalLists.ReadAddresses(ref reader, CredentialRules.MaxControllers));
}

/// <summary>Payload of credentials "did-deactivate".</summary>
public sealed record DidPayload(Address Did) : ICanonical
{
    public int EncodedLength => Address.Size;

    public void Write(ref SpanWriter writer) => writer.WriteAddress(Did);

    public static DidPayload Read(ref SpanReader reader) => new(reader.ReadAddress());
}

/// <summary>
/// Stored at credentials/did/{address}: controllers, services, every fragment ever used for a
/// method (in the order added; the methods themselves are at credentials/did-key/…), the times
/// it was created and last updated, and when it was deactivated (0 while active). Times are block timestamps (Unix ms).
/// </summary>
public sealed record DidRecord(Address[] Controllers, DidService[] Services, string[] Fragments, ulong Created, ulong Updated, ulong Deactivated, uint Version) : ICanonical
{
    public bool Active => Deactivated == 0;

    public int EncodedLength => CanonicalLists.AddressesLength(Controllers) + CanonicalList.Length(Services) + CanonicalLists.StringsLength(Fragments) + 8 + 8 + 8 + 4;

    public void Write(ref SpanWriter writer)
    {
        CanonicalLists.WriteAddresses(ref writer, Controllers);
        CanonicalList.Write(ref writer, Services);
        CanonicalLists.WriteStrings(ref writer, Fragments);
        writer.WriteU64(Created);
        writer.WriteU64(Updated);
        writer.WriteU64(Deactivated);
        writer.WriteU32(Version);
    }

    public static DidRecord Read(ref SpanReader reader) => new(
        CanonicalLists.ReadAddresses(ref reader, CredentialRules.MaxControllers),
        CanonicalList.Read(ref reader, CredentialRules.MaxServices, DidService.Read),
        CanonicalLists.ReadStrings(ref reader, CredentialRules.MaxFragmentsEver, CredentialRules.MaxFragmentLength),
        reader.ReadU64(), reader.ReadU64(), reader.ReadU64(), reader.ReadU32());
}

/// <summary>Stored at credentials/did-key/{address}/{fragment}: a method, when it was added (time, height) and removed (0 while current).</summary>
public sealed record DidKeyRecord(PublicKey Key, DidPurposes Purposes, ulong Added, ulong AddedHeight, ulong Removed) : ICanonical
{
    public bool Current => Removed == 0;

    /// <summary>Whether the key was in the document at <paramref name="unixMs"/>: added at or before it, removed (if ever) after it.</summary>
    public bool ValidAt(ulong unixMs) => Added <= unixMs && (Removed == 0 || unixMs < Removed);

    /// <summary>Whether the key was in the document at some time of [<paramref name="from"/>, <paramref name="until"/>): a JWT's iat names a whole second.</summary>
    public bool ValidDuring(ulong from, ulong until) => Added < until && (Removed == 0 || from < Removed);

    public int EncodedLength => PublicKey.Size + 1 + 8 + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WritePublicKey(Key);
        writer.WriteU8((byte)Purposes);
        writer.WriteU64(Added);
        writer.WriteU64(AddedHeight);
        writer.WriteU64(Removed);
    }

    public static DidKeyRecord Read(ref SpanReader reader) =>
        new(reader.ReadPublicKey()!, (DidPurposes)reader.ReadU8(), reader.ReadU64(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>A claim of a credential schema: its name, and whether it is disclosable (its own SD-JWT disclosure) or fixed (always visible).</summary>
public sealed record SchemaClaim(string Name, bool Disclosable) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Name) + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteBool(Disclosable);
    }

    public static SchemaClaim Read(ref SpanReader reader) => new(reader.ReadString(CredentialRules.MaxClaimNameLength), reader.ReadBool());
}

/// <summary>Payload of credentials "schema": a credential type, a title for people, and its claims.</summary>
public sealed record SchemaPayload(string Type, string Title, SchemaClaim[] Claims) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Type) + CanonicalSizes.String(Title) + CanonicalList.Length(Claims);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Type);
        writer.WriteString(Title);
        CanonicalList.Write(ref writer, Claims);
    }

    public static SchemaPayload Read(ref SpanReader reader) => new(
        reader.ReadString(CredentialRules.MaxTypeLength), reader.ReadString(CredentialRules.MaxTitleLength),
        CanonicalList.Read(ref reader, CredentialRules.MaxClaims, SchemaClaim.Read));

    public SchemaClaim? Claim(string name) => Array.Find(Claims, c => c.Name == name);
}

/// <summary>Stored at credentials/schema/{type}: the schema, the organisation that registered it, and when (Unix ms).</summary>
public sealed record SchemaRecord(SchemaPayload Schema, string Org, ulong Registered) : ICanonical
{
    public int EncodedLength => Schema.EncodedLength + CanonicalSizes.String(Org) + 8;

    public void Write(ref SpanWriter writer)
    {
        Schema.Write(ref writer);
        writer.WriteString(Org);
        writer.WriteU64(Registered);
    }

    public static SchemaRecord Read(ref SpanReader reader) =>
        new(SchemaPayload.Read(ref reader), reader.ReadString(Core.Ledger.Transaction.MaxNameBytes), reader.ReadU64());
}

/// <summary>What an accreditation proposal does. Stored on chain: never renumber.</summary>
public enum AccreditAction : byte
{
    Accredit = 1,
    Withdraw = 2,
}

/// <summary>Payload of credentials "accredit": accredit the issuer DID (its address) for a type, or withdraw that.</summary>
public sealed record AccreditPayload(AccreditAction Action, Address Issuer, string Type) : ICanonical
{
    public int EncodedLength => 1 + Address.Size + CanonicalSizes.String(Type);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8((byte)Action);
        writer.WriteAddress(Issuer);
        writer.WriteString(Type);
    }

    public static AccreditPayload Read(ref SpanReader reader) =>
        new((AccreditAction)reader.ReadU8(), reader.ReadAddress(), reader.ReadString(CredentialRules.MaxTypeLength));

    public static string ActionName(AccreditAction action) => action switch
    {
        AccreditAction.Accredit => "accredit",
        AccreditAction.Withdraw => "withdraw",
        _ => $"unknown ({(byte)action})",
    };
}

/// <summary>Payload of credentials "approve-accreditation": the proposal's id (the id of the tx that proposed it).</summary>
public sealed record ApproveAccreditationPayload(Hash Proposal) : ICanonical
{
    public int EncodedLength => Hash.Size;

    public void Write(ref SpanWriter writer) => writer.WriteHash(Proposal);

    public static ApproveAccreditationPayload Read(ref SpanReader reader) => new(reader.ReadHash());
}

/// <summary>Stored at credentials/proposal/{id}: the proposal, who proposed it at which height, the approving organisations (sorted), and the height it was enacted at (0 while open).</summary>
public sealed record AccreditationProposalRecord(AccreditPayload Proposal, Address Proposer, ulong ProposedAt, string[] Approvals, ulong EnactedAt) : ICanonical
{
    public bool Enacted => EnactedAt != 0;

    public int EncodedLength => Proposal.EncodedLength + Address.Size + 8 + CanonicalLists.StringsLength(Approvals) + 8;

    public void Write(ref SpanWriter writer)
    {
        Proposal.Write(ref writer);
        writer.WriteAddress(Proposer);
        writer.WriteU64(ProposedAt);
        CanonicalLists.WriteStrings(ref writer, Approvals);
        writer.WriteU64(EnactedAt);
    }

    public static AccreditationProposalRecord Read(ref SpanReader reader) => new(
        AccreditPayload.Read(ref reader), reader.ReadAddress(), reader.ReadU64(),
        CanonicalLists.ReadStrings(ref reader, Core.Ledger.ValidatorSet.MaxValidators, Core.Ledger.Transaction.MaxNameBytes), reader.ReadU64());
}

/// <summary>A period an issuer was accredited for a type: [From, Until) in Unix ms; Until 0 while open.</summary>
public readonly record struct AccreditationPeriod(ulong From, ulong Until)
{
    public bool Covers(ulong unixMs) => From <= unixMs && (Until == 0 || unixMs < Until);
}

/// <summary>Stored at credentials/accreditation/{issuer}/{type}: every accredited period, oldest first; the last is open while accredited.</summary>
public sealed record AccreditationRecord(AccreditationPeriod[] Periods) : ICanonical
{
    public bool Open => Periods.Length > 0 && Periods[^1].Until == 0;

    public bool Covers(ulong unixMs) => Array.Exists(Periods, p => p.Covers(unixMs));

    /// <summary>Whether a period covers some time of [<paramref name="from"/>, <paramref name="until"/>): a JWT's iat names a whole second.</summary>
    public bool CoversAny(ulong from, ulong until) => Array.Exists(Periods, p => p.From < until && (p.Until == 0 || from < p.Until));

    public int EncodedLength => CanonicalSizes.VarUInt((ulong)Periods.Length) + (Periods.Length * 16);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteVarUInt((ulong)Periods.Length);
        foreach (var p in Periods)
        {
            writer.WriteU64(p.From);
            writer.WriteU64(p.Until);
        }
    }

    public static AccreditationRecord Read(ref SpanReader reader)
    {
        var count = reader.ReadCount(CredentialRules.MaxPeriods);
        var periods = new AccreditationPeriod[reader.Ok ? count : 0];
        for (var i = 0; i < periods.Length && reader.Ok; i++)
        {
            periods[i] = new AccreditationPeriod(reader.ReadU64(), reader.ReadU64());
        }
        return new AccreditationRecord(reader.Ok ? periods : []);
    }
}

/// <summary>What a status list's set bit means. Stored on chain: never renumber.</summary>
public enum StatusPurpose : byte
{
    Revocation = 1,
    Suspension = 2,
}

/// <summary>Payload of credentials "status-list": a new list of the issuer DID, by a controller.</summary>
public sealed record StatusListPayload(Address Issuer, string Name, StatusPurpose Purpose, uint Size) : ICanonical
{
    public int EncodedLength => Address.Size + CanonicalSizes.String(Name) + 1 + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Issuer);
        writer.WriteString(Name);
        writer.WriteU8((byte)Purpose);
        writer.WriteU32(Size);
    }

    public static StatusListPayload Read(ref SpanReader reader) =>
        new(reader.ReadAddress(), reader.ReadString(CredentialRules.MaxListNameLength), (StatusPurpose)reader.ReadU8(), reader.ReadU32());

    public static string PurposeName(StatusPurpose purpose) => purpose switch
    {
        StatusPurpose.Revocation => "revocation",
        StatusPurpose.Suspension => "suspension",
        _ => $"unknown ({(byte)purpose})",
    };
}

/// <summary>Stored at credentials/status/{issuer}/{name}: purpose, size in entries, how many are set, created and updated (Unix ms).</summary>
public sealed record StatusListRecord(StatusPurpose Purpose, uint Size, uint Set, ulong Created, ulong Updated) : ICanonical
{
    public int EncodedLength => 1 + 4 + 4 + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8((byte)Purpose);
        writer.WriteU32(Size);
        writer.WriteU32(Set);
        writer.WriteU64(Created);
        writer.WriteU64(Updated);
    }

    public static StatusListRecord Read(ref SpanReader reader) =>
        new((StatusPurpose)reader.ReadU8(), reader.ReadU32(), reader.ReadU32(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>Payload of credentials "status-set": set (or clear) entries of one list.</summary>
public sealed record StatusSetPayload(Address Issuer, string Name, uint[] Indices, bool Value) : ICanonical
{
    public int EncodedLength => Address.Size + CanonicalSizes.String(Name) + CanonicalSizes.VarUInt((ulong)Indices.Length) + (Indices.Length * 4) + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Issuer);
        writer.WriteString(Name);
        writer.WriteVarUInt((ulong)Indices.Length);
        foreach (var index in Indices)
        {
            writer.WriteU32(index);
        }
        writer.WriteBool(Value);
    }

    public static StatusSetPayload Read(ref SpanReader reader)
    {
        var issuer = reader.ReadAddress();
        var name = reader.ReadString(CredentialRules.MaxListNameLength);
        var count = reader.ReadCount(CredentialRules.MaxStatusChanges);
        var indices = new uint[reader.Ok ? count : 0];
        for (var i = 0; i < indices.Length && reader.Ok; i++)
        {
            indices[i] = reader.ReadU32();
        }
        return new StatusSetPayload(issuer, name, indices, reader.ReadBool());
    }
}

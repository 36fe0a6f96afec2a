using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Identity;

/// <summary>What a membership proposal changes. Stored on chain: never renumber.</summary>
public enum MembershipAction : byte
{
    AddOrg = 1,
    RemoveOrg = 2,
    SetQuorum = 3,
}

/// <summary>
/// Payload of identity "propose-membership". AddOrg uses Org, Name, Admins and optionally
/// Validator (the key of the organisation's peer); RemoveOrg uses Org; SetQuorum uses Quorum.
/// Quorum 0 keeps the current quorum. The change takes effect at block <see cref="EffectiveHeight"/>.
/// </summary>
public sealed record MembershipProposal(
    MembershipAction Action, string Org, string Name, PublicKey[] Admins, PublicKey? Validator, uint Quorum, ulong EffectiveHeight) : ICanonical
{
    public const int MaxAdmins = 16;

    public static string ActionName(MembershipAction action) => action switch
    {
        MembershipAction.AddOrg => "add-org",
        MembershipAction.RemoveOrg => "remove-org",
        MembershipAction.SetQuorum => "set-quorum",
        _ => "unknown",
    };

    public int EncodedLength =>
        1 + CanonicalSizes.String(Org) + CanonicalSizes.String(Name) + CanonicalSizes.VarUInt((ulong)Admins.Length) + (Admins.Length * PublicKey.Size) +
        1 + (Validator is null ? 0 : PublicKey.Size) + 4 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8((byte)Action);
        writer.WriteString(Org);
        writer.WriteString(Name);
        writer.WriteVarUInt((ulong)Admins.Length);
        foreach (var admin in Admins)
        {
            writer.WritePublicKey(admin);
        }
        writer.WriteBool(Validator is not null);
        if (Validator is not null)
        {
            writer.WritePublicKey(Validator);
        }
        writer.WriteU32(Quorum);
        writer.WriteU64(EffectiveHeight);
    }

    public static MembershipProposal Read(ref SpanReader reader)
    {
        var action = (MembershipAction)reader.ReadU8();
        var org = reader.ReadString(Transaction.MaxNameBytes);
        var name = reader.ReadString(512);
        var count = reader.ReadCount(MaxAdmins);
        var admins = new PublicKey[reader.Ok ? count : 0];
        for (var i = 0; i < admins.Length && reader.Ok; i++)
        {
            admins[i] = reader.ReadPublicKey()!;
        }
        var validator = reader.ReadBool() ? reader.ReadPublicKey() : null;
        return new MembershipProposal(action, org, name, reader.Ok ? admins : [], validator, reader.ReadU32(), reader.ReadU64());
    }
}

/// <summary>Payload of identity "approve-membership": the proposal's id (the id of the tx that proposed it).</summary>
public sealed record ApproveMembershipPayload(Hash Proposal) : ICanonical
{
    public int EncodedLength => Hash.Size;

    public void Write(ref SpanWriter writer) => writer.WriteHash(Proposal);

    public static ApproveMembershipPayload Read(ref SpanReader reader) => new(reader.ReadHash());
}

/// <summary>Stored at identity/proposal/{id}: the proposal, who approved it (organisation ids, sorted), and whether it was enacted.</summary>
public sealed record ProposalRecord(MembershipProposal Proposal, ulong ProposedAt, string[] Approvals, ulong EnactedEpoch) : ICanonical
{
    public bool Enacted => EnactedEpoch != 0;

    public int EncodedLength
    {
        get
        {
            var size = Proposal.EncodedLength + 8 + CanonicalSizes.VarUInt((ulong)Approvals.Length) + 8;
            foreach (var org in Approvals)
            {
                size += CanonicalSizes.String(org);
            }
            return size;
        }
    }

    public void Write(ref SpanWriter writer)
    {
        Proposal.Write(ref writer);
        writer.WriteU64(ProposedAt);
        writer.WriteVarUInt((ulong)Approvals.Length);
        foreach (var org in Approvals)
        {
            writer.WriteString(org);
        }
        writer.WriteU64(EnactedEpoch);
    }

    public static ProposalRecord Read(ref SpanReader reader)
    {
        var proposal = MembershipProposal.Read(ref reader);
        var at = reader.ReadU64();
        var count = reader.ReadCount(ValidatorSet.MaxValidators);
        var approvals = new string[reader.Ok ? count : 0];
        for (var i = 0; i < approvals.Length && reader.Ok; i++)
        {
            approvals[i] = reader.ReadString(Transaction.MaxNameBytes);
        }
        return new ProposalRecord(proposal, at, approvals, reader.ReadU64());
    }
}

/// <summary>Stored at identity/epoch/{n}: a validator set and the tx whose approval scheduled it (zero for genesis).</summary>
public sealed record EpochRecord(Hash ScheduledBy, ValidatorSet Set) : ICanonical
{
    public int EncodedLength => Hash.Size + Set.EncodedLength;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(ScheduledBy);
        Set.Write(ref writer);
    }

    public static EpochRecord Read(ref SpanReader reader) => new(reader.ReadHash(), ValidatorSet.Read(ref reader));
}

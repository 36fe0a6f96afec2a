using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Contracts;

/// <summary>One argument, result or event field: its name and type.</summary>
public sealed record ContractParam(string Name, ContractType Type) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Name) + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteU8((byte)Type);
    }

    public static ContractParam Read(ref SpanReader reader) => new(reader.ReadString(32), (ContractType)reader.ReadU8());

    internal static int ListLength(ContractParam[] list) => CanonicalSizes.VarUInt((ulong)list.Length) + list.Sum(p => p.EncodedLength);

    internal static void WriteList(ref SpanWriter writer, ContractParam[] list)
    {
        writer.WriteVarUInt((ulong)list.Length);
        foreach (var p in list)
        {
            p.Write(ref writer);
        }
    }

    internal static ContractParam[] ReadList(ref SpanReader reader)
    {
        var list = new ContractParam[reader.ReadCount(ContractAbi.MaxParams)];
        for (var i = 0; i < list.Length && reader.Ok; i++)
        {
            list[i] = Read(ref reader);
        }
        return reader.Ok ? list : [];
    }
}

/// <summary>A method a contract exports: a view only reads (queries run it without a tx); its args and results in order.</summary>
public sealed record ContractMethod(string Name, bool View, ContractParam[] Args, ContractParam[] Returns) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Name) + 1 + ContractParam.ListLength(Args) + ContractParam.ListLength(Returns);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteBool(View);
        ContractParam.WriteList(ref writer, Args);
        ContractParam.WriteList(ref writer, Returns);
    }

    public static ContractMethod Read(ref SpanReader reader) =>
        new(reader.ReadString(32), reader.ReadBool(), ContractParam.ReadList(ref reader), ContractParam.ReadList(ref reader));

    public ContractType[] ArgTypes => [.. Args.Select(a => a.Type)];

    public ContractType[] ReturnTypes => [.. Returns.Select(a => a.Type)];
}

/// <summary>An event a contract may emit, with its fields in order.</summary>
public sealed record ContractEventSpec(string Name, ContractParam[] Fields) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Name) + ContractParam.ListLength(Fields);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Name);
        ContractParam.WriteList(ref writer, Fields);
    }

    public static ContractEventSpec Read(ref SpanReader reader) => new(reader.ReadString(32), ContractParam.ReadList(ref reader));
}

/// <summary>
/// What a contract says about itself, stored with its code so that the explorer and the CLI can
/// encode calls and decode results and events: its methods (an optional <c>init</c> among them
/// runs once when a version is enacted) and its events.
/// </summary>
public sealed record ContractMetadata(string Description, ContractMethod[] Methods, ContractEventSpec[] Events) : ICanonical
{
    public const string InitMethod = "init";

    public int EncodedLength =>
        CanonicalSizes.String(Description) + CanonicalSizes.VarUInt((ulong)Methods.Length) + Methods.Sum(m => m.EncodedLength)
        + CanonicalSizes.VarUInt((ulong)Events.Length) + Events.Sum(e => e.EncodedLength);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Description);
        writer.WriteVarUInt((ulong)Methods.Length);
        foreach (var m in Methods)
        {
            m.Write(ref writer);
        }
        writer.WriteVarUInt((ulong)Events.Length);
        foreach (var e in Events)
        {
            e.Write(ref writer);
        }
    }

    public static ContractMetadata Read(ref SpanReader reader)
    {
        var description = reader.ReadString(ContractAbi.MaxDescription);
        var methods = new ContractMethod[reader.ReadCount(ContractAbi.MaxMethods)];
        for (var i = 0; i < methods.Length && reader.Ok; i++)
        {
            methods[i] = ContractMethod.Read(ref reader);
        }
        var events = new ContractEventSpec[reader.Ok ? reader.ReadCount(ContractAbi.MaxEvents) : 0];
        for (var i = 0; i < events.Length && reader.Ok; i++)
        {
            events[i] = ContractEventSpec.Read(ref reader);
        }
        return reader.Ok ? new ContractMetadata(description, methods, events) : new ContractMetadata(string.Empty, [], []);
    }

    public ContractMethod? Method(string name) => Array.Find(Methods, m => m.Name == name);

    public ContractEventSpec? Event(string name) => Array.Find(Events, e => e.Name == name);

    /// <summary>Why this metadata cannot be a contract's, or null: names, duplicates, types, reserved field names.</summary>
    public string? Problem()
    {
        if (!Core.Ledger.Identifiers.IsText(Description, ContractAbi.MaxDescription))
        {
            return "the description has control characters or is over 256 characters";
        }
        if (Methods.Length == 0)
        {
            return "a contract declares at least one method";
        }
        foreach (var group in Methods.Select(m => m.Name).Concat(Events.Select(e => "event " + e.Name)).GroupBy(n => n, StringComparer.Ordinal))
        {
            if (group.Count() > 1)
            {
                return $"'{group.Key}' is declared twice";
            }
        }
        foreach (var m in Methods)
        {
            if (!ContractAbi.IsMemberName(m.Name))
            {
                return $"method name '{m.Name}' is not 1–32 of a-z, 0-9 and '_' starting with a letter";
            }
            if ((ParamsProblem($"method {m.Name}", m.Args) ?? ParamsProblem($"method {m.Name}'s results", m.Returns)) is { } problem)
            {
                return problem;
            }
        }
        foreach (var e in Events)
        {
            if (!ContractAbi.IsMemberName(e.Name))
            {
                return $"event name '{e.Name}' is not 1–32 of a-z, 0-9 and '_' starting with a letter";
            }
            if (ParamsProblem($"event {e.Name}", e.Fields) is { } problem)
            {
                return problem;
            }
            if (e.Fields.FirstOrDefault(f => ContractAbi.ReservedFields.Contains(f.Name)) is { } reserved)
            {
                return $"event {e.Name}: a field may not be named '{reserved.Name}' (contract, address and event are the module's)";
            }
        }
        return null;
    }

    private static string? ParamsProblem(string where, ContractParam[] list)
    {
        foreach (var p in list)
        {
            if (!ContractAbi.IsMemberName(p.Name))
            {
                return $"{where}: '{p.Name}' is not 1–32 of a-z, 0-9 and '_' starting with a letter";
            }
            if (!Enum.IsDefined(p.Type))
            {
                return $"{where}: '{p.Name}' has an unknown type ({(byte)p.Type})";
            }
        }
        var twice = list.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? null : $"{where}: '{twice.Key}' is declared twice";
    }
}

/// <summary>Whose calls a contract accepts (its endorsement policy; every peer executes every call). Stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallPolicy>))]
public enum CallPolicy : byte
{
    /// <summary>Any key, member or not (riders, players, devices).</summary>
    [JsonStringEnumMemberName("anyone")]
    Anyone = 0,

    /// <summary>Members of any organisation in force.</summary>
    [JsonStringEnumMemberName("members")]
    Members = 1,

    /// <summary>Members of the listed organisations only.</summary>
    [JsonStringEnumMemberName("orgs")]
    Orgs = 2,
}

/// <summary>
/// Payload of contracts "deploy" and "upgrade": a proposal to run <paramref name="Code"/> as
/// version <paramref name="Version"/> of contract <paramref name="Name"/>, with its metadata, the
/// arguments of its <c>init</c> method (empty when it has none) and its call policy. It takes effect
/// when admins of a quorum of validating organisations approved it (the proposer's organisation counts).
/// </summary>
public sealed record DeployPayload(string Name, string Version, byte[] Code, ContractMetadata Metadata, byte[] InitArgs, CallPolicy Policy, string[] PolicyOrgs) : ICanonical
{
    public const int MaxVersionLength = 32;
    public const int MaxPolicyOrgs = 16;

    public int EncodedLength =>
        CanonicalSizes.String(Name) + CanonicalSizes.String(Version) + CanonicalSizes.Bytes(Code.Length) + Metadata.EncodedLength
        + CanonicalSizes.Bytes(InitArgs.Length) + 1 + OrgList.Length(PolicyOrgs);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteString(Version);
        writer.WriteBytes(Code);
        Metadata.Write(ref writer);
        writer.WriteBytes(InitArgs);
        writer.WriteU8((byte)Policy);
        OrgList.Write(ref writer, PolicyOrgs);
    }

    public static DeployPayload Read(ref SpanReader reader)
    {
        var name = reader.ReadString(32);
        var version = reader.ReadString(MaxVersionLength);
        var code = reader.ReadByteArray(Core.Ledger.Transaction.MaxPayloadBytes);
        var metadata = ContractMetadata.Read(ref reader);
        var init = reader.ReadByteArray(Core.Ledger.Transaction.MaxPayloadBytes);
        var policy = (CallPolicy)reader.ReadU8();
        return new DeployPayload(name, version, code, metadata, init, policy, OrgList.Read(ref reader, MaxPolicyOrgs));
    }
}

/// <summary>Payload of contracts "freeze" and "unfreeze": a proposal to stop (or resume) calls to a contract, by the same quorum.</summary>
public sealed record ContractNamePayload(string Name) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Name);

    public void Write(ref SpanWriter writer) => writer.WriteString(Name);

    public static ContractNamePayload Read(ref SpanReader reader) => new(reader.ReadString(32));
}

/// <summary>Payload of contracts "approve": an admin of a validating organisation approves an open proposal.</summary>
public sealed record ApproveContractPayload(Hash Proposal) : ICanonical
{
    public int EncodedLength => Hash.Size;

    public void Write(ref SpanWriter writer) => writer.WriteHash(Proposal);

    public static ApproveContractPayload Read(ref SpanReader reader) => new(reader.ReadHash());
}

/// <summary>
/// Payload of contracts "call": runs <paramref name="Method"/> of <paramref name="Contract"/> with
/// <paramref name="Args"/> (the method's argument values, canonically encoded). A deposit of
/// <paramref name="DepositAmount"/> of <paramref name="DepositToken"/> (empty: none) moves from the
/// signer to the contract's account before the method runs, and back if the tx fails.
/// </summary>
public sealed record CallPayload(string Contract, string Method, byte[] Args, string DepositToken, UInt128 DepositAmount) : ICanonical
{
    public int EncodedLength =>
        CanonicalSizes.String(Contract) + CanonicalSizes.String(Method) + CanonicalSizes.Bytes(Args.Length) + CanonicalSizes.String(DepositToken) + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Contract);
        writer.WriteString(Method);
        writer.WriteBytes(Args);
        writer.WriteString(DepositToken);
        writer.WriteU128(DepositAmount);
    }

    public static CallPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(32), reader.ReadString(32), reader.ReadByteArray(Core.Ledger.Transaction.MaxPayloadBytes), reader.ReadString(16), reader.ReadU128());
}

/// <summary>Stored at contracts/contract/{name}: the version in force, its code and metadata, policy and status.</summary>
public sealed record ContractRecord(
    string Name, Address Address, string Version, Hash Code, ContractMetadata Metadata, CallPolicy Policy, string[] PolicyOrgs,
    bool Frozen, uint Versions, ulong DeployedAt, ulong UpdatedAt) : ICanonical
{
    public int EncodedLength =>
        CanonicalSizes.String(Name) + Address.Size + CanonicalSizes.String(Version) + Hash.Size + Metadata.EncodedLength + 1
        + OrgList.Length(PolicyOrgs) + 1 + 4 + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteAddress(Address);
        writer.WriteString(Version);
        writer.WriteHash(Code);
        Metadata.Write(ref writer);
        writer.WriteU8((byte)Policy);
        OrgList.Write(ref writer, PolicyOrgs);
        writer.WriteBool(Frozen);
        writer.WriteU32(Versions);
        writer.WriteU64(DeployedAt);
        writer.WriteU64(UpdatedAt);
    }

    public static ContractRecord Read(ref SpanReader reader)
    {
        var name = reader.ReadString(32);
        var address = reader.ReadAddress();
        var version = reader.ReadString(DeployPayload.MaxVersionLength);
        var code = reader.ReadHash();
        var metadata = ContractMetadata.Read(ref reader);
        var policy = (CallPolicy)reader.ReadU8();
        var orgs = OrgList.Read(ref reader, DeployPayload.MaxPolicyOrgs);
        return new ContractRecord(name, address, version, code, metadata, policy, orgs, reader.ReadBool(), reader.ReadU32(), reader.ReadU64(), reader.ReadU64());
    }
}

/// <summary>Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContractAction>))]
public enum ContractAction : byte
{
    [JsonStringEnumMemberName("deploy")]
    Deploy = 0,
    [JsonStringEnumMemberName("upgrade")]
    Upgrade = 1,
    [JsonStringEnumMemberName("freeze")]
    Freeze = 2,
    [JsonStringEnumMemberName("unfreeze")]
    Unfreeze = 3,
}

/// <summary>
/// Stored at contracts/proposal/{tx id}: a proposed deploy, upgrade, freeze or unfreeze, the
/// organisations that approved it (sorted), and the height it was enacted at (0 while open).
/// Deploys and upgrades keep their code at contracts/code/{hash} from the moment they are proposed.
/// </summary>
public sealed record ContractProposalRecord(
    ContractAction Action, string Contract, string Version, Hash Code, ContractMetadata Metadata, byte[] InitArgs, CallPolicy Policy,
    string[] PolicyOrgs, Address Proposer, ulong ProposedAt, string[] Approvals, ulong EnactedAt) : ICanonical
{
    public bool Enacted => EnactedAt != 0;

    public int EncodedLength =>
        1 + CanonicalSizes.String(Contract) + CanonicalSizes.String(Version) + Hash.Size + Metadata.EncodedLength + CanonicalSizes.Bytes(InitArgs.Length) + 1
        + OrgList.Length(PolicyOrgs) + Address.Size + 8 + OrgList.Length(Approvals) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8((byte)Action);
        writer.WriteString(Contract);
        writer.WriteString(Version);
        writer.WriteHash(Code);
        Metadata.Write(ref writer);
        writer.WriteBytes(InitArgs);
        writer.WriteU8((byte)Policy);
        OrgList.Write(ref writer, PolicyOrgs);
        writer.WriteAddress(Proposer);
        writer.WriteU64(ProposedAt);
        OrgList.Write(ref writer, Approvals);
        writer.WriteU64(EnactedAt);
    }

    public static ContractProposalRecord Read(ref SpanReader reader) => new(
        (ContractAction)reader.ReadU8(), reader.ReadString(32), reader.ReadString(DeployPayload.MaxVersionLength), reader.ReadHash(),
        ContractMetadata.Read(ref reader), reader.ReadByteArray(Core.Ledger.Transaction.MaxPayloadBytes), (CallPolicy)reader.ReadU8(),
        OrgList.Read(ref reader, DeployPayload.MaxPolicyOrgs), reader.ReadAddress(), reader.ReadU64(), OrgList.Read(ref reader, OrgList.MaxApprovals), reader.ReadU64());
}

/// <summary>Stored at contracts/version/{name}/{n}: one enacted version of a contract, first is 1.</summary>
public sealed record ContractVersionRecord(uint Number, string Version, Hash Code, Hash Proposal, string[] Approvals, ulong Height) : ICanonical
{
    public int EncodedLength =>
        4 + CanonicalSizes.String(Version) + Hash.Size + Hash.Size + OrgList.Length(Approvals) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU32(Number);
        writer.WriteString(Version);
        writer.WriteHash(Code);
        writer.WriteHash(Proposal);
        OrgList.Write(ref writer, Approvals);
        writer.WriteU64(Height);
    }

    public static ContractVersionRecord Read(ref SpanReader reader)
    {
        var number = reader.ReadU32();
        var version = reader.ReadString(DeployPayload.MaxVersionLength);
        var code = reader.ReadHash();
        var proposal = reader.ReadHash();
        var approvals = OrgList.Read(ref reader, OrgList.MaxApprovals);
        return new ContractVersionRecord(number, version, code, proposal, approvals, reader.ReadU64());
    }
}

/// <summary>A list of organisation ids in a record: a varint count, then each id as a string.</summary>
internal static class OrgList
{
    /// <summary>More organisations than any consortium approves with.</summary>
    public const int MaxApprovals = 256;

    public static int Length(string[] orgs) => CanonicalLists.StringsLength(orgs);

    public static void Write(ref SpanWriter writer, string[] orgs) => CanonicalLists.WriteStrings(ref writer, orgs);

    public static string[] Read(ref SpanReader reader, int max) => CanonicalLists.ReadStrings(ref reader, max, 32);
}

using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>
/// Supply-chain provenance on GS1 EPCIS 2.0 (docs/EPCIS.md): organisation roles granted by a
/// quorum of validating organisations, and anchors of captured events — each event's hash and
/// record under the anchor's root, the items' state the rules need (commissioned, container,
/// owner, end of life) and the flags of events that broke a rule.
/// </summary>
public sealed class EpcisModule(Devices.IDeviceRegistry devices) : IModule
{
    public const string ModuleName = EpcisNames.ModuleName;
    public const string Anchor = EpcisNames.Anchor;
    public const string Role = EpcisNames.Role;

    public const string ItemPrefix = "epcis/item/";
    public const string FlagPrefix = "epcis/flag/";
    public const string EventPrefix = "epcis/event/";
    public const string ContentsPrefix = "epcis/contents/";
    public const string RolePrefix = "epcis/role/";
    public const string ProposalPrefix = "epcis/role-proposal/";
    public const string CustodianPrefix = "epcis/custodian/";
    public const string LocationPrefix = "epcis/location/";
    public const string CustomsPrefix = "epcis/customs/";
    public const string InspectionPrefix = "epcis/inspection/";
    public const string TagPrefix = "epcis/tag/";

    /// <summary>How far an event's time may be ahead of the block's (clocks differ a little; events are captured after they happen).</summary>
    public const ulong MaxAheadMs = 5 * 60 * 1000;

    /// <summary>Gas for checking one chunk's capture signature (an ECDSA P-256 verification).</summary>
    public const ulong SignatureGas = 20_000;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(EpcisErrors));

    public IReadOnlyList<EventType> Events => EpcisEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(ItemPrefix, "item", ItemRecord.Read),
        StateRecordType.Of(FlagPrefix, "item flag", ItemFlagRecord.Read),
        StateRecordType.Of(EventPrefix, "anchored event", EventIndexRecord.Read),
        StateRecordType.Of(ContentsPrefix, "container contents", IdListRecord.Read),
        StateRecordType.Number(RolePrefix, "organisation's epcis roles"),
        StateRecordType.Of(ProposalPrefix, "role proposal approvals", IdListRecord.Read),
        StateRecordType.Number(CustodianPrefix, "last event anchored by the node"),
        StateRecordType.Of(LocationPrefix, "registered location", LocationRecord.Read),
        StateRecordType.Of(CustomsPrefix, "customs declaration and clearance", CustomsRecord.Read),
        StateRecordType.Of(InspectionPrefix, "last inspection", InspectionRecord.Read),
        StateRecordType.Of(TagPrefix, "item's tag", TagRecord.Read),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(Anchor, EpcisAnchorPayload.Read, DoAnchor, static p =>
            [F.Number("events", p.Records.Length), F.Number("captures", p.Captures.Length), F.Text("root", p.Root.ToString()), F.Number("first", p.First), F.Number("last", p.Last)])
        .Add(Role, EpcisRolePayload.Read, DoRole, static p => [F.Org(p.Org), F.Text("role", EpcisRoles.Format(p.Role)), F.Text("change", p.Grant ? "grant" : "revoke")], Access.Members)
        .Add(EpcisNames.Location, EpcisLocationPayload.Read, DoLocation, static p =>
            [F.Text("location", p.Location), F.Text("country", p.Country), F.Number("latE6", p.LatE6), F.Number("lonE6", p.LonE6)], Access.Members)
        .Add(EpcisNames.TagItem, EpcisTagPayload.Read, DoTag, static p => [F.Text("item", p.Item), F.Device(p.Device)], Access.Members);

    private OperationTable? _operations;

    public static string ItemKey(string id) => ItemPrefix + id;
    public static string FlagKey(string id, uint n) => $"{FlagPrefix}{id}/{n:D6}";
    public static string EventKey(in Hash digest) => EventPrefix + digest;
    public static string ContentsKey(string id) => ContentsPrefix + id;
    public static string RoleKey(string org) => RolePrefix + org;
    public static string ProposalKey(string org, EpcisRole role, bool grant) => $"{ProposalPrefix}{org}/{EpcisRoles.Format(role)}/{(grant ? "grant" : "revoke")}";
    public static string CustodianKey(Address node) => CustodianPrefix + node;
    public static string LocationKey(string id) => LocationPrefix + id;
    public static string CustomsKey(string item, string country) => $"{CustomsPrefix}{item}/{country}";
    public static string InspectionKey(string item) => InspectionPrefix + item;
    public static string TagKey(string item) => TagPrefix + item;

    public static TagRecord? ReadTag(IStateReader state, string item) => Payload.Get(state, TagKey(item), TagRecord.Read);

    public static LocationRecord? ReadLocation(IStateReader state, string id) => Payload.Get(state, LocationKey(id), LocationRecord.Read);

    public static CustomsRecord? ReadCustoms(IStateReader state, string item, string country) => Payload.Get(state, CustomsKey(item, country), CustomsRecord.Read);

    public static ItemRecord? ReadItem(IStateReader state, string id) => Payload.Get(state, ItemKey(id), ItemRecord.Read);

    public static EventIndexRecord? ReadEvent(IStateReader state, in Hash digest) => Payload.Get(state, EventKey(digest), EventIndexRecord.Read);

    /// <summary>
    /// An organisation's roles: capture until a role change is enacted for it (the record is
    /// absent until then), then what the changes left. Stored as the role bits with the high bit
    /// set, so an enacted "none" differs from no record.
    /// </summary>
    public static EpcisRole ReadRoles(IStateReader state, string org) =>
        Counters.Read(state, RoleKey(org)) is var raw and > 0 ? (EpcisRole)(raw & (ulong)EpcisRole.All) : EpcisRole.Capture;

    private const ulong RolesSet = 0x80;

    /// <summary>The last of a node's event numbers the chain has anchored (0 when none).</summary>
    public static ulong ReadCustodian(IStateReader state, Address node) => Counters.Read(state, CustodianKey(node));

    public static IEnumerable<ItemFlagRecord> ReadFlags(IStateReader state, ItemRecord item)
    {
        for (var n = 1u; n <= item.Flags; n++)
        {
            if (Payload.Get(state, FlagKey(item.Id, n), ItemFlagRecord.Read) is { } flag)
            {
                yield return flag;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="member"/> may capture: an active member of an organisation holding
    /// the capture role. Null when it may; otherwise the code and reason.
    /// </summary>
    public static (string Code, string Message)? CaptureRefusal(StateView state, IMembershipDirectory members, Address member, ulong height)
    {
        if (members.Find(state, member, height) is not { } membership)
        {
            return (EpcisErrors.NotMember, $"{member} is not a member of an organisation of this chain");
        }
        return (ReadRoles(state, membership.Org) & EpcisRole.Capture) == 0
            ? (EpcisErrors.RoleMissing, $"organisation '{membership.Org}' does not hold the epcis capture role (granted by `thingledger epcis role grant {membership.Org} capture`)")
            : null;
    }

    public void InitGenesis(Genesis genesis, StateView state)
    {
        // Nothing at genesis: every organisation captures until its capture role is revoked (ReadRoles).
    }

    private static Outcome DoRole(TxContext context, EpcisRolePayload p)
    {
        if (p.Role is not (EpcisRole.Capture or EpcisRole.Customs or EpcisRole.Inspection))
        {
            return EpcisErrors.RoleInvalid;
        }
        if (!context.CheckGovernor().Succeeded)
        {
            return EpcisErrors.NotGovernor;
        }
        if (!context.Members.OrgExists(context.State, p.Org))
        {
            return EpcisErrors.OrgUnknown;
        }
        var roles = ReadRoles(context.State, p.Org);
        if (((roles & p.Role) != 0) == p.Grant)
        {
            return EpcisErrors.RoleUnchanged;
        }
        var key = ProposalKey(p.Org, p.Role, p.Grant);
        var approvals = (Payload.Get(context.State, key, IdListRecord.Read)?.Ids ?? []).ToHashSet(StringComparer.Ordinal);
        var by = context.SignerMembership!.Value.Org;
        approvals.Add(by);
        context.Emit(EpcisEvents.RoleApproved, new("org", p.Org), new("role", EpcisRoles.Format(p.Role)), new("grant", p.Grant ? "grant" : "revoke"), new("by", by));
        if (context.Validators.IsQuorum(approvals))
        {
            roles = p.Grant ? roles | p.Role : roles & ~p.Role;
            Counters.Write(context.State, RoleKey(p.Org), (ulong)roles | RolesSet);
            context.State.Delete(key);
            context.Emit(EpcisEvents.RoleChanged, new("org", p.Org), new("roles", EpcisRoles.Format(roles)));
            return Outcome.Ok;
        }
        context.State.Set(key, Canonical.Encode(new IdListRecord([.. approvals.Order(StringComparer.Ordinal)])));
        return Outcome.Ok;
    }

    /// <summary>
    /// Binds an item to its tag: the signer's organisation commissioned the item, and registered the
    /// tag as an active device. A later binding by that organisation replaces the tag.
    /// </summary>
    private Outcome DoTag(TxContext context, EpcisTagPayload p)
    {
        var org = context.SignerMembership!.Value.Org;
        if (ReadItem(context.State, p.Item) is not { } item || item.CommissionedBy != org ||
            devices.Find(context.State, p.Device) is not { Status: Devices.DeviceStatus.Active } device || device.Org != org)
        {
            return EpcisErrors.TagInvalid;
        }
        context.State.Set(TagKey(p.Item), Canonical.Encode(new TagRecord(p.Device, context.Height)));
        context.Emit(EpcisEvents.Tagged, new("item", p.Item), new("device", p.Device.ToString()), new("org", org));
        return Outcome.Ok;
    }

    /// <summary>
    /// Registers a location of the signer's organisation (an organisation holding an epcis role):
    /// a GLN (with its extension) as its canonical path, its country and position. The first
    /// organisation to register a location holds it; only it can move it.
    /// </summary>
    private static Outcome DoLocation(TxContext context, EpcisLocationPayload p)
    {
        var org = context.SignerMembership!.Value.Org;
        if (ReadRoles(context.State, org) == EpcisRole.None)
        {
            return EpcisErrors.RoleMissing;
        }
        if (!p.Location.StartsWith("/414/", StringComparison.Ordinal) || EpcisDocumentReader.CanonicalId(Gs1Canonical.Root + p.Location, out _) != p.Location ||
            !ItemPlaces.IsCountry(p.Country) || !ItemPlaces.IsPosition(p.LatE6, p.LonE6))
        {
            return EpcisErrors.LocationInvalid;
        }
        if (ReadLocation(context.State, p.Location) is { } existing && existing.Org != org)
        {
            return EpcisErrors.LocationTaken;
        }
        context.State.Set(LocationKey(p.Location), Canonical.Encode(new LocationRecord(org, p.Country, p.LatE6, p.LonE6)));
        context.Emit(EpcisEvents.LocationRegistered, new("location", p.Location), new("org", org), new("country", p.Country));
        return Outcome.Ok;
    }

    /// <summary>
    /// An anchor by a custodian node (a validator): its numbers continue the node's last, its root
    /// is its records' root, and every chunk is signed by its capturer — a member of an
    /// organisation holding the capture role — over exactly the records it holds. Then each event
    /// is applied in order: a rule it breaks flags its items, it never fails the anchor.
    /// </summary>
    private Outcome DoAnchor(TxContext context, EpcisAnchorPayload p)
    {
        if (context.Validators.OrgOf(context.Tx.Signer) is null)
        {
            return EpcisErrors.NotCustodian;
        }
        var last = ReadCustodian(context.State, context.Signer);
        if (p.Records.Length == 0 || p.First != last + 1 || p.Last - p.First + 1 != (ulong)p.Records.Length ||
            p.Captures.Sum(c => (long)c.Records) != p.Records.Length || p.Captures.Any(c => c.Records == 0) || EpcisAnchorPayload.RootOf(p.Records) != p.Root)
        {
            return EpcisErrors.AnchorInvalid;
        }
        var orgs = new string[p.Captures.Length];
        var roots = new Hash[p.Captures.Length];
        var start = 0;
        for (var c = 0; c < p.Captures.Length; c++)
        {
            var chunk = p.Captures[c];
            var capturer = chunk.Capturer.ToAddress();
            if (CaptureRefusal(context.State, context.Members, capturer, context.Height) is { } refusal)
            {
                return Outcome.Fail(refusal.Code);
            }
            context.Gas.Charge(SignatureGas);
            roots[c] = EpcisAnchorPayload.RootOf(new ArraySegment<EpcisEventRecord>(p.Records, start, (int)chunk.Records));
            if (!SignatureVerifier.Verify(chunk.Capturer, EpcisCaptureSigning.Digest(context.Tx.ChainId, roots[c], chunk.Records), chunk.Signature))
            {
                return EpcisErrors.SignatureInvalid;
            }
            orgs[c] = context.Members.Find(context.State, capturer, context.Height)!.Value.Org;
            start += (int)chunk.Records;
        }
        var ledger = new StateItemLedger(context.State, devices);
        var index = 0;
        for (var c = 0; c < p.Captures.Length; c++)
        {
            var chunk = p.Captures[c];
            var root = roots[c];
            for (var i = 0; i < chunk.Records; i++, index++)
            {
                var record = p.Records[index];
                var broken = ItemRules.Apply(ledger, record, orgs[c]);
                if (broken.Count > 0 && broken[0].Code == EpcisErrors.DuplicateEvent)
                {
                    continue;
                }
                if (record.TimeMs > context.Timestamp + MaxAheadMs)
                {
                    broken.Add(new(string.Empty, EpcisErrors.EventInFuture, $"the event's time is {(record.TimeMs - context.Timestamp) / 1000} s after its block's"));
                }
                context.State.Set(EventKey(record.Digest), Canonical.Encode(new EventIndexRecord(context.Height, orgs[c], chunk.Capturer.ToAddress(), root, record.Type, record.TimeMs)));
                foreach (var violation in broken)
                {
                    Flag(context, ledger, violation, record, orgs[c]);
                }
            }
        }
        Counters.Write(context.State, CustodianKey(context.Signer), p.Last);
        context.Emit(EpcisEvents.Anchored, new("custodian", context.Signer.ToString()), new("org", context.Validators.OrgOf(context.Tx.Signer)!),
            new("events", p.Records.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("root", p.Root.ToString()),
            new("first", p.First.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("last", p.Last.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Outcome.Ok;
    }

    /// <summary>Records a broken rule against each item it names (an item never seen gets a record that says so) and emits it.</summary>
    private static void Flag(TxContext context, IItemLedger ledger, ItemViolation violation, EpcisEventRecord record, string org)
    {
        var ids = violation.Id.Length > 0 ? [violation.Id] : record.Ids.Where(ItemRules.IsTracked).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var id in ids)
        {
            var item = ledger.Item(id) ?? new ItemRecord(id, 0, string.Empty, 0, string.Empty, string.Empty, record.Digest, record.TimeMs, record.Location, org, 1, 0);
            item = item with { Flags = item.Flags + 1 };
            ledger.Put(item);
            context.State.Set(FlagKey(id, item.Flags), Canonical.Encode(new ItemFlagRecord(record.Digest, violation.Code, violation.Reason, context.Height)));
            context.Emit(EpcisEvents.Flagged, new("item", id), new("code", violation.Code), new("event", record.HashText), new("org", org));
        }
    }

    /// <summary>Items in the chain's state.</summary>
    private sealed class StateItemLedger(StateView state, Devices.IDeviceRegistry devices) : IItemLedger
    {
        public ItemRecord? Item(string id) => ReadItem(state, id);

        public void Put(ItemRecord item) => state.Set(ItemKey(item.Id), Canonical.Encode(item));

        public bool HasEvent(in Hash digest) => state.Contains(EventKey(digest));

        public IReadOnlyList<string> Contents(string container) => Payload.Get(state, ContentsKey(container), IdListRecord.Read)?.Ids ?? [];

        public void SetContents(string container, IReadOnlyList<string> children)
        {
            if (children.Count == 0)
            {
                state.Delete(ContentsKey(container));
            }
            else
            {
                state.Set(ContentsKey(container), Canonical.Encode(new IdListRecord([.. children])));
            }
        }

        public LocationRecord? Location(string id) => ReadLocation(state, id);

        public CustomsRecord? Customs(string item, string country) => ReadCustoms(state, item, country);

        public void PutCustoms(string item, string country, CustomsRecord record) => state.Set(CustomsKey(item, country), Canonical.Encode(record));

        public InspectionRecord? Inspection(string item) => Payload.Get(state, InspectionKey(item), InspectionRecord.Read);

        public void PutInspection(string item, InspectionRecord record) => state.Set(InspectionKey(item), Canonical.Encode(record));

        public EpcisRole Roles(string org) => ReadRoles(state, org);

        public bool IsActiveDevice(Address device) => devices.Find(state, device) is { Status: Devices.DeviceStatus.Active };
    }
}

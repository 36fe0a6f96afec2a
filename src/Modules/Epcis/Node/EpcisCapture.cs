using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>What a capture answered: the capture's id and its events' hashes in document order, the item rules a reported capture broke (its items are flagged), or the refusals.</summary>
public sealed record CaptureOutcome(long Capture, ulong First, IReadOnlyList<string> Hashes, IReadOnlyList<EpcisEventError> Errors, IReadOnlyList<EpcisEventError> Suspect)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Takes captures (docs/EPCIS.md, "Capture"): reads the document, checks the capturer (an active
/// member of an organisation holding the capture role) and its signature over each chunk, applies the item rules to the chain's
/// state with the events captured here and not yet anchored over it, and stores the capture
/// durably before answering. One capture is checked and stored at a time, so two captures at this
/// node cannot both commission one serial.
/// </summary>
public sealed class EpcisCapture : IDisposable
{
    private readonly LedgerNode _node;
    private readonly object _gate = new();
    private PendingItems? _pending;

    public EpcisCapture(LedgerNode node)
    {
        _node = node;
        Store = EpcisStore.Open(node.Options.DataDirectory, node.Genesis.ChainId);
        EpcisReceipt.Register();
    }

    public EpcisStore Store { get; }

    /// <summary>
    /// Checks and stores a capture. An event that breaks an item rule refuses the capture, unless
    /// <paramref name="report"/>: the capturer reports what it saw (a second dispense at a pharmacy,
    /// a clone's serial at a border), the capture is stored, and once anchored the items are flagged publicly with the rule's reason.
    /// </summary>
    public CaptureOutcome Capture(ReadOnlySpan<byte> document, PublicKey capturerKey, IReadOnlyList<byte[]> signatures, bool report = false)
    {
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var read = EpcisDocumentReader.Read(document, now, (ulong)_node.Options.MaxClockSkewMs);
        if (!read.Ok)
        {
            return Refused([.. read.Errors]);
        }
        var records = read.Events.Select(e => e.Record).ToList();
        var chunks = EpcisCaptureSigning.Chunks(records);
        if (signatures.Count != chunks.Count)
        {
            return Refused(new EpcisEventError(-1, EpcisErrors.SignatureInvalid,
                $"the document's {records.Count} events make {chunks.Count} signed chunks, and the capture carries {signatures.Count} signatures"));
        }
        for (var c = 0; c < chunks.Count; c++)
        {
            if (!SignatureVerifier.Verify(capturerKey, EpcisCaptureSigning.ChunkDigest(_node.Genesis.ChainId, records, chunks[c].Start, chunks[c].Count), signatures[c]))
            {
                return Refused(new EpcisEventError(-1, EpcisErrors.SignatureInvalid,
                    $"signature {c} does not verify for events {chunks[c].Start}–{chunks[c].Start + chunks[c].Count - 1} on chain '{_node.Genesis.ChainId}' with key {capturerKey.ToHex()[..16]}…"));
            }
        }
        var capturer = capturerKey.ToAddress();
        lock (_gate)
        {
            var state = new StateView(_node.Store);
            if (EpcisModule.CaptureRefusal(state, _node.Machine.Members, capturer, _node.Head.Height + 1) is { } refusal)
            {
                return Refused(new EpcisEventError(-1, refusal.Code, refusal.Message));
            }
            var org = _node.Machine.Members.Find(state, capturer, _node.Head.Height + 1)!.Value.Org;
            _pending ??= Replay();
            var attempt = new PendingItems(_pending);
            var errors = new List<EpcisEventError>();
            foreach (var e in read.Events)
            {
                foreach (var broken in ItemRules.Apply(attempt, e.Record, org))
                {
                    errors.Add(new EpcisEventError(e.Index, broken.Code, $"event {e.Index}: {broken.Reason}"));
                }
                attempt.AddEvent(e.Record.Digest);
            }
            if (errors.Count > 0 && !report)
            {
                return Refused([.. errors]);
            }
            var (capture, first) = Store.Append(capturerKey, signatures, read.Context, now, read.Events);
            attempt.MergeInto(_pending);
            return new CaptureOutcome(capture, first, [.. read.Events.Select(e => e.Hash)], [], errors);
        }
    }

    /// <summary>Forgets what was pending once anchors committed (the chain's state has it now); the next capture rebuilds it from what is still unanchored.</summary>
    public void Anchored()
    {
        lock (_gate)
        {
            _pending = null;
        }
    }

    /// <summary>The chain's state with this node's unanchored events applied over it.</summary>
    private PendingItems Replay()
    {
        var state = new StateView(_node.Store);
        var pending = new PendingItems(state);
        var orgs = new Dictionary<long, string>();
        foreach (var e in Store.Records(Store.LastAnchored + 1, ulong.MaxValue, int.MaxValue))
        {
            if (!orgs.TryGetValue(e.Capture, out var org))
            {
                var capturer = Store.Capture(e.Capture)!.CapturerKey.ToAddress();
                org = orgs[e.Capture] = _node.Machine.Members.Find(state, capturer, _node.Head.Height + 1)?.Org ?? string.Empty;
            }
            ItemRules.Apply(pending, e.Record, org);
            pending.AddEvent(e.Record.Digest);
        }
        return pending;
    }

    private static CaptureOutcome Refused(params EpcisEventError[] errors) => new(0, 0, [], errors, []);

    public void Dispose() => Store.Dispose();

    /// <summary>Items as the rules see them at this node: a layer of changes over the chain's state or over another layer.</summary>
    private sealed class PendingItems : IItemLedger
    {
        private readonly StateView? _state;
        private readonly PendingItems? _parent;
        private readonly Dictionary<string, ItemRecord> _items = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyList<string>> _contents = new(StringComparer.Ordinal);
        private readonly HashSet<Hash> _events = [];
        private readonly Dictionary<string, CustomsRecord> _customs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, InspectionRecord> _inspections = new(StringComparer.Ordinal);

        public PendingItems(StateView state) => _state = state;

        public PendingItems(PendingItems parent) => _parent = parent;

        public ItemRecord? Item(string id) =>
            _items.TryGetValue(id, out var item) ? item : _parent is not null ? _parent.Item(id) : EpcisModule.ReadItem(_state!, id);

        public void Put(ItemRecord item) => _items[item.Id] = item;

        public bool HasEvent(in Hash digest) =>
            _events.Contains(digest) || (_parent is not null ? _parent.HasEvent(digest) : EpcisModule.ReadEvent(_state!, digest) is not null);

        public void AddEvent(in Hash digest) => _events.Add(digest);

        public IReadOnlyList<string> Contents(string container) =>
            _contents.TryGetValue(container, out var children) ? children
            : _parent is not null ? _parent.Contents(container)
            : Execution.Payload.Get(_state!, EpcisModule.ContentsKey(container), IdListRecord.Read)?.Ids ?? [];

        public void SetContents(string container, IReadOnlyList<string> children) => _contents[container] = [.. children];

        // Locations and roles change only by txs, so the chain's state answers.
        public LocationRecord? Location(string id) => EpcisModule.ReadLocation(Root, id);

        public EpcisRole Roles(string org) => EpcisModule.ReadRoles(Root, org);

        public bool IsActiveDevice(Address device) => Execution.Modules.Devices.DevicesModule.ReadDevice(Root, device) is { Status: Execution.Modules.Devices.DeviceStatus.Active };

        public CustomsRecord? Customs(string item, string country) =>
            _customs.TryGetValue(EpcisModule.CustomsKey(item, country), out var record) ? record
            : _parent is not null ? _parent.Customs(item, country)
            : Execution.Payload.Get(_state!, EpcisModule.CustomsKey(item, country), CustomsRecord.Read);

        public void PutCustoms(string item, string country, CustomsRecord record) => _customs[EpcisModule.CustomsKey(item, country)] = record;

        public InspectionRecord? Inspection(string item) =>
            _inspections.TryGetValue(item, out var record) ? record
            : _parent is not null ? _parent.Inspection(item)
            : Execution.Payload.Get(_state!, EpcisModule.InspectionKey(item), InspectionRecord.Read);

        public void PutInspection(string item, InspectionRecord record) => _inspections[item] = record;

        private StateView Root => _state ?? _parent!.Root;

        public void MergeInto(PendingItems target)
        {
            foreach (var (id, item) in _items)
            {
                target._items[id] = item;
            }
            foreach (var (id, children) in _contents)
            {
                target._contents[id] = children;
            }
            target._events.UnionWith(_events);
            foreach (var (key, record) in _customs)
            {
                target._customs[key] = record;
            }
            foreach (var (item, record) in _inspections)
            {
                target._inspections[item] = record;
            }
        }
    }
}

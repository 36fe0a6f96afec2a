using System.Threading.Channels;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Ordering.Etcd;
using ThingLedger.Storage;

namespace ThingLedger.Node.Consortium;

/// <summary>
/// Collects validators' attestations and turns them into finality certificates (docs/CONSORTIUM.md).
/// A block is final when a quorum of the validators in force at its height signed the same (height, block hash,
/// state root) as this peer computed; the certificate is then stored with the block. When a
/// quorum signed other values than this peer computed, the peer has diverged: it halts instead
/// of serving data the consortium does not agree with.
/// </summary>
public sealed class FinalityTracker
{
    private readonly LedgerStore _store;
    private readonly Func<ValidatorHistory> _validators;
    private readonly object _lock = new();
    private readonly SortedDictionary<ulong, Dictionary<PublicKey, AttestationMessage>> _seen = [];
    private readonly SortedDictionary<ulong, BlockHeader> _local = [];
    private readonly SortedSet<ulong> _certified = [];
    private readonly Channel<AttestationMessage> _outbox = Channel.CreateUnbounded<AttestationMessage>(new UnboundedChannelOptions { SingleReader = true });
    private ulong _finalized;

    /// <summary>Attestations further ahead of this peer's head than this are not kept.</summary>
    public const ulong MaxHeightsAhead = 10_000;

    public FinalityTracker(LedgerStore store, Func<ValidatorHistory> validators, bool consortium)
    {
        _store = store;
        _validators = validators;
        IsConsortium = consortium;
        _finalized = consortium ? store.HighestCertified(h => validators().At(h).Quorum, 10_000) : store.Head?.Height ?? 0;
    }

    public bool IsConsortium { get; }

    /// <summary>The highest block with a quorum certificate on this peer.</summary>
    public ulong FinalizedHeight => Volatile.Read(ref _finalized);

    /// <summary>Why this peer stopped applying blocks (its results disagree with a quorum), or null.</summary>
    public string? Divergence { get; private set; }

    /// <summary>Raised once when a quorum disagrees with this peer.</summary>
    public event Action<string>? Diverged;

    /// <summary>Raised with each newly final height.</summary>
    public event Action<ulong>? Finalized;

    /// <summary>This peer's own attestations, in order, waiting to be published.</summary>
    public ChannelReader<AttestationMessage> Outbox => _outbox.Reader;

    /// <summary>A block this peer executed and committed; its own attestation is in the certificate.</summary>
    public void OnCommitted(ChainHead head)
    {
        if (!IsConsortium)
        {
            Volatile.Write(ref _finalized, head.Height);
            Finalized?.Invoke(head.Height);
            return;
        }
        var set = _validators().At(head.Height);
        if (head.Certificate.Attestations.Count(a => set.Contains(a.Validator)) >= set.Quorum)
        {
            // Fetched from a peer with its certificate (checked before it was applied).
            Advance(head.Height);
            return;
        }
        var header = head.Header;
        lock (_lock)
        {
            _local[header.Height] = header;
            foreach (var own in head.Certificate.Attestations)
            {
                var message = new AttestationMessage(header.Height, header.Hash, header.StateRoot, own);
                Add(message);
                _outbox.Writer.TryWrite(message);
            }
        }
        Evaluate(header.Height);
    }

    /// <summary>
    /// Re-publishes this peer's attestations of blocks committed but not yet final (after a
    /// restart): the ones stored with each block, never new signatures.
    /// </summary>
    public void Republish(PublicKey validator)
    {
        var head = _store.Head;
        if (!IsConsortium || head is null)
        {
            return;
        }
        foreach (var block in _store.RecentBlocks(head.Height, (int)Math.Min(head.Height - FinalizedHeight, 1_000)))
        {
            if (block.Height > FinalizedHeight)
            {
                OnCommitted(block with { Certificate = FinalityCertificate.Of([.. block.Certificate.Attestations.Where(a => a.Validator.Equals(validator))]) });
            }
        }
    }

    /// <summary>This peer's attestation of a block it committed earlier without one (held back while the block was dated ahead of its clock).</summary>
    public void OnOwnAttestation(AttestationMessage message)
    {
        lock (_lock)
        {
            if (_certified.Contains(message.Height))
            {
                return;
            }
            Add(message);
            _outbox.Writer.TryWrite(message);
        }
        Evaluate(message.Height);
    }

    /// <summary>
    /// An attestation read from the log: kept when its signature holds; counted once this peer
    /// executed the block, if its signer is a validator at that height (the set may be scheduled
    /// by a block this peer has not executed yet).
    /// </summary>
    public void OnAttestation(AttestationMessage message)
    {
        var head = _store.Head?.Height ?? 0;
        if (message.Height + MaxHeightsAhead < FinalizedHeight || message.Height > head + MaxHeightsAhead ||
            !message.Verify(_validators().Scope))
        {
            return;
        }
        lock (_lock)
        {
            if (_certified.Contains(message.Height))
            {
                return;
            }
            Add(message);
        }
        Evaluate(message.Height);
    }

    private void Add(AttestationMessage message)
    {
        if (!_seen.TryGetValue(message.Height, out var byValidator))
        {
            _seen[message.Height] = byValidator = [];
        }
        byValidator[message.Attestation.Validator] = message;
    }

    private void Evaluate(ulong height)
    {
        FinalityCertificate? certificate = null;
        string? divergence = null;
        lock (_lock)
        {
            if (Divergence is not null || !_seen.TryGetValue(height, out var byValidator) || !_local.TryGetValue(height, out var local))
            {
                return;
            }
            var set = _validators().At(height);
            var agreeing = new List<Attestation>();
            var others = new Dictionary<(Hash, Hash), int>();
            foreach (var message in byValidator.Values)
            {
                if (!set.Contains(message.Attestation.Validator))
                {
                    continue;
                }
                if (message.BlockHash == local.Hash && message.StateRoot == local.StateRoot)
                {
                    agreeing.Add(message.Attestation);
                }
                else
                {
                    var key = (message.BlockHash, message.StateRoot);
                    others[key] = others.GetValueOrDefault(key) + 1;
                }
            }
            foreach (var ((hash, root), count) in others)
            {
                if (count >= set.Quorum)
                {
                    divergence = $"block {height}: {count} validators (quorum {set.Quorum}) signed block hash {hash} and state root {root}; " +
                        $"this peer computed {local.Hash} and {local.StateRoot}. It stops applying blocks; rebuild its data from a healthy peer";
                }
            }
            if (divergence is null && agreeing.Count >= set.Quorum)
            {
                certificate = FinalityCertificate.Of([.. agreeing]);
            }
            if (divergence is not null)
            {
                Divergence = divergence;
            }
        }
        if (divergence is not null)
        {
            Diverged?.Invoke(divergence);
            return;
        }
        if (certificate is not null)
        {
            _store.SetCertificate(height, certificate);
            Advance(height);
        }
    }

    private void Advance(ulong height)
    {
        lock (_lock)
        {
            if (height > _finalized)
            {
                Volatile.Write(ref _finalized, height);
            }
            _seen.Remove(height);
            _local.Remove(height);
            _certified.Add(height);
            while (_certified.Count > 0 && _certified.Min + MaxHeightsAhead < _finalized)
            {
                _certified.Remove(_certified.Min);
            }
            // Heights below the final one that never gathered a quorum are dropped: finality is
            // per block, and memory stays bounded.
            while (_seen.Count > 0 && _seen.Keys.First() + MaxHeightsAhead < _finalized)
            {
                _seen.Remove(_seen.Keys.First());
            }
            while (_local.Count > 0 && _local.Keys.First() + MaxHeightsAhead < _finalized)
            {
                _local.Remove(_local.Keys.First());
            }
        }
        Finalized?.Invoke(height);
    }
}

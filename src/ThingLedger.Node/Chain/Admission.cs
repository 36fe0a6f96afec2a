using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Ordering;
using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>
/// The gate in front of ordering. Decodes strictly, checks chain, routing, the payload's
/// decoding, members-only operations and expiry, verifies
/// all signatures of a batch on every core (first come, first served: <see cref="VerificationPool"/>), then checks each signer's next nonce
/// against committed state plus what is already waiting, within a per-signer bound. Only accepted txs reach ordering;
/// a rejected tx changes nothing.
/// </summary>
public sealed class Admission
{
    private readonly LedgerStore _store;
    private readonly StateMachine _machine;
    private readonly ISequencer _sequencer;
    private readonly NodeMetrics _metrics;
    private readonly VerificationPool _verifier;
    private readonly object _lock = new();
    private readonly Dictionary<Address, ulong> _nextNonce = [];
    private readonly Dictionary<Hash, Transaction> _pendingIds = [];

    public Admission(LedgerStore store, StateMachine machine, ISequencer sequencer, NodeMetrics metrics, VerificationPool verifier, NodeHealth health, int maxPendingPerSigner)
    {
        _maxPendingPerSigner = (ulong)maxPendingPerSigner;
        _health = health;
        _verifier = verifier;
        _store = store;
        _machine = machine;
        _sequencer = sequencer;
        _metrics = metrics;
    }

    private readonly NodeHealth _health;
    private readonly ulong _maxPendingPerSigner;

    public Task<AdmissionResult[]> AdmitAsync(IReadOnlyList<byte[]> encoded) => AdmitAsync(encoded, verify: true);

    /// <summary>
    /// Admits txs this node has just signed with its own key (its anchors): every check but the
    /// signature's, which holds by construction, so they do not queue behind the submissions
    /// waiting on the verification pool. Every other peer still checks the signature.
    /// </summary>
    public Task<AdmissionResult[]> AdmitSignedHereAsync(IReadOnlyList<byte[]> encoded) => AdmitAsync(encoded, verify: false);

    private async Task<AdmissionResult[]> AdmitAsync(IReadOnlyList<byte[]> encoded, bool verify)
    {
        var results = new AdmissionResult[encoded.Count];
        var txs = new Transaction?[encoded.Count];
        var nextHeight = (_store.Head?.Height ?? 0) + 1;
        for (var i = 0; i < encoded.Count; i++)
        {
            results[i] = Precheck(encoded[i], nextHeight, out txs[i]);
        }
        if (verify)
        {
            await _verifier.RunAsync(txs.Length, i => Verify(txs, results, i)).ConfigureAwait(false);
        }
        var enqueued = ReserveAndEnqueue(txs, results, out var acceptedAt);
        var refused = await enqueued.ConfigureAwait(false);
        if (refused is not null)
        {
            Unreserve(txs, results, acceptedAt, refused);
        }
        foreach (var result in results)
        {
            _metrics.CountAdmission(result.Code);
        }
        return results;
    }

    private AdmissionResult Precheck(byte[] bytes, ulong nextHeight, out Transaction? tx)
    {
        tx = null;
        if (_health.Fault is { } fault)
        {
            return AdmissionResult.Reject(null, ErrorCodes.NodeUnavailable, fault);
        }
        if (bytes.Length > Transaction.MaxEncodedBytes)
        {
            return AdmissionResult.Reject(null, ErrorCodes.TxTooLarge, $"a tx is at most {Transaction.MaxEncodedBytes} bytes, this one is {bytes.Length}");
        }
        var error = Transaction.TryDecode(bytes, out var decoded);
        if (error == CodecError.LengthTooLarge)
        {
            return AdmissionResult.Reject(null, ErrorCodes.TxTooLarge, $"a field of the tx is longer than allowed (payload at most {Transaction.MaxPayloadBytes} bytes)");
        }
        if (error != CodecError.None)
        {
            return AdmissionResult.Reject(null, ErrorCodes.TxMalformed, $"the tx bytes do not decode: {error}");
        }
        if (decoded!.ChainId != _machine.ChainId)
        {
            return AdmissionResult.Reject(decoded.Id, ErrorCodes.WrongChain, $"the tx is for chain '{decoded.ChainId}', this node serves '{_machine.ChainId}'");
        }
        if (_machine.Admit(decoded, _store, nextHeight) is { } refused)
        {
            return AdmissionResult.Reject(decoded.Id, refused, refused switch
            {
                ErrorCodes.TxVersionRetired => $"tx version {decoded.Version} carries no gas limit; sign version {Transaction.CurrentVersion} (docs/WIRE-FORMAT.md \"Transaction\")",
                ErrorCodes.GasLimitTooLow => $"gas limit {decoded.GasLimit} is below the {Gas.Intrinsic(decoded.Payload.Length)} this tx costs before it runs (1000 + 10 per payload byte)",
                ErrorCodes.GasLimitAboveBlock => $"gas limit {decoded.GasLimit} is above the block gas limit {Gas.BlockLimit}",
                ErrorCodes.UnknownModule => $"no module '{decoded.Module}'",
                ErrorCodes.UnknownOperation => $"no operation '{decoded.Operation}' in module '{decoded.Module}'",
                ErrorCodes.PayloadMalformed => $"the payload does not decode as {decoded.Module}/{decoded.Operation}'s (docs/WIRE-FORMAT.md \"Module payloads\")",
                _ => $"{decoded.Module}/{decoded.Operation} is for members of an organisation; {decoded.SignerAddress} is not one",
            });
        }
        if (decoded.ExpiryHeight < nextHeight)
        {
            return AdmissionResult.Reject(decoded.Id, ErrorCodes.TxExpired, $"the tx expired at height {decoded.ExpiryHeight}; the next block is {nextHeight}");
        }
        if (!Signature.HasLowS(decoded.Signature))
        {
            return AdmissionResult.Reject(decoded.Id, ErrorCodes.SignatureHighS, "the signature's s is above n/2 (or zero); sign with low-S");
        }
        tx = decoded;
        return AdmissionResult.Accept(decoded.Id);
    }

    private static void Verify(Transaction?[] txs, AdmissionResult[] results, int i)
    {
        var tx = txs[i];
        if (tx is not null && !tx.VerifySignature())
        {
            results[i] = AdmissionResult.Reject(tx.Id, ErrorCodes.SignatureInvalid, "the signature does not verify for this tx body, chain and signer key");
            txs[i] = null;
        }
    }

    /// <summary>
    /// Reserves each tx's nonce and hands the accepted ones to ordering in one step (under the
    /// lock, so their order is the order of reservation). Returns ordering's answer: it may come
    /// later, once ordering holds them durably (etcd).
    /// </summary>
    private Task<string?> ReserveAndEnqueue(Transaction?[] txs, AdmissionResult[] results, out List<int> acceptedAt)
    {
        acceptedAt = new List<int>(txs.Length);
        lock (_lock)
        {
            var accepted = new List<Transaction>(txs.Length);
            var previous = new Dictionary<Address, ulong?>();
            for (var i = 0; i < txs.Length; i++)
            {
                var tx = txs[i];
                if (tx is null)
                {
                    continue;
                }
                if (_pendingIds.ContainsKey(tx.Id))
                {
                    results[i] = AdmissionResult.Reject(tx.Id, ErrorCodes.TxDuplicate, "this tx is already waiting for a block");
                    continue;
                }
                var hasPending = _nextNonce.TryGetValue(tx.SignerAddress, out var expected);
                if (!hasPending)
                {
                    expected = StateMachine.LastNonce(_store, tx.SignerAddress) + 1;
                }
                if (hasPending && expected - 1 - StateMachine.LastNonce(_store, tx.SignerAddress) >= _maxPendingPerSigner)
                {
                    results[i] = AdmissionResult.Reject(tx.Id, ErrorCodes.SignerPendingLimit,
                        $"{tx.SignerAddress} already has {_maxPendingPerSigner} txs waiting for a block (Node:MaxPendingPerSigner); retry once some commit");
                    continue;
                }
                if (tx.Nonce != expected)
                {
                    results[i] = tx.Nonce < expected
                        ? AdmissionResult.Reject(tx.Id, ErrorCodes.NonceReused, $"nonce {tx.Nonce} is already used by {tx.SignerAddress}; the next is {expected}")
                        : AdmissionResult.Reject(tx.Id, ErrorCodes.NonceGap, $"nonce {tx.Nonce} skips ahead; the next for {tx.SignerAddress} is {expected}");
                    continue;
                }
                previous.TryAdd(tx.SignerAddress, hasPending ? expected : null);
                _nextNonce[tx.SignerAddress] = expected + 1;
                _pendingIds.Add(tx.Id, tx);
                accepted.Add(tx);
                acceptedAt.Add(i);
            }
            if (accepted.Count == 0)
            {
                return NothingToOrder;
            }
            var enqueued = _sequencer.Enqueue(accepted);
            if (!enqueued.IsCompletedSuccessfully || enqueued.Result is not { } refused)
            {
                return enqueued;
            }
            // Refused at once (MEMPOOL_FULL): restore the reservations exactly.
            foreach (var (address, value) in previous)
            {
                if (value is { } v)
                {
                    _nextNonce[address] = v;
                }
                else
                {
                    _nextNonce.Remove(address);
                }
            }
            foreach (var index in acceptedAt)
            {
                _pendingIds.Remove(txs[index]!.Id);
                results[index] = Refusal(txs[index]!.Id, refused);
            }
            acceptedAt.Clear();
            return NothingToOrder;
        }
    }

    private static AdmissionResult Refusal(Hash id, string code) => AdmissionResult.Reject(id, code, code == ErrorCodes.MempoolFull
        ? "too many txs are waiting for a block; retry shortly"
        : "ordering (etcd) did not take the tx, so it is not accepted; retry shortly");

    private static readonly Task<string?> NothingToOrder = Task.FromResult<string?>(null);

    /// <summary>
    /// Ordering could not take the txs: they are refused, and their signers' reservations are
    /// dropped so the next submission starts again from committed state.
    /// </summary>
    private void Unreserve(Transaction?[] txs, AdmissionResult[] results, List<int> acceptedAt, string refused)
    {
        lock (_lock)
        {
            foreach (var index in acceptedAt)
            {
                var tx = txs[index]!;
                _pendingIds.Remove(tx.Id);
                _nextNonce.Remove(tx.SignerAddress);
                results[index] = Refusal(tx.Id, refused);
            }
        }
    }

    /// <summary>
    /// Forgets what a committed block settled: its ids, and nonce reservations that state has
    /// caught up with. A tx that failed before consuming its nonce (it expired while waiting)
    /// drops its signer's reservation, so the next submission starts from committed state.
    /// </summary>
    public void OnCommitted(IReadOnlyList<Transaction> txs, IReadOnlyList<Receipt> receipts)
    {
        lock (_lock)
        {
            for (var i = 0; i < txs.Count; i++)
            {
                var tx = txs[i];
                _pendingIds.Remove(tx.Id);
                var code = receipts[i].ErrorCode;
                var nonceUnused = code is ErrorCodes.TxExpired or ErrorCodes.NonceMismatch or ErrorCodes.WrongChain;
                if (_nextNonce.TryGetValue(tx.SignerAddress, out var next) &&
                    (nonceUnused || next == StateMachine.LastNonce(_store, tx.SignerAddress) + 1))
                {
                    _nextNonce.Remove(tx.SignerAddress);
                }
            }
        }
    }

    /// <summary>The tx when it is admitted and not yet committed.</summary>
    public Transaction? FindPending(Hash id)
    {
        lock (_lock)
        {
            return _pendingIds.GetValueOrDefault(id);
        }
    }

    /// <summary>Txs accepted and not yet committed.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pendingIds.Count;
            }
        }
    }
}

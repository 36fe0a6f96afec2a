using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;

namespace ThingLedger.Execution.Tests;

/// <summary>
/// The production state machine over an in-memory committed state: genesis with two
/// organisations, then blocks applied one at a time. Tracks nonces so tests read as stories.
/// </summary>
internal sealed class TestChain : IStateReader
{
    public const string ChainId = "test-chain";

    private readonly SortedDictionary<string, byte[]> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, ulong> _nonces = [];

    public TestChain()
    {
        AcmeAdmin = KeyPair.Generate();
        GridAdmin = KeyPair.Generate();
        Genesis = new Genesis(ChainId, 1_700_000_000_000,
            [new GenesisOrg("acme", "Acme Devices", [AcmeAdmin.PublicKey]), new GenesisOrg("grid", "Grid Co", [GridAdmin.PublicKey])],
            [new GenesisValidator("acme", AcmeAdmin.PublicKey)], 1);
        Machine = StateMachine.Create(ChainId);
        Apply(Machine.Genesis(Genesis, this));
    }

    public Genesis Genesis { get; }
    public StateMachine Machine { get; }
    public KeyPair AcmeAdmin { get; }
    public KeyPair GridAdmin { get; }
    public ulong Height { get; private set; }

    public byte[]? Get(string key) => _state.TryGetValue(key, out var v) ? v : null;

    public IReadOnlyDictionary<string, byte[]> State => _state;

    public Transaction Tx<T>(KeyPair signer, string module, string operation, T payload, ulong? nonce = null, ulong expiry = ulong.MaxValue)
        where T : ICanonical
    {
        var n = nonce ?? (_nonces.GetValueOrDefault(signer.Address) + 1);
        if (nonce is null)
        {
            _nonces[signer.Address] = n;
        }
        return Transaction.Create(ChainId, module, operation, Canonical.Encode(payload), signer, n, expiry);
    }

    /// <summary>Executes one block and commits its changes; returns the receipts.</summary>
    public Receipt[] Block(params Transaction[] txs)
    {
        Height++;
        var result = Machine.ExecuteBlock(this, Height, 1_700_000_000_000 + Height, txs);
        Apply(result.Changes);
        return result.Receipts;
    }

    public Receipt Run(Transaction tx) => Block(tx)[0];

    /// <summary>The state root as a node would compute it.</summary>
    public Hash Root()
    {
        var tree = new SparseMerkleTree();
        foreach (var (key, value) in _state)
        {
            tree.Set(StateKeys.HashKey(key), Hash.Sha256(value));
        }
        return tree.Root;
    }

    private void Apply(StateChange[] changes)
    {
        foreach (var change in changes)
        {
            if (change.Value is null)
            {
                _state.Remove(change.Key);
            }
            else
            {
                _state[change.Key] = change.Value;
            }
        }
    }
}

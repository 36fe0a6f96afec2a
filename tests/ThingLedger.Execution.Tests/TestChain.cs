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

    /// <param name="extraModules">Test-only modules to run beside the built-in ones, built from the catalog's surfaces.</param>
    public TestChain(params Func<ModuleCatalog, IModule>[] extraModules)
        : this([KeyPair.Generate(), KeyPair.Generate()], ["acme", "grid"], 1, quorum: 1, extraModules)
    {
    }

    private TestChain(KeyPair[] admins, string[] orgs, int validatorOrgs, int quorum, Func<ModuleCatalog, IModule>[]? extraModules = null)
    {
        Admins = admins;
        Validators = [.. admins.Take(validatorOrgs).Select(_ => KeyPair.Generate())];
        AcmeAdmin = admins[0];
        GridAdmin = admins[1];
        // The single-validator chain uses acme's admin key as its validator, as the demo does.
        var validatorKeys = validatorOrgs == 1 ? [admins[0]] : Validators;
        Genesis = new Genesis(ChainId, 1_700_000_000_000,
            orgs.Select((org, i) => new GenesisOrg(org, $"Org {org}", [admins[i].PublicKey])),
            validatorKeys.Select((key, i) => new GenesisValidator(orgs[i], key.PublicKey)), quorum);
        Machine = StateMachine.Create(ChainId, ModuleCatalog.Create(extraModules ?? []));
        Apply(Machine.Genesis(Genesis, this));
    }

    /// <summary>Organisations a, b, c, d, each with an admin; the first <paramref name="validatorOrgs"/> also run a validator.</summary>
    public static TestChain Consortium(int validatorOrgs, int quorum) =>
        new([KeyPair.Generate(), KeyPair.Generate(), KeyPair.Generate(), KeyPair.Generate()], ["a", "b", "c", "d"], validatorOrgs, quorum);

    /// <summary>The device's proof of possession for a registration by <paramref name="org"/> under <paramref name="serial"/> on this chain.</summary>
    public static byte[] Possession(KeyPair device, string org, string serial) => Execution.Modules.Devices.DeviceRegistration.Prove(device, ChainId, org, serial);

    /// <summary>The describer of test modules' token-amount payloads.</summary>
    public static PayloadField[] Describe(Execution.Modules.Tokens.TokenAmountPayload p) => [PayloadField.Token(p.Symbol), PayloadField.Account("to", p.To)];

    public Genesis Genesis { get; }
    public StateMachine Machine { get; }
    public KeyPair AcmeAdmin { get; }
    public KeyPair GridAdmin { get; }

    /// <summary>One admin per organisation, in organisation order.</summary>
    public KeyPair[] Admins { get; }

    /// <summary>Validator keys of a consortium chain, in organisation order.</summary>
    public KeyPair[] Validators { get; }
    public ulong Height { get; private set; }

    /// <summary>Block timestamps are this plus the height (ms); tests move it forward to let time pass.</summary>
    public ulong Clock { get; set; } = 1_700_000_000_000;

    public byte[]? Get(string key) => _state.TryGetValue(key, out var v) ? v : null;

    public IReadOnlyDictionary<string, byte[]> State => _state;

    public Transaction Tx<T>(KeyPair signer, string module, string operation, T payload, ulong? nonce = null, ulong expiry = ulong.MaxValue, ulong gasLimit = Gas.DefaultTxLimit)
        where T : ICanonical
    {
        var n = nonce ?? (_nonces.GetValueOrDefault(signer.Address) + 1);
        if (nonce is null)
        {
            _nonces[signer.Address] = n;
        }
        return Transaction.Create(ChainId, module, operation, Canonical.Encode(payload), signer, n, expiry, gasLimit);
    }

    /// <summary>Executes one block and commits its changes; returns the receipts.</summary>
    public Receipt[] Block(params Transaction[] txs)
    {
        Height++;
        var result = Machine.ExecuteBlock(this, Height, Clock + Height, txs);
        Apply(result.Changes);
        return result.Receipts;
    }

    public Receipt Run(Transaction tx) => Block(tx)[0];

    private ulong _ingest;

    /// <summary>Anchors <paramref name="summaries"/> as the single-validator chain's custodian (acme's admin key), continuing its ingest range.</summary>
    public Receipt Anchor(params Core.Telemetry.DeviceSummary[] summaries)
    {
        var count = (ulong)summaries.Sum(s => s.Count);
        var anchor = new Core.Telemetry.AnchorPayload(Hash.Sha256([1]), count, 1, 2, _ingest + 1, _ingest + count, summaries);
        var receipt = Run(Tx(AcmeAdmin, Execution.Modules.Telemetry.TelemetryModule.ModuleName, Execution.Modules.Telemetry.TelemetryModule.Anchor, anchor));
        _ingest += receipt.Succeeded ? count : 0;
        return receipt;
    }

    /// <summary>Runs <paramref name="act"/> and asserts it failed with <paramref name="code"/> and changed nothing but the signer's nonce.</summary>
    public void AssertRefused(string code, Func<Receipt> act)
    {
        var before = StateBesidesNonces();
        Assert.Equal(code, act().ErrorCode);
        var after = StateBesidesNonces();
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
    }

    private Dictionary<string, byte[]> StateBesidesNonces() =>
        _state.Where(kv => !kv.Key.StartsWith("core/nonce/", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);

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

using Microsoft.Extensions.Options;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Contracts;
using ThingLedger.Execution.Modules.Contracts.Wasm;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Contracts;

/// <summary>Contracts, versions, proposals, storage and queries read from committed state: the one place the module's API and explorer pages read from.</summary>
public sealed class ContractsQueries(LedgerStore store, StateMachine machine)
{
    /// <summary>The most gas a query may use: it holds off commits while it runs, so it is kept to milliseconds.</summary>
    public const ulong MaxQueryGas = 10_000_000;

    public List<ContractRecord> Contracts() => [.. LedgerLists.Decoded(store, "contracts/contract/", ContractRecord.Read).Select(c => c.Record)];

    public ContractRecord? Contract(string name) => Core.Ledger.Identifiers.IsModuleName(name) ? ContractsModule.ReadContract(store, name) : null;

    public int CodeBytes(ContractRecord contract) => store.Get(ContractsModule.CodeKey(contract.Code))?.Length ?? 0;

    public List<ContractVersionRecord> Versions(ContractRecord contract) =>
        [.. Enumerable.Range(1, (int)contract.Versions).Select(n => ContractsModule.ReadVersion(store, contract.Name, (uint)n)).OfType<ContractVersionRecord>()];

    public List<(Hash Id, ContractProposalRecord Proposal)> Proposals() =>
        [.. LedgerLists.Decoded(store, "contracts/proposal/", ContractProposalRecord.Read)
            .Select(p => (Hash.Parse(p.Id), p.Record)).OrderByDescending(p => p.Record.ProposedAt).ThenBy(p => p.Item1.ToString(), StringComparer.Ordinal)];

    public ContractProposalRecord? Proposal(Hash id) => ContractsModule.ReadProposal(store, id);

    /// <summary>The validator set in force at the head: who votes on proposals, and how many approvals enact one.</summary>
    public Core.Ledger.ValidatorSet Validators() => machine.Module<Execution.Modules.Identity.IdentityModule>().ValidatorsAt(new StateView(store), (store.Head?.Height ?? 0) + 1);

    /// <summary>A contract's storage entries in key order after the state-key suffix <paramref name="after"/>.</summary>
    public Page<ContractEntryView> Entries(string name, string? after, int limit)
    {
        var prefix = ContractsModule.StorePrefix(name);
        var page = store.Scan(prefix, after is null ? null : prefix + after, limit);
        return new Page<ContractEntryView>(
            [.. page.Select(kv => new ContractEntryView(kv.Key[prefix.Length..], Convert.ToHexStringLower(kv.Value.AsSpan(Math.Min(8, kv.Value.Length))), kv.Key))],
            page.Count == limit ? page[^1].Key[prefix.Length..] : null);
    }

    /// <summary>Committed txs that named the contract's address (its calls, and payments to it), newest first.</summary>
    public IReadOnlyList<StoredTx> Activity(ContractRecord contract, TxPosition? before, int limit) => store.Activity(ActivityTopics.OfAddress(contract.Address), before, limit);

    /// <summary>A tx on a contract's activity, decoded by its metadata: the method and arguments called (name=value), and the contract's events.</summary>
    public sealed record DecodedCall(StoredTx Tx, string Method, string Args, string Events);

    public DecodedCall Decode(ContractRecord contract, StoredTx tx)
    {
        var method = "—";
        var args = string.Empty;
        if (tx.Transaction.Module == ContractsNames.ModuleName && tx.Transaction.Operation == ContractsNames.Call
            && Execution.Payload.TryDecode(tx.Transaction.Payload, CallPayload.Read, out var call))
        {
            method = call.Method;
            var spec = call.Contract == contract.Name ? contract.Metadata.Method(call.Method) : null;
            args = spec is not null && ContractAbi.TryDecode(call.Args, spec.ArgTypes, out var values)
                ? string.Join(", ", spec.Args.Select((a, i) => $"{a.Name}={values[i]}"))
                : "0x" + Convert.ToHexStringLower(call.Args);
            if (call.Contract != contract.Name)
            {
                method = $"{call.Contract}.{call.Method}";
            }
        }
        else
        {
            method = $"{tx.Transaction.Module}/{tx.Transaction.Operation}";
        }
        var events = tx.Receipt.Events
            .Where(e => e.Module == ContractsNames.ModuleName && e.Name is "event" or "reverted" or "trapped" && e["contract"] == contract.Name)
            .Select(e => (e.Name == "event" ? e["event"] : e.Name) + "(" + string.Join(", ", e.Attributes.Where(a => a.Key is not ("contract" or "address" or "event" or "method"))
                .Select(a => $"{a.Key.TrimStart('@')}={a.Value}")) + ")");
        return new DecodedCall(tx, method, args, string.Join(" · ", events));
    }

    /// <summary>Runs a method read-only at the head, no block committing meanwhile.</summary>
    public (QueryResult Result, ulong Height) Query(string name, string method, byte[] args, Address signer, ulong gasLimit) =>
        store.Consistent(head => (machine.Module<ContractsModule>().Query(store, head.Height, head.Header.Timestamp, signer, name, method, args, Math.Min(gasLimit, MaxQueryGas)), head.Height));
}

/// <summary>Keeps compiled contracts in the data directory, so a restarted node runs them without compiling again.</summary>
internal sealed class ContractCodeCache(IOptions<NodeOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.DataDirectory.Length > 0)
        {
            ContractEngine.Shared.UseDiskCache(Path.Combine(options.Value.DataDirectory, "contract-cache"));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

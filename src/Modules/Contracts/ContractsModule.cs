using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Execution.Modules.Contracts.Wasm;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Contracts;

/// <summary>
/// User code as WebAssembly (docs/CONTRACTS.md): deployed, upgraded, frozen and unfrozen by
/// proposals that take effect when admins of a quorum of validating organisations approved them
/// (on a solo node the proposer's organisation is the quorum, so a deploy takes effect at once),
/// and called by anyone the contract's policy admits. A call runs in <see cref="ContractEngine"/>
/// with the tx's gas as fuel; a contract's state lives under contracts/store/{name}/.
/// </summary>
public sealed partial class ContractsModule(ITokenLedger tokens, IDeviceRegistry devices, ITelemetryRecords telemetry, IMembershipDirectory members) : IModule
{
    public const string ModuleName = ContractsNames.ModuleName;

    /// <summary>Validating and compiling code at a deploy or upgrade, per byte (a node compiles once per code hash; the charge is the same on every peer).</summary>
    public const ulong CompileGasPerByte = 20;

    private readonly ContractServices _services = new(ContractEngine.Shared, tokens, devices, telemetry);

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(ContractsErrors));

    public IReadOnlyList<EventType> Events => ContractsEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of("contracts/contract/", "contract", ContractRecord.Read),
        StateRecordType.Decoded("contracts/code/", "contract code", static bytes => $"{bytes.Length} bytes of WebAssembly, SHA-256 {Hash.Sha256(bytes)}"),
        StateRecordType.Of("contracts/proposal/", "contract proposal", ContractProposalRecord.Read),
        StateRecordType.Of("contracts/version/", "contract version", ContractVersionRecord.Read),
        StateRecordType.Decoded("contracts/store/", "contract storage entry", StoreEntry),
        StateRecordType.Decoded("contracts/slot/", "contract storage key", static bytes => "0x" + Convert.ToHexStringLower(bytes)),
        StateRecordType.Number("contracts/slots/", "contract storage slots used"),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(ContractsNames.Deploy, DeployPayload.Read, (c, p) => Propose(c, ContractAction.Deploy, p), Describe, Access.Members)
        .Add(ContractsNames.Upgrade, DeployPayload.Read, (c, p) => Propose(c, ContractAction.Upgrade, p), Describe, Access.Members)
        .Add(ContractsNames.Freeze, ContractNamePayload.Read, (c, p) => Propose(c, ContractAction.Freeze, Named(p.Name)), static p => [Link(p.Name)], Access.Members)
        .Add(ContractsNames.Unfreeze, ContractNamePayload.Read, (c, p) => Propose(c, ContractAction.Unfreeze, Named(p.Name)), static p => [Link(p.Name)], Access.Members)
        .Add(ContractsNames.Approve, ApproveContractPayload.Read, Approve, static p => [new("proposal", p.Proposal.ToString(), $"/contracts/proposals/{p.Proposal}")], Access.Members)
        .Add(ContractsNames.Call, CallPayload.Read, DoCall, static p =>
            [Link(p.Contract), F.Text("method", p.Method), F.Text("args", "0x" + Convert.ToHexStringLower(p.Args)),
             .. p.DepositToken.Length == 0 ? Array.Empty<F>() : [F.Token(p.DepositToken, "deposit token"), F.Amount("deposit", p.DepositAmount, p.DepositToken)]]);

    private OperationTable? _operations;

    private static F Link(string contract) => new("contract", contract, $"/contracts/{contract}");

    private static F[] Describe(DeployPayload p) =>
        [Link(p.Name), F.Text("version", p.Version), F.Text("code", $"{p.Code.Length} bytes, SHA-256 {Hash.Sha256(p.Code)}"),
         F.Number("methods", p.Metadata.Methods.Length), F.Text("policy", PolicyText(p.Policy, p.PolicyOrgs))];

    public static string PolicyText(CallPolicy policy, string[] orgs) => policy switch
    {
        CallPolicy.Anyone => "anyone",
        CallPolicy.Members => "members",
        CallPolicy.Orgs => "orgs: " + string.Join(", ", orgs),
        _ => $"unknown ({(byte)policy})",
    };

    private static DeployPayload Named(string name) => new(name, string.Empty, [], new ContractMetadata(string.Empty, [], []), [], CallPolicy.Anyone, []);

    public static string ContractKey(string name) => $"contracts/contract/{name}";
    public static string CodeKey(in Hash code) => $"contracts/code/{code}";
    public static string ProposalKey(in Hash id) => $"contracts/proposal/{id}";
    public static string VersionKey(string name, uint n) => $"contracts/version/{name}/{n:D6}";
    public static string StorePrefix(string name) => $"contracts/store/{name}/";
    public static string StoreKey(string name, ReadOnlySpan<byte> key) => StorePrefix(name) + Convert.ToHexStringLower(key);
    public static string SlotKey(string name, ulong slot) => $"contracts/slot/{name}/{slot:D12}";
    public static string SlotCountKey(string name) => $"contracts/slots/{name}";

    /// <summary>The account a contract holds tokens in: derived from its name; nobody holds its key.</summary>
    public static Address AddressOf(string name) => TokenLedger.ModuleAccount($"thingledger/contracts/{name}");

    public static ContractRecord? ReadContract(IStateReader state, string name) => Payload.Get(state, ContractKey(name), ContractRecord.Read);

    public static ContractProposalRecord? ReadProposal(IStateReader state, in Hash id) => Payload.Get(state, ProposalKey(id), ContractProposalRecord.Read);

    public static ContractVersionRecord? ReadVersion(IStateReader state, string name, uint n) => Payload.Get(state, VersionKey(name, n), ContractVersionRecord.Read);

    /// <summary>A storage entry's value (after its 8-byte slot), or null when the key is absent.</summary>
    public static byte[]? ReadStored(IStateReader state, string name, ReadOnlySpan<byte> key) => state.Get(StoreKey(name, key)) is { Length: >= 8 } entry ? entry[8..] : null;

    private static object? StoreEntry(byte[] bytes) =>
        bytes.Length < 8 ? null : new { slot = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), value = "0x" + Convert.ToHexStringLower(bytes.AsSpan(8)) };

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }

    private Outcome DoCall(TxContext context, CallPayload p)
    {
        var run = new ContractRun(context) { Deposit = (p.DepositToken, p.DepositAmount) };
        try
        {
            var (contract, method) = Target(run, p.Contract, p.Method, p.Args);
            if (p.DepositToken.Length > 0)
            {
                var deposited = tokens.Move(context, p.DepositToken, context.Signer, contract.Address, p.DepositAmount);
                if (!deposited.Succeeded)
                {
                    return deposited;
                }
            }
            ContractFrame.Invoke(run, _services, contract, method, context.Signer, p.Args);
            return Outcome.Ok;
        }
        catch (ContractAbort abort)
        {
            return abort.Outcome;
        }
    }

    /// <summary>
    /// The contract and method a call names, checked: the contract exists and is not frozen, its
    /// policy admits the run's signer, the method is declared, and the arguments decode as its types.
    /// </summary>
    internal static (ContractRecord Contract, ContractMethod Method) Target(ContractRun run, string name, string method, byte[] args)
    {
        var contract = ReadContract(run.State, name) ?? throw new ContractAbort(ContractsErrors.NotFound);
        if (contract.Frozen)
        {
            throw new ContractAbort(ContractsErrors.Frozen);
        }
        if (!Admits(run, contract))
        {
            throw new ContractAbort(ContractsErrors.CallRefused);
        }
        var spec = contract.Metadata.Method(method) ?? throw new ContractAbort(ContractsErrors.MethodUnknown);
        if (!ContractAbi.TryDecode(args, spec.ArgTypes, out _))
        {
            throw new ContractAbort(ContractsErrors.ArgsInvalid);
        }
        return (contract, spec);
    }

    private static bool Admits(ContractRun run, ContractRecord contract) => contract.Policy switch
    {
        CallPolicy.Anyone => true,
        CallPolicy.Members => run.MemberOf(run.Signer) is not null,
        CallPolicy.Orgs => run.MemberOf(run.Signer) is { } m && contract.PolicyOrgs.Contains(m.Org, StringComparer.Ordinal),
        _ => false,
    };

    /// <summary>
    /// Runs a method without a tx against <paramref name="state"/> (committed state at
    /// <paramref name="height"/>), as <paramref name="signer"/>: its output, or the outcome that
    /// stopped it. Nothing is written; writing, paying or emitting fails with CONTRACT_READ_ONLY.
    /// </summary>
    public QueryResult Query(IStateReader state, ulong height, ulong time, Address signer, string name, string method, byte[] args, ulong gasLimit)
    {
        var meter = new GasMeter(gasLimit);
        var view = new StateView(state, meter);
        var run = new ContractRun(view, meter, signer, height, time, members);
        try
        {
            var (contract, spec) = Target(run, name, method, args);
            var output = ContractFrame.Invoke(run, _services, contract, spec, signer, args);
            return new QueryResult(Outcome.Ok, output, meter.Used);
        }
        catch (ContractAbort abort)
        {
            return new QueryResult(abort.Outcome, [], meter.Used);
        }
        catch (OutOfGasException)
        {
            return new QueryResult(ErrorCodes.OutOfGas, [], meter.Used);
        }
    }
}

/// <summary>What a query returned: its outcome, its output (the method's results, canonically encoded) and the gas it used.</summary>
public sealed record QueryResult(Outcome Outcome, byte[] Output, ulong GasUsed);

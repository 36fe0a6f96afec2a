using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Cli.Commands;

/// <summary>contract new|build|deploy|upgrade|approve|freeze|unfreeze|call|query|show|list|proposals (docs/CONTRACTS.md).</summary>
internal static partial class ContractCommands
{
    public static Command Create() =>
        new Command("contract", "WebAssembly smart contracts: write, build, deploy by the consortium's approval, call and query.")
            .With(New(), Build(), Deploy(upgrade: false), Deploy(upgrade: true), Approve(), Freeze(true), Freeze(false), Call(), Query(), Show(), List(), Proposals());

    private static Command Deploy(bool upgrade)
    {
        var verb = upgrade ? "upgrade" : "deploy";
        var folder = new Argument<string>("folder") { Description = $"The contract's folder (holding {ContractManifest.FileName} and its built code)", DefaultValueFactory = _ => "." };
        var init = new Option<string[]>("--init") { Description = "init's arguments, in order (when the contract declares init)", AllowMultipleArgumentsPerToken = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var what = upgrade
            ? "Propose a new version of a deployed contract (its state is kept; init runs again if declared)."
            : "Propose a contract; it takes effect once admins of a quorum of validating organisations approved (at once on a solo node).";
        return new Command(verb, $"{what}\nExample: thingledger contract {verb} contracts/examples/token --as admin")
            .With(folder, init, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var manifest = ContractManifest.Load(parse.GetValue(folder)!);
                var proposal = manifest.Proposal(parse.GetValue(init) ?? []);
                var operation = upgrade ? Operations.UpgradeContract(proposal) : Operations.DeployContract(proposal);
                return await ProposeAsync(cli, parse, signer, noWait, operation, null, ct).ConfigureAwait(false);
            });
    }

    /// <summary>Signs and submits a lifecycle tx, then says where its proposal stands (<paramref name="proposal"/>, or the tx's own id for a new one).</summary>
    private static async Task<int> ProposeAsync(CliContext cli, ParseResult parse, Option<string> signer, Option<bool> noWait, Operation operation, Hash? proposal, CancellationToken ct)
    {
        var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
        var (code, tx) = await cli.SubmitAsync(account, operation, parse.GetValue(noWait), ct).ConfigureAwait(false);
        if (code == 0 && !cli.Json && !parse.GetValue(noWait))
        {
            await ReportProposalAsync(cli, proposal ?? tx.Id, ct).ConfigureAwait(false);
        }
        return code;
    }

    private static async Task ReportProposalAsync(CliContext cli, Hash id, CancellationToken ct)
    {
        if (await cli.Client.GetContractProposalAsync(id.ToString(), ct).ConfigureAwait(false) is not { } p)
        {
            return;
        }
        Console.WriteLine(p.EnactedAt != 0
            ? $"{p.Action.ToString().ToLowerInvariant()} of {p.Contract} {p.Version} took effect in block {p.EnactedAt} (approved by {string.Join(", ", p.Approvals)})"
            : $"proposal {p.Id}: approved by {string.Join(", ", p.Approvals)}; {p.Quorum - p.Approvals.Count(a => p.Voters.Contains(a))} more of {string.Join(", ", p.Voters.Except(p.Approvals))} must approve:\n  thingledger contract approve {p.Id} --as <their admin>");
    }

    private static Command Approve()
    {
        var proposal = new Argument<string>("proposal") { Description = "The proposal's id (the proposing tx's id)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("approve", "Approve a contract proposal as an admin of a validating organisation.\nExample: thingledger contract approve 9f2c… --as grid-admin")
            .With(proposal, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var id = Hash.Parse(parse.GetValue(proposal)!);
                return await ProposeAsync(cli, parse, signer, noWait, Operations.ApproveContractProposal(id), id, ct).ConfigureAwait(false);
            });
    }

    private static Command Freeze(bool freeze)
    {
        var verb = freeze ? "freeze" : "unfreeze";
        var name = new Argument<string>("contract") { Description = "The contract's name" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(verb, $"Propose to {(freeze ? "stop every call to" : "resume calls to")} a contract; the same quorum as a deploy decides.\nExample: thingledger contract {verb} ride-share --as admin")
            .With(name, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var operation = freeze ? Operations.FreezeContract(parse.GetValue(name)!) : Operations.UnfreezeContract(parse.GetValue(name)!);
                return await ProposeAsync(cli, parse, signer, noWait, operation, null, ct).ConfigureAwait(false);
            });
    }

    private static Command Call()
    {
        var name = new Argument<string>("contract") { Description = "The contract's name" };
        var method = new Argument<string>("method") { Description = "The method to run" };
        var values = new Argument<string[]>("args") { Description = "Its arguments in order, as text (numbers, true/false, 0x-hex bytes, tl… addresses, key names for addresses)", Arity = ArgumentArity.ZeroOrMore };
        var deposit = new Option<string[]>("--deposit") { Description = "Pay AMOUNT TOKEN (smallest units) into the contract with the call", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("call", "Call a contract method in a tx (it may write, pay and emit).\nExample: thingledger contract call ride-share book 3 1 --deposit 500 RIDE --as rider-1")
            .With(name, method, values, deposit, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var contract = await ContractAsync(cli, parse.GetValue(name)!, ct).ConfigureAwait(false);
                var spec = MethodOf(contract, parse.GetValue(method)!);
                var args = Encode(cli, spec, parse.GetValue(values) ?? []);
                var (token, amount) = parse.GetValue(deposit) is [var a, var t]
                    ? (t, UInt128.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"--deposit: '{a}' is not an amount in the token's smallest units"))
                    : (string.Empty, UInt128.Zero);
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var (code, tx) = await cli.SubmitAsync(account, Operations.CallContract(contract.Name, spec.Name, args, token, amount), parse.GetValue(noWait), ct).ConfigureAwait(false);
                if (!cli.Json && !parse.GetValue(noWait) && await cli.Client.GetTxAsync(tx.Id, ct).ConfigureAwait(false) is { Receipt: { } receipt })
                {
                    foreach (var e in receipt.Events.Where(e => e.Module == ContractsNames.ModuleName && e.Name is "event" or "reverted" or "trapped"))
                    {
                        Console.WriteLine($"  {(e.Name == "event" ? e.Attributes["event"] : e.Name)}: {string.Join(", ", e.Attributes.Where(kv => kv.Key is not ("contract" or "address" or "event")).Select(kv => $"{kv.Key.TrimStart('@')}={kv.Value}"))}");
                    }
                    Console.WriteLine($"  gas used: {receipt.GasUsed}");
                }
                return code;
            });
    }

    private static Command Query()
    {
        var name = new Argument<string>("contract") { Description = "The contract's name" };
        var method = new Argument<string>("method") { Description = "The method to run read-only" };
        var values = new Argument<string[]>("args") { Description = "Its arguments in order, as text", Arity = ArgumentArity.ZeroOrMore };
        var signer = new Option<string?>("--as") { Description = "Run as this key or address (what signer() returns); none by default" };
        return new Command("query", "Run a method read-only against committed state: no tx, nothing written.\nExample: thingledger contract query token balance_of owner-1")
            .With(name, method, values, signer)
            .Runs(async (parse, cli, ct) =>
            {
                var contract = await ContractAsync(cli, parse.GetValue(name)!, ct).ConfigureAwait(false);
                var spec = MethodOf(contract, parse.GetValue(method)!);
                var args = Encode(cli, spec, parse.GetValue(values) ?? []);
                var who = parse.GetValue(signer) is { } s ? cli.ResolveAddress(s).ToString() : null;
                var result = await cli.Client.QueryContractAsync(contract.Name, new ContractQueryRequest(spec.Name, ArgsHex: Convert.ToHexStringLower(args), Signer: who), ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(result);
                    return 0;
                }
                foreach (var (key, value) in result.Results)
                {
                    Console.WriteLine($"{key}: {value}");
                }
                Console.WriteLine($"(at block {result.Height}, {result.GasUsed} gas)");
                return 0;
            });
    }

    private static Command Show()
    {
        var name = new Argument<string>("contract") { Description = "The contract's name" };
        return new Command("show", "A contract: version, code hash, methods, events, policy and version history.\nExample: thingledger contract show ride-share")
            .With(name)
            .Runs(async (parse, cli, ct) =>
            {
                var contract = await ContractAsync(cli, parse.GetValue(name)!, ct).ConfigureAwait(false);
                var versions = await cli.Client.GetContractVersionsAsync(contract.Name, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(contract);
                    return 0;
                }
                Output.Fields($"contract {contract.Name}", ("address", contract.Address), ("version", contract.Version), ("code", $"{contract.Code} ({contract.CodeBytes} bytes)"),
                    ("description", contract.Description), ("policy", ContractsModule.PolicyText(contract.Policy, [.. contract.PolicyOrgs])),
                    ("status", contract.Frozen ? "frozen" : "active"), ("deployed", $"block {contract.DeployedAt}"), ("updated", $"block {contract.UpdatedAt}"));
                Output.Rows("methods", ["method", "kind", "args", "returns"], contract.Methods.Select(m => new[]
                    { m.Name, m.View ? "view" : "call", string.Join(", ", m.Args.Select(Param)), string.Join(", ", m.Returns.Select(Param)) }));
                Output.Rows("events", ["event", "fields"], contract.Events.Select(e => new[] { e.Name, string.Join(", ", e.Fields.Select(Param)) }));
                Output.Rows("versions", ["#", "version", "code", "approved by", "block"], versions.Select(v => new[]
                    { v.Number.ToString(CultureInfo.InvariantCulture), v.Version, v.Code, string.Join(", ", v.Approvals), v.Height.ToString(CultureInfo.InvariantCulture) }));
                return 0;
            });
    }

    private static Command List() =>
        new Command("list", "Every deployed contract.\nExample: thingledger contract list")
            .Runs(async (parse, cli, ct) =>
            {
                var contracts = await cli.Client.GetContractsAsync(ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(contracts);
                    return 0;
                }
                Output.Rows("contracts", ["name", "version", "status", "methods", "address"], contracts.Select(c => new[]
                    { c.Name, c.Version, c.Frozen ? "frozen" : "active", c.Methods.Count.ToString(CultureInfo.InvariantCulture), c.Address }));
                return 0;
            });

    private static Command Proposals() =>
        new Command("proposals", "Contract lifecycle proposals, newest first, with who approved and who still may.\nExample: thingledger contract proposals")
            .Runs(async (parse, cli, ct) =>
            {
                var proposals = await cli.Client.GetContractProposalsAsync(ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(proposals);
                    return 0;
                }
                Output.Rows("proposals", ["id", "action", "contract", "version", "approvals", "status"], proposals.Select(p => new[]
                    { p.Id, p.Action.ToString().ToLowerInvariant(), p.Contract, p.Version, $"{string.Join(", ", p.Approvals)} (quorum {p.Quorum})",
                      p.EnactedAt != 0 ? $"enacted in block {p.EnactedAt}" : "open" }));
                return 0;
            });

    private static string Param(ContractParamView p) => $"{p.Name}: {ContractAbi.Name(p.Type)}";

    private static async Task<ContractView> ContractAsync(CliContext cli, string name, CancellationToken ct) =>
        await cli.Client.GetContractAsync(name, ct).ConfigureAwait(false)
            ?? throw new ThingLedgerException(ContractsErrors.NotFound, $"no contract '{name}' (see `thingledger contract list`)", 404);

    private static ContractMethodView MethodOf(ContractView contract, string method) =>
        contract.Methods.FirstOrDefault(m => m.Name == method)
            ?? throw new FormatException($"contract '{contract.Name}' has no method '{method}'; it has {string.Join(", ", contract.Methods.Select(m => m.Name))}");

    /// <summary>The arguments as the method's types; an address argument may be a key name or account of the store.</summary>
    private static byte[] Encode(CliContext cli, ContractMethodView method, string[] values)
    {
        var resolved = values.Select((v, i) => i < method.Args.Count && method.Args[i].Type == ContractType.Address && !v.StartsWith(Address.Prefix, StringComparison.Ordinal)
            ? cli.ResolveAddress(v).ToString() : v).ToList();
        return ContractAbi.Encode([.. method.Args.Select(a => a.Type)], resolved, [.. method.Args.Select(a => a.Name)]);
    }
}

/// <summary>The contracts module's commands.</summary>
internal sealed class ContractsCli : CliModule
{
    public override string Module => ContractsNames.ModuleName;

    public override IEnumerable<Command> Commands() => [ContractCommands.Create()];
}

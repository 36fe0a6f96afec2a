using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Contracts;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Contracts;

/// <summary>The contracts module's node part: contracts, versions, proposals, storage and queries, read through <see cref="ContractsQueries"/>.</summary>
internal sealed class ContractsNode : NodeModule
{
    public override string Module => ContractsNames.ModuleName;

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<ContractsQueries>();
        services.AddHostedService<ContractCodeCache>();
    }

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/contracts", "Contracts")];

    public override string? Find(IServiceProvider services, string term) =>
        services.GetRequiredService<ContractsQueries>().Contract(term) is not null ? $"/contracts/{term}" : null;

    public override void MapApi(RouteGroupBuilder v1)
    {
        var contracts = v1.MapGroup("/contracts").WithTags("Contracts");
        contracts.MapGet("/", List).WithName("ListContracts").WithSummary("Every deployed contract.");
        contracts.MapGet("/proposals", Proposals).WithName("ListContractProposals").WithSummary("Lifecycle proposals, newest first, open and enacted.");
        contracts.MapGet("/proposals/{id}", Proposal).WithName("GetContractProposal").WithSummary("One lifecycle proposal and who approved it.");
        contracts.MapGet("/{name}", Get).WithName("GetContract").WithSummary("One contract: version, code hash, metadata, policy.");
        contracts.MapGet("/{name}/versions", Versions).WithName("ListContractVersions").WithSummary("Every enacted version of a contract, first first.");
        contracts.MapGet("/{name}/state", State).WithName("ListContractState").WithSummary("A contract's storage entries in key order; page with after=key.");
        contracts.MapPost("/{name}/query", Query).WithName("QueryContract").WithSummary("Runs a method read-only against committed state; nothing is written.");
    }

    private static Ok<List<ContractView>> List(ContractsQueries q) => TypedResults.Ok(q.Contracts().Select(c => View(c, q.CodeBytes(c))).ToList());

    private static Results<Ok<ContractView>, ProblemHttpResult> Get(string name, ContractsQueries q) =>
        q.Contract(name) is { } c ? TypedResults.Ok(View(c, q.CodeBytes(c))) : NoContract(name);

    internal static ProblemHttpResult NoContract(string name) => Problems.NotFound($"no contract '{name}'");

    private static Results<Ok<List<ContractVersionView>>, ProblemHttpResult> Versions(string name, ContractsQueries q) =>
        q.Contract(name) is { } c ? TypedResults.Ok(q.Versions(c).Select(View).ToList()) : NoContract(name);

    private static Ok<List<ContractProposalView>> Proposals(ContractsQueries q)
    {
        var validators = q.Validators();
        return TypedResults.Ok(q.Proposals().Select(p => View(p.Id, p.Proposal, validators)).ToList());
    }

    private static Results<Ok<ContractProposalView>, ProblemHttpResult> Proposal(string id, ContractsQueries q) =>
        Hash.TryParse(id, out var hash) && q.Proposal(hash) is { } p
            ? TypedResults.Ok(View(hash, p, q.Validators()))
            : Problems.NotFound($"no contract proposal '{id}'");

    private static Results<Ok<Page<ContractEntryView>>, ProblemHttpResult> State(string name, ContractsQueries q, string? after, int? limit) =>
        q.Contract(name) is null ? NoContract(name) : TypedResults.Ok(q.Entries(name, after, Problems.Limit(limit)));

    private static Results<Ok<ContractQueryView>, ProblemHttpResult> Query(string name, ContractQueryRequest request, ContractsQueries q)
    {
        if (q.Contract(name) is not { } contract)
        {
            return NoContract(name);
        }
        if (contract.Metadata.Method(request.Method) is not { } method)
        {
            return Problems.Of(ContractsErrors.MethodUnknown, $"contract '{name}' has no method '{request.Method}' (it has {string.Join(", ", contract.Metadata.Methods.Select(m => m.Name))})");
        }
        byte[] args;
        try
        {
            args = request.ArgsHex is { } hex
                ? (Hex.TryDecode(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex, out var raw) ? raw : throw new FormatException("argsHex is not hex"))
                : ContractAbi.Encode(method.ArgTypes, request.Args ?? [], [.. method.Args.Select(a => a.Name)]);
        }
        catch (FormatException e)
        {
            return Problems.Of(ContractsErrors.ArgsInvalid, e.Message);
        }
        var signer = default(Address);
        if (request.Signer is { } s && !Address.TryParse(s, out signer))
        {
            return Problems.BadRequest($"signer '{s}' is not an address");
        }
        var (result, height) = q.Query(name, request.Method, args, signer, request.GasLimit ?? Core.Ledger.Gas.DefaultTxLimit);
        if (!result.Outcome.Succeeded)
        {
            var why = result.Outcome.Detail is { } d ? string.Join(", ", d.Attributes.Select(a => $"{a.Key}={a.Value}")) : "";
            return Problems.Of(result.Outcome.ErrorCode!, $"the query failed with {result.Outcome.ErrorCode} after {result.GasUsed} gas{(why.Length > 0 ? $": {why}" : "")}");
        }
        ContractAbi.TryDecode(result.Output, method.ReturnTypes, out var values);
        var named = method.Returns.Select((r, i) => (r.Name, values[i])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
        return TypedResults.Ok(new ContractQueryView(name, method.Name, named, Convert.ToHexStringLower(result.Output), result.GasUsed, height));
    }

    internal static ContractView View(ContractRecord c, int codeBytes) => new(
        c.Name, c.Address.ToString(), c.Version, c.Code.ToString(), codeBytes, c.Metadata.Description,
        [.. c.Metadata.Methods.Select(m => new ContractMethodView(m.Name, m.View, Params(m.Args), Params(m.Returns)))],
        [.. c.Metadata.Events.Select(e => new ContractEventView(e.Name, Params(e.Fields)))],
        c.Policy, [.. c.PolicyOrgs], c.Frozen, c.Versions, c.DeployedAt, c.UpdatedAt);

    private static List<ContractParamView> Params(ContractParam[] list) => [.. list.Select(p => new ContractParamView(p.Name, p.Type))];

    internal static ContractVersionView View(ContractVersionRecord v) => new(v.Number, v.Version, v.Code.ToString(), v.Proposal.ToString(), [.. v.Approvals], v.Height);

    internal static ContractProposalView View(Hash id, ContractProposalRecord p, Core.Ledger.ValidatorSet validators) => new(
        id.ToString(), p.Action, p.Contract, p.Version, p.Code == Hash.Zero ? null : p.Code.ToString(), p.Proposer.ToString(), p.ProposedAt, [.. p.Approvals],
        p.EnactedAt, validators.Quorum, [.. validators.Orgs.Order(StringComparer.Ordinal)]);
}

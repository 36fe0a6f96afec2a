using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Commerce;

/// <summary>The commerce module's node part: agreements, orders and queues, read through <see cref="CommerceQueries"/>.</summary>
internal sealed class CommerceNode : NodeModule
{
    public override string Module => CommerceNames.ModuleName;

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/commerce", "Commerce")];

    public override void AddServices(IServiceCollection services) => services.AddSingleton<CommerceQueries>();

    public override void MapApi(RouteGroupBuilder v1)
    {
        var commerce = v1.MapGroup("/commerce").WithTags("Commerce");
        commerce.MapGet("/agreements", Agreements).WithName("ListAgreements")
            .WithSummary("The agreements an owner proposed (?owner=address) or a counterparty organisation holds (?counterparty=org), newest first, without their orders.");
        commerce.MapGet("/agreements/{id}", Agreement).WithName("GetAgreement")
            .WithSummary("A standing agreement: its terms, status, money (escrowed, reserved, paid, refunded) and every order, newest first.");
        commerce.MapGet("/agreements/{id}/orders/{number}", Order).WithName("GetCommerceOrder")
            .WithSummary("One order: how it came (the readings that placed it), where it is, and what showed delivery.");
        commerce.MapGet("/queue/{org}", Queue).WithName("GetCommerceQueue")
            .WithSummary("The open orders of every agreement the organisation is the counterparty of, oldest first: what it has to accept, ship or visit.");
    }

    /// <summary>An agreement named by a search: its id exactly.</summary>
    public override string? Find(IServiceProvider services, string term) =>
        Hash.TryParse(term, out var id) && services.GetRequiredService<CommerceQueries>().HasAgreement(id) ? $"/commerce/agreements/{id}" : null;

    private static Results<Ok<List<AgreementView>>, ProblemHttpResult> Agreements(string? owner, string? counterparty, CommerceQueries commerce)
    {
        if ((owner is null) == (counterparty is null))
        {
            return Problems.BadRequest("give one of owner (an address) or counterparty (an organisation id)");
        }
        if (owner is not null)
        {
            return Address.TryParse(owner, out var o) ? TypedResults.Ok(commerce.Agreements(o, null)) : Problems.BadRequest($"'{owner}' is not an address (tl…)");
        }
        return Core.Ledger.Identifiers.IsOrgId(counterparty) ? TypedResults.Ok(commerce.Agreements(null, counterparty))
            : Problems.BadRequest($"'{counterparty}' is not an organisation id");
    }

    private static Results<Ok<AgreementView>, ProblemHttpResult> Agreement(string id, CommerceQueries commerce)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.BadRequest($"'{id}' is not an agreement id (64 hex digits)");
        }
        return commerce.Agreement(hash) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no agreement {id}");
    }

    private static Results<Ok<CommerceOrderView>, ProblemHttpResult> Order(string id, uint number, CommerceQueries commerce)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.BadRequest($"'{id}' is not an agreement id (64 hex digits)");
        }
        return commerce.Order(hash, number) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no order {number} of agreement {id}");
    }

    private static Results<Ok<List<CommerceOrderView>>, ProblemHttpResult> Queue(string org, CommerceQueries commerce) =>
        Core.Ledger.Identifiers.IsOrgId(org) ? TypedResults.Ok(commerce.Queue(org)) : Problems.BadRequest($"'{org}' is not an organisation id");
}

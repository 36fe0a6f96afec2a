using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Finance;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Finance;

/// <summary>The finance module's node part: receivables, quotes, clearings and credit lines, read through <see cref="FinanceQueries"/>.</summary>
internal sealed class FinanceNode : NodeModule
{
    public override string Module => FinanceNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<FinanceQueries>();

    public override void MapApi(RouteGroupBuilder v1)
    {
        var finance = v1.MapGroup("/finance").WithTags("Finance");
        finance.MapGet("/receivables/{id}", Receivable).WithName("GetReceivable").WithSummary("A receivable, its parts, whether it is late, and every step of its life.");
        finance.MapGet("/quotes/{number}", Quote).WithName("GetQuote").WithSummary("A market maker's quote and how much of it has been taken.");
        finance.MapGet("/clearings/{id}", Clearing).WithName("GetClearing")
            .WithSummary("A clearing, its participants' positions, and its netting plan (executed, or the one `net` would execute now) with the plan's digest.");
        finance.MapGet("/lines/{merchant}/{lender}", Line).WithName("GetCreditLine").WithSummary("A credit line and the merchant's sales score today.");
    }

    /// <summary>A receivable named by a search: its id exactly.</summary>
    public override string? Find(IServiceProvider services, string term) =>
        Hash.TryParse(term, out var id) && services.GetRequiredService<FinanceQueries>().HasReceivable(id) ? $"/finance/receivables/{id}" : null;

    private static Results<Ok<ReceivableView>, ProblemHttpResult> Receivable(string id, FinanceQueries finance)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.BadRequest($"'{id}' is not a receivable id (64 hex digits)");
        }
        return finance.Receivable(hash) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no receivable {id}");
    }

    private static Results<Ok<QuoteView>, ProblemHttpResult> Quote(ulong number, FinanceQueries finance) =>
        finance.Quote(number) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no quote {number}");

    private static Results<Ok<ClearingView>, ProblemHttpResult> Clearing(string id, FinanceQueries finance) =>
        finance.Clearing(id) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no clearing {id}");

    private static Results<Ok<CreditLineView>, ProblemHttpResult> Line(string merchant, string lender, FinanceQueries finance)
    {
        if (!Address.TryParse(merchant, out var m) || !Address.TryParse(lender, out var l))
        {
            return Problems.BadRequest("merchant and lender are addresses (tl…)");
        }
        return finance.Line(m, l) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no credit line from {lender} to {merchant}");
    }
}

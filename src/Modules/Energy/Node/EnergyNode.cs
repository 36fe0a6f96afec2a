using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Energy;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Energy;

/// <summary>The energy module's node part: markets, intervals and meters, read through <see cref="EnergyQueries"/>.</summary>
internal sealed class EnergyNode : NodeModule
{
    public override string Module => EnergyNames.ModuleName;

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/energy", "Energy")];

    public override void AddServices(IServiceCollection services) => services.AddSingleton<EnergyQueries>();

    public override void MapApi(RouteGroupBuilder v1)
    {
        var energy = v1.MapGroup("/energy").WithTags("Energy");
        energy.MapGet("/markets", (EnergyQueries q) => TypedResults.Ok(q.Markets())).WithName("ListEnergyMarkets")
            .WithSummary("Every local energy market: its feeder, interval, prices, imbalance rule and capacity.");
        energy.MapGet("/markets/{id}", Market).WithName("GetEnergyMarket")
            .WithSummary("A market and its intervals that have orders or a flexibility request, newest first, with each one's status and clearing price.");
        energy.MapGet("/markets/{id}/intervals/{start}", Interval).WithName("GetEnergyInterval")
            .WithSummary("One interval (start in Unix ms): its orders with what each matched, the flexibility request and commitments, the clearing with its supply and demand curves, what each meter measured (and the anchors it came from), and the settlement.");
        energy.MapGet("/meters/{meter}", Meter).WithName("GetEnergyMeter")
            .WithSummary("A meter in a market: its rating and battery, its key's allowance, its deposit, and its latest anchored period.");
    }

    /// <summary>A market named by a search: its id exactly.</summary>
    public override string? Find(IServiceProvider services, string term) =>
        services.GetRequiredService<EnergyQueries>().HasMarket(term) ? $"/energy/{term}" : null;

    private static Results<Ok<EnergyMarketView>, ProblemHttpResult> Market(string id, EnergyQueries energy) =>
        energy.Market(id) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no energy market '{id}'");

    private static Results<Ok<EnergyIntervalView>, ProblemHttpResult> Interval(string id, ulong start, EnergyQueries energy)
    {
        if (!energy.HasMarket(id))
        {
            return Problems.NotFound($"no energy market '{id}'");
        }
        return energy.Interval(id, start) is { } view ? TypedResults.Ok(view) : Problems.BadRequest($"{start} is not the start of an interval of market '{id}'");
    }

    private static Results<Ok<EnergyMeterView>, ProblemHttpResult> Meter(string meter, EnergyQueries energy)
    {
        if (!Address.TryParse(meter, out var address))
        {
            return Problems.BadRequest($"'{meter}' is not an address (tl…)");
        }
        return energy.Meter(address) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"meter {meter} is in no energy market");
    }
}

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
        energy.MapGet("/markets/{id}/stream", Stream).WithName("EnergyMarketStream")
            .WithSummary("Server-Sent Events: every energy event of the market (orders, flexibility, clearings, settlements) as its block commits, one 'energy' event each with the block height as its id; ?from=height (or Last-Event-ID) replays from the block after it.");
        energy.MapGet("/meters/{meter}", Meter).WithName("GetEnergyMeter")
            .WithSummary("A meter in a market: its rating and battery, its key's allowance, its deposit, and its latest anchored period.");
    }

    /// <summary>A market named by a search: its id exactly.</summary>
    public override string? Find(IServiceProvider services, string term) =>
        services.GetRequiredService<EnergyQueries>().HasMarket(term) ? $"/energy/{term}" : null;

    /// <summary>
    /// The market's energy events block by block. Every committed block from the one after
    /// <paramref name="from"/> is read from the store, so a block whose notice a slow reader missed
    /// is still sent, in order.
    /// </summary>
    private static async Task Stream(HttpContext context, string id, ulong? from, EnergyQueries energy, Chain.LedgerNode node, CancellationToken cancellationToken)
    {
        if (!energy.HasMarket(id))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"no energy market '{id}'", cancellationToken).ConfigureAwait(false);
            return;
        }
        var sent = from ?? (ulong.TryParse(context.Request.Headers["Last-Event-ID"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var last)
            ? last : node.Head.Height);
        await ServerSentEvents.BeginAsync(context.Response, cancellationToken).ConfigureAwait(false);
        using var subscription = node.Events.Subscribe();
        try
        {
            do
            {
                while (sent < node.Head.Height && node.Store.GetBlock(sent + 1) is { } block)
                {
                    sent++;
                    foreach (var (tx, receipt) in block.Transactions.Zip(block.Receipts))
                    {
                        foreach (var e in receipt.Events.Where(e => e.Module == EnergyNames.ModuleName && e.Attributes.Any(a => a.Key == "market" && a.Value == id)))
                        {
                            var view = new EnergyStreamEvent(sent, tx.Id.ToString(), e.Name, e.Attributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal));
                            var json = System.Text.Json.JsonSerializer.Serialize(view, Client.EnergyJson.Default.EnergyStreamEvent);
                            await ServerSentEvents.WriteAsync(context.Response, sent, "energy", json, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && subscription.Reader.TryRead(out _));
        }
        catch (OperationCanceledException)
        {
            // The client went away or the node is stopping.
        }
    }

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

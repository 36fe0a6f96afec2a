using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Api;
using ThingLedger.Node.Json;

namespace ThingLedger.Node.Modules.Carbon;

/// <summary>The carbon module's node part: its query service, read endpoints and explorer pages.</summary>
internal sealed class CarbonNode : NodeModule
{
    public override string Module => CarbonNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<CarbonQueries>();

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/credits", "Credits")];

    public override void MapApi(RouteGroupBuilder v1)
    {
        var carbon = v1.MapGroup("/carbon").WithTags("Carbon");
        carbon.MapGet("/methodologies", Methodologies).WithName("ListMethodologies").WithSummary("Registered carbon methodologies.");
        carbon.MapGet("/methodologies/{id}", Methodology).WithName("GetMethodology").WithSummary("One methodology.");
        carbon.MapGet("/methodologies/{id}/claims", Claims).WithName("ListCarbonClaims")
            .WithSummary("A methodology's claims by vehicle then period (optionally one vehicle's); page with after=cursor.");
        carbon.MapGet("/claims/{methodology}/{vehicle}/{period}", Claim).WithName("GetCarbonClaim").WithSummary("One vehicle-period claim.");
        carbon.MapGet("/credits", Credits).WithName("ListCredits").WithSummary("Credit tokens: grams issued, retired and outstanding.");
        carbon.MapGet("/retirements", Retirements).WithName("ListRetirements").WithSummary("Retirement records, newest first; page with before=number.");
    }

    private static Ok<List<MethodologyView>> Methodologies(CarbonQueries carbon) =>
        TypedResults.Ok(carbon.Methodologies().Select(View).ToList());

    private static Results<Ok<MethodologyView>, ProblemHttpResult> Methodology(string id, CarbonQueries carbon) =>
        carbon.Methodology(id) is { } record ? TypedResults.Ok(View(record)) : Problems.NotFound($"no methodology '{id}'");

    private static Results<Ok<Page<CarbonClaimView>>, ProblemHttpResult> Claims(string id, CarbonQueries carbon, string? vehicle, string? after, int? limit)
    {
        if (carbon.Methodology(id) is not { } record)
        {
            return Problems.NotFound($"no methodology '{id}'");
        }
        Address? v = null;
        if (vehicle is not null)
        {
            if (!Address.TryParse(vehicle, out var parsed))
            {
                return Problems.BadRequest($"'{vehicle}' is not a device id");
            }
            v = parsed;
        }
        var page = carbon.Claims(id, v, after, Problems.Limit(limit));
        return TypedResults.Ok(new Page<CarbonClaimView>([.. page.Items.Select(c => View(c, record.Methodology))], page.Next));
    }

    private static Results<Ok<CarbonClaimView>, ProblemHttpResult> Claim(string methodology, string vehicle, ushort period, CarbonQueries carbon)
    {
        if (!Address.TryParse(vehicle, out var v))
        {
            return Problems.BadRequest($"'{vehicle}' is not a device id");
        }
        return carbon.Claim(methodology, v, period) is { } claim
            ? TypedResults.Ok(View(claim, carbon.Methodology(methodology)!.Methodology))
            : Problems.NotFound($"no claim for {vehicle} in period {period} of '{methodology}'");
    }

    private static Ok<List<CreditView>> Credits(CarbonQueries carbon) =>
        TypedResults.Ok(carbon.Credits().Select(c => View(c.Symbol, c.Credit)).ToList());

    private static Ok<Page<RetirementView>> Retirements(CarbonQueries carbon, ulong? before, int? limit)
    {
        var page = carbon.Retirements(before, Problems.Limit(limit));
        return TypedResults.Ok(new Page<RetirementView>([.. page.Items.Select(View)], page.Next));
    }

    internal static MethodologyView View(MethodologyRecord r)
    {
        var m = r.Methodology;
        return new MethodologyView(m.Id, m.Name, m.SchemaRef, r.Org, m.VerifierOrg, ViewMapper.Date(m.StartDay), m.PeriodDays, m.Periods,
            [.. m.Baselines.Select(b => new BaselineView(b.VehicleClass, b.GramsPerKm))],
            [.. m.GridFactors.Select(f => new GridFactorView(f.Region, f.FromPeriod, f.GramsPerKwh))], r.Height);
    }

    internal static CarbonClaimView View(ClaimRecord c, Methodology m)
    {
        var decided = c.Status != ClaimStatus.Pending;
        return new CarbonClaimView(c.Methodology, c.Vehicle.ToString(), c.Period, ViewMapper.Date(m.FirstDay(c.Period)),
            ViewMapper.Date(m.FirstDay(c.Period) + m.PeriodDays - 1),
            c.Status, c.Symbol, c.Grams, c.Owner.ToString(), c.CustodianOrg, c.Claimant.ToString(), c.ClaimTx.ToString(),
            c.ClaimHeight, c.Readings, c.FlaggedReadings, c.Metres, c.EnergyWh, c.BaselineGramsPerKm, c.GridGramsPerKwh,
            decided ? c.Decider.ToString() : null, decided ? c.DecisionHeight : null, decided ? c.Note : null);
    }

    internal static CreditView View(string symbol, CreditRecord c) => new(
        symbol, c.Methodology, c.Vintage, TokensModule.Text(c.Issued), TokensModule.Text(c.Retired), TokensModule.Text(c.Issued - c.Retired));

    internal static RetirementView View(RetirementRecord r) => new(
        r.Number, r.Symbol, TokensModule.Text(r.Amount), r.Holder.ToString(), r.Beneficiary, r.Reason, r.Tx.ToString(), r.Height, r.Timestamp);
}

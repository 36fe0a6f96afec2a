using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Json;

namespace ThingLedger.Node.Api;

/// <summary>The carbon registry: methodologies, claims, credit tokens and retirements, read from committed state.</summary>
internal static class CarbonApi
{
    public static RouteGroupBuilder MapCarbonApi(this RouteGroupBuilder api)
    {
        var carbon = api.MapGroup("/carbon").WithTags("Carbon");
        carbon.MapGet("/methodologies", Methodologies).WithName("ListMethodologies").WithSummary("Registered carbon methodologies.");
        carbon.MapGet("/methodologies/{id}", Methodology).WithName("GetMethodology").WithSummary("One methodology.");
        carbon.MapGet("/methodologies/{id}/claims", Claims).WithName("ListCarbonClaims")
            .WithSummary("A methodology's claims by vehicle then period (optionally one vehicle's); page with after=cursor.");
        carbon.MapGet("/claims/{methodology}/{vehicle}/{period}", Claim).WithName("GetCarbonClaim").WithSummary("One vehicle-period claim.");
        carbon.MapGet("/credits", Credits).WithName("ListCredits").WithSummary("Credit tokens: grams issued, retired and outstanding.");
        carbon.MapGet("/retirements", Retirements).WithName("ListRetirements").WithSummary("Retirement records, newest first; page with before=number.");
        return api;
    }

    private static int Limit(int? limit) => Math.Clamp(limit ?? 50, 1, ChainApi.MaxPage);

    private static Ok<List<MethodologyView>> Methodologies(LedgerNode node) =>
        TypedResults.Ok(LedgerLists.Methodologies(node.Store).Select(m => ViewMapper.Methodology(m.Record)).ToList());

    private static Results<Ok<MethodologyView>, ProblemHttpResult> Methodology(string id, LedgerNode node) =>
        Find(id, node) is { } record ? TypedResults.Ok(ViewMapper.Methodology(record)) : Problems.NotFound($"no methodology '{id}'");

    private static MethodologyRecord? Find(string id, LedgerNode node) =>
        Execution.Modules.Carbon.Methodology.IsId(id) ? CarbonModule.ReadMethodology(node.Store, id) : null;

    private static Results<Ok<Page<CarbonClaimView>>, ProblemHttpResult> Claims(string id, LedgerNode node, string? vehicle, string? after, int? limit)
    {
        if (Find(id, node) is not { } record)
        {
            return Problems.NotFound($"no methodology '{id}'");
        }
        var prefix = CarbonModule.ClaimsOfPrefix(id);
        if (vehicle is not null)
        {
            if (!Address.TryParse(vehicle, out var v))
            {
                return Problems.BadRequest($"'{vehicle}' is not a device id");
            }
            prefix += v + "/";
        }
        var page = LedgerLists.Decoded(node.Store, prefix, ClaimRecord.Read, after, Limit(limit));
        return TypedResults.Ok(new Page<CarbonClaimView>([.. page.Select(c => ViewMapper.Claim(c.Record, record.Methodology))],
            page.Count == Limit(limit) ? page[^1].Id : null));
    }

    private static Results<Ok<CarbonClaimView>, ProblemHttpResult> Claim(string methodology, string vehicle, ushort period, LedgerNode node)
    {
        if (!Address.TryParse(vehicle, out var v))
        {
            return Problems.BadRequest($"'{vehicle}' is not a device id");
        }
        var record = Find(methodology, node);
        var claim = record is null ? null : CarbonModule.ReadClaim(node.Store, methodology, v, period);
        return claim is null
            ? Problems.NotFound($"no claim for {vehicle} in period {period} of '{methodology}'")
            : TypedResults.Ok(ViewMapper.Claim(claim, record!.Methodology));
    }

    private static Ok<List<CreditView>> Credits(LedgerNode node) =>
        TypedResults.Ok(LedgerLists.Credits(node.Store).Select(c => ViewMapper.Credit(c.Symbol, c.Credit)).ToList());

    private static Ok<Page<RetirementView>> Retirements(LedgerNode node, ulong? before, int? limit) =>
        TypedResults.Ok(NumberedPages.Newest(CarbonModule.RetirementCount(node.Store), before, Limit(limit),
            n => CarbonModule.ReadRetirement(node.Store, n), ViewMapper.Retirement));
}

using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Rewards;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Api;

/// <summary>Reward programmes and enrolments, read from committed state.</summary>
internal static class RewardsApi
{
    public static RouteGroupBuilder MapRewardsApi(this RouteGroupBuilder api)
    {
        var rewards = api.MapGroup("/rewards").WithTags("Rewards");
        rewards.MapGet("/programmes", Programmes).WithName("ListProgrammes").WithSummary("Reward programmes with budget left and paid.");
        rewards.MapGet("/programmes/{id}", Programme).WithName("GetProgramme").WithSummary("One reward programme.");
        rewards.MapGet("/devices/{id}", Enrolments).WithName("GetEnrolments").WithSummary("The programmes a device is enrolled in.");
        return api;
    }

    private static Ok<List<ProgrammeView>> Programmes(LedgerNode node) =>
        TypedResults.Ok(LedgerLists.Programmes(node.Store).Select(p => View(node, p.Record)).ToList());

    private static Results<Ok<ProgrammeView>, ProblemHttpResult> Programme(string id, LedgerNode node) =>
        Identifiers.IsOrgId(id) && RewardsModule.ReadProgramme(node.Store, id) is { } record
            ? TypedResults.Ok(View(node, record))
            : Problems.NotFound($"no programme '{id}'");

    private static Results<Ok<List<string>>, ProblemHttpResult> Enrolments(string id, LedgerNode node) =>
        Address.TryParse(id, out var device)
            ? TypedResults.Ok(RewardsModule.ReadEnrolments(node.Store, device).ToList())
            : Problems.BadRequest($"'{id}' is not a device id");

    private static ProgrammeView View(LedgerNode node, ProgrammeRecord r)
    {
        var p = r.Programme;
        var perUnit = p.PerUnit != UInt128.Zero;
        return new ProgrammeView(p.Id, r.Org, p.Token, TokensModule.Text(p.Budget),
            TokensModule.Text(TokensModule.ReadBalance(node.Store, p.Token, RewardsModule.Escrow(p.Id))), TokensModule.Text(r.Paid), p.PeriodDays,
            TokensModule.Text(p.CapPerPeriod), perUnit ? p.SchemaRef : null, perUnit ? p.UnitField : null, p.UnitSize, TokensModule.Text(p.PerUnit),
            TokensModule.Text(p.PerCleanSummary), TokensModule.Text(p.Onboarding), TokensModule.Text(p.Referral), r.Height);
    }
}

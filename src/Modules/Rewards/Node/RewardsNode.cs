using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Rewards;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Rewards;

/// <summary>The rewards module's node part: programmes and enrolments, read through <see cref="RewardsQueries"/>.</summary>
internal sealed class RewardsNode : NodeModule
{
    public override string Module => RewardsNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<RewardsQueries>();

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/rewards", "Rewards")];

    public override void MapApi(RouteGroupBuilder v1)
    {
        var rewards = v1.MapGroup("/rewards").WithTags("Rewards");
        rewards.MapGet("/programmes", Programmes).WithName("ListProgrammes").WithSummary("Reward programmes with budget left and paid.");
        rewards.MapGet("/programmes/{id}", Programme).WithName("GetProgramme").WithSummary("One reward programme.");
        rewards.MapGet("/devices/{id}", Enrolments).WithName("GetEnrolments").WithSummary("The programmes a device is enrolled in.");
    }

    private static Ok<List<ProgrammeView>> Programmes(RewardsQueries rewards) =>
        TypedResults.Ok(rewards.Programmes().Select(p => View(rewards, p)).ToList());

    private static Results<Ok<ProgrammeView>, ProblemHttpResult> Programme(string id, RewardsQueries rewards) =>
        rewards.Programme(id) is { } record ? TypedResults.Ok(View(rewards, record)) : Problems.NotFound($"no programme '{id}'");

    private static Results<Ok<List<string>>, ProblemHttpResult> Enrolments(string id, RewardsQueries rewards) =>
        Address.TryParse(id, out var device) ? TypedResults.Ok(rewards.Enrolments(device)) : Problems.BadRequest($"'{id}' is not a device id");

    private static ProgrammeView View(RewardsQueries rewards, ProgrammeRecord r)
    {
        var p = r.Programme;
        var perUnit = p.PerUnit != UInt128.Zero;
        return new ProgrammeView(p.Id, r.Org, p.Token, TokensModule.Text(p.Budget), TokensModule.Text(rewards.Left(r)), TokensModule.Text(r.Paid), p.PeriodDays,
            TokensModule.Text(p.CapPerPeriod), perUnit ? p.SchemaRef : null, perUnit ? p.UnitField : null, p.UnitSize, TokensModule.Text(p.PerUnit),
            TokensModule.Text(p.PerCleanSummary), TokensModule.Text(p.Onboarding), TokensModule.Text(p.Referral), r.Height);
    }
}

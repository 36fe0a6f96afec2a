using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Identity;

/// <summary>The identity module's node part: organisations, members and membership, read through <see cref="IdentityQueries"/>.</summary>
internal sealed class IdentityNode : NodeModule
{
    public override string Module => IdentityNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<IdentityQueries>();

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/orgs", "Organisations")];

    public override string? Find(IServiceProvider services, string term) =>
        Identifiers.IsOrgId(term) && services.GetRequiredService<IdentityQueries>().Org(term) is not null ? $"/orgs/{term}" : null;

    public override void MapApi(RouteGroupBuilder v1)
    {
        var orgs = v1.MapGroup("/orgs").WithTags("Identity");
        orgs.MapGet("/", Orgs).WithName("ListOrgs").WithSummary("The organisations of the chain.");
        orgs.MapGet("/{id}/members", Members).WithName("ListMembers").WithSummary("Members of an organisation with their roles.");
        v1.MapGet("/membership", Membership).WithTags("Identity").WithName("GetMembership")
            .WithSummary("Validator epochs (who certifies which heights, with which quorum) and membership proposals.");
    }

    private static Ok<List<OrgView>> Orgs(IdentityQueries identity) =>
        TypedResults.Ok(identity.Orgs().Select(o => new OrgView(o.Id, o.Org.Name)).ToList());

    private static Ok<MembershipView> Membership(IdentityQueries identity)
    {
        var (height, epochs, proposals) = identity.Membership();
        return TypedResults.Ok(new MembershipView(height, identity.NextValidators().Epoch,
            [.. epochs.Select(e => new EpochView(e.Set.Epoch, e.Set.From, e.Set.Quorum, [.. e.Set.Validators.Select(v => new ValidatorView(v.Org, v.PublicKey.ToHex()))],
                e.Set.Epoch == 0 ? null : e.ScheduledBy.ToString()))],
            [.. proposals.Select(p => View(p.Id, p.Proposal, height))]));
    }

    private static Results<Ok<Page<MemberView>>, ProblemHttpResult> Members(string id, IdentityQueries identity, string? after, int? limit)
    {
        if (identity.Org(id) is null)
        {
            return Problems.NotFound($"no organisation '{id}'");
        }
        var page = identity.Members(id, after, Problems.Limit(limit));
        return TypedResults.Ok(new Page<MemberView>([.. page.Items.Select(m => View(m.Address, m.Member))], page.Next));
    }

    internal static MemberView View(string address, MemberRecord m) => new(address, m.Org, RoleNames.Format(m.Roles), m.Since);

    /// <summary>A proposal is open until enacted, or expired once the chain reached its effective height without enough approvals.</summary>
    internal static ProposalView View(string id, ProposalRecord r, ulong height) => new(
        id, MembershipProposal.ActionName(r.Proposal.Action), r.Proposal.Org, r.Proposal.Name.Length == 0 ? null : r.Proposal.Name,
        r.Proposal.Validator?.ToHex(), r.Proposal.Quorum, r.Proposal.EffectiveHeight, r.ProposedAt, [.. r.Approvals],
        r.Enacted ? ProposalStatus.Enacted : r.Proposal.EffectiveHeight <= height + 1 ? ProposalStatus.Expired : ProposalStatus.Open, r.Enacted ? r.EnactedEpoch : null);
}

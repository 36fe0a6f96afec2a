using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Identity;

/// <summary>Organisations, members and the validator epochs, read from committed state: the one place the module's API and explorer pages read from.</summary>
public sealed class IdentityQueries(LedgerStore store, LedgerNode node)
{
    public List<(string Id, OrgRecord Org)> Orgs() => LedgerLists.Decoded(store, IdentityModule.OrgsPrefix, OrgRecord.Read);

    public OrgRecord? Org(string id) =>
        Identifiers.IsOrgId(id) && store.Get(IdentityModule.OrgKey(id)) is { } bytes && Payload.TryDecode(bytes, OrgRecord.Read, out var org) ? org : null;

    /// <summary>Whether <paramref name="org"/>'s members may act in the next block (not removed by the consortium).</summary>
    public bool IsActive(string org) => IdentityModule.IsActive(store, org, node.Head.Height + 1);

    /// <summary>The validators that certify the next block.</summary>
    public ValidatorSet NextValidators() => node.Validators.At(node.Head.Height + 1);

    public MemberRecord? Member(Address address) => IdentityModule.ReadMember(store, address);

    /// <summary>An organisation's members in address order after the cursor <paramref name="after"/>.</summary>
    public Page<(string Address, MemberRecord Member)> Members(string org, string? after, int limit)
    {
        var prefix = IdentityModule.OrgMembersPrefix(org);
        var page = store.Scan(prefix, after is null ? null : prefix + after, limit);
        var items = new List<(string, MemberRecord)>();
        foreach (var kv in page)
        {
            var address = kv.Key[prefix.Length..];
            if (Address.TryParse(address, out var a) && IdentityModule.ReadMember(store, a) is { } member)
            {
                items.Add((address, member));
            }
        }
        return new Page<(string, MemberRecord)>(items, page.Count == limit ? page[^1].Key[prefix.Length..] : null);
    }

    /// <summary>Every validator epoch, and every membership proposal newest first, with the head height they were read at.</summary>
    public (ulong Height, IReadOnlyList<EpochRecord> Epochs, List<(string Id, ProposalRecord Proposal)> Proposals) Membership()
    {
        var height = node.Head.Height;
        var proposals = LedgerLists.Decoded(store, IdentityModule.ProposalsPrefix, ProposalRecord.Read, null, 1_000)
            .OrderByDescending(p => p.Record.ProposedAt).ToList();
        return (height, IdentityModule.ReadEpochs(store), proposals);
    }
}

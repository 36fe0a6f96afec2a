using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Identity;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Membership changes seen through the API: proofs of blocks after a change carry the link that
/// scheduled the new validator set, and a verifier holding only genesis checks that link.
/// </summary>
public sealed class MembershipTests : IDisposable
{
    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    /// <summary>Adds organisation "solarco" with its own validator; quorum stays 1, so the solo validator still certifies alone.</summary>
    private async Task<(ulong From, Hash Proposal)> AddSolarcoAsync(ThingLedgerClient client, PublicKey validator)
    {
        var admin = await _node.AccountAsync(_node.Admin("voltmotors"));
        using var solarAdmin = KeyPair.Generate();
        var from = (await client.GetStatusAsync()).Height + 3;
        var propose = admin.Sign(Operations.ProposeMembership(
            new MembershipProposal(MembershipAction.AddOrg, "solarco", "Solar Co", [solarAdmin.PublicKey], validator, 0, from)));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(propose, wait: true)).Status);
        return (from, propose.Id);
    }

    private async Task<Hash> CommitPastAsync(ThingLedgerClient client, ulong height)
    {
        var admin = await _node.AccountAsync(_node.Admin("gridco"));
        while (true)
        {
            var tx = admin.Sign(Operations.CreateToken("S" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), "Points", 0, Execution.Roles.Admin, default));
            var result = await client.SubmitAsync(tx, wait: true);
            Assert.Equal(TxState.Committed, result.Status);
            if (result.Height >= height)
            {
                return tx.Id;
            }
        }
    }

    [Fact]
    public async Task A_change_enacted_by_quorum_is_listed_and_proofs_after_it_carry_the_link()
    {
        using var client = _node.Client();
        using var validator = KeyPair.Generate();
        var (from, proposal) = await AddSolarcoAsync(client, validator.PublicKey);

        var membership = await client.GetMembershipAsync();
        Assert.Equal(2, membership.Epochs.Count);
        Assert.Equal(from, membership.Epochs[1].From);
        Assert.Contains(membership.Epochs[1].Validators, v => v.Org == "solarco" && v.PublicKey == validator.PublicKey.ToHex());
        var view = Assert.Single(membership.Proposals);
        Assert.Equal((proposal.ToString(), ProposalStatus.Enacted, 1ul), (view.Id, view.Status, view.Epoch));

        var before = await client.GetTxProofAsync(await CommitPastAsync(client, 1));
        var after = await client.GetTxProofAsync(await CommitPastAsync(client, from));
        Assert.True(before.Height < from);
        Assert.Null(before.Membership);
        var link = Assert.Single(after.Membership!);
        Assert.Equal(ProofDocument.MembershipKind, link.Kind);
        var verified = after.Verify(_node.Genesis);
        Assert.True(verified.Ok, verified.Message);
        Assert.Equal(1ul, (await client.GetFinalityAsync()).Epoch);
    }

    [Fact]
    public async Task A_verifier_refuses_altered_reordered_or_misplaced_membership_links()
    {
        using var client = _node.Client();
        using var validator = KeyPair.Generate();
        var (from, _) = await AddSolarcoAsync(client, validator.PublicKey);
        var proof = await client.GetTxProofAsync(await CommitPastAsync(client, from));
        var json = proof.ToJson();
        ProofDocument Copy() => ProofDocument.Parse(json);

        // A different set than the one the approval scheduled (here: quorum 2 instead of 1).
        var altered = Copy();
        Assert.Equal(Core.Codec.CodecError.None, ValidatorSet.TryDecode(Convert.FromHexString(altered.Membership![0].ValidatorSet!), out var set));
        altered.Membership[0].ValidatorSet = Convert.ToHexStringLower(new ValidatorSet(set!.Epoch, set.From, set.Validators, 2).Encode());
        AssertBroken(altered, "membership", "not the one");

        // The same link twice: epoch 1 cannot follow epoch 1.
        var twice = Copy();
        twice.Membership!.Add(Copy().Membership![0]);
        AssertBroken(twice, "membership", "does not follow");

        // A set that starts no later than the block that scheduled it.
        var early = Copy();
        early.Membership![0].ValidatorSet = Convert.ToHexStringLower(new ValidatorSet(set.Epoch, early.Membership[0].Height, set.Validators, set.Quorum).Encode());
        AssertBroken(early, "membership", string.Empty);

        // A plain tx proof passed off as a membership link.
        var plain = Copy();
        plain.Membership![0].Kind = ProofDocument.TxKind;
        AssertBroken(plain, "membership", "kind");

        // The scheduling tx's receipt altered.
        var receipt = Copy();
        receipt.Membership![0].Receipt = Copy().Receipt;
        AssertBroken(receipt, "membership", string.Empty);
    }

    private void AssertBroken(ProofDocument document, string link, string text)
    {
        var result = document.Verify(_node.Genesis);
        Assert.False(result.Ok);
        Assert.Equal(link, result.Link);
        Assert.Contains(text, result.Message, StringComparison.Ordinal);
    }
}

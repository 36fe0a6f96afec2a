using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Cli.Tests;

/// <summary>
/// Membership changes on a real local network: an organisation is added by a quorum of the
/// others, its new peer catches up from genesis, and from the effective height the chain cannot
/// finalise without it; receipts after the change still verify with only the genesis file.
/// </summary>
[Collection("consortium")]
public sealed class GovernanceTests(GovernanceFixture fixture)
{
    [Fact]
    public async Task An_added_organisation_catches_up_and_certifies_blocks_that_verify_from_genesis()
    {
        await fixture.UpAsync();
        Assert.Equal(150, (await fixture.LoadAsync([0, 1, 2], 30, TimeSpan.FromSeconds(30))).Count);
        // The log is compacted before the new peer exists, so it cannot read the chain from etcd
        // and must catch up from its neighbours.
        var orgs = fixture.Network.Manifest.Peers.Select(p => p.Org).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!orgs.Any(o => fixture.LogOf(o).Contains("Compacted the ordering log", StringComparison.Ordinal)) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await fixture.LoadAsync([0, 1, 2], 10, TimeSpan.FromSeconds(20));
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"no peer compacted the ordering log\n{fixture.Logs()}");

        var (code, stdout, stderr) = await CliProcess.RunAsync(TimeSpan.FromMinutes(3),
            "network", "add-org", "solarco", "--name", "Solar Co", "--quorum", "3", "--after-blocks", "6", "--dir", fixture.Directory);
        Assert.True(code == 0, $"network add-org failed ({code}):\n{stdout}\n{stderr}\n{fixture.Logs()}");
        Assert.Contains("enacted", stdout, StringComparison.Ordinal);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(stdout, @"(In force for block \d+: quorum 3 of 4 validators \([^)]*solarco[^)]*\)|Scheduled from block \d+ \(\d+ blocks from now\): quorum 3 of 4 validators \([^)]*solarco[^)]*\), after adding organisation solarco \(Solar Co\) with quorum 3)"), stdout);
        await fixture.UpAsync();
        Assert.Equal(4, fixture.Network.Manifest.Peers.Count);

        using var first = fixture.Peer(0);
        var membership = await first.GetMembershipAsync();
        var epoch = membership.Epochs[^1];
        Assert.Equal((1ul, 3, 4), (epoch.Epoch, epoch.Quorum, epoch.Validators.Count));

        // Without c, only a, b and the new organisation remain: exactly the quorum of 3, so every
        // block from here on is final only if solarco's peer attests it.
        var c = fixture.Network.Manifest.Peers[2];
        LocalNetworkFixture.KillHard(c.Pid);
        // Blocks are cut only when there are txs, so load in rounds until the chain has passed the
        // effective height (the add-org tx and this load may share fewer blocks than the delay).
        var ids = new List<Hash>();
        var height = 0UL;
        clock.Restart();
        while (height <= epoch.From && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var round = await fixture.LoadAsync([0, 1], 10, TimeSpan.FromSeconds(20));
            Assert.NotEmpty(round);
            await fixture.AssertCommittedEverywhereAsync([0, 1, 3], round);
            ids.AddRange(round);
            height = await fixture.MaxHeightAsync([0, 1, 3]);
        }
        Assert.True(height > epoch.From, $"the chain is at {height}, the new epoch starts at {epoch.From}\n{fixture.Logs()}");
        await fixture.WaitFinalAsync([0, 1, 3], height);
        Assert.Contains("fetching blocks from peers", fixture.LogOf("solarco"), StringComparison.Ordinal);
        Assert.Contains("Caught up from", fixture.LogOf("solarco"), StringComparison.Ordinal);
        await fixture.AssertSameChainAsync([0, 1, 3], height);

        var proof = await first.GetTxProofAsync(ids[^1]);
        Assert.True(proof.Height >= epoch.From);
        var verified = proof.Verify(fixture.Genesis);
        Assert.True(verified.Ok, verified.Message);
        Assert.Single(proof.Membership!);
        using var solarco = fixture.Peer(3);
        var solarcoKey = (await solarco.GetFinalityAsync()).Validator;
        Assert.Equal(Core.Codec.CodecError.None, FinalityCertificate.TryDecode(Convert.FromHexString(proof.Certificate), out var certificate));
        Assert.Contains(certificate!.Attestations, a => a.Validator.ToHex() == solarcoKey);

        // Without the membership link, the new validator's signature is unknown to genesis.
        proof.Membership = null;
        var unlinked = proof.Verify(fixture.Genesis);
        Assert.False(unlinked.Ok);
        Assert.Contains("not a genesis validator", unlinked.Message, StringComparison.Ordinal);
    }
}

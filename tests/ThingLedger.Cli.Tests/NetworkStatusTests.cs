using ThingLedger.Cli.Network;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Cli.Tests;

public class NetworkStatusTests
{
    private static readonly string Added = new('a', 64);
    private static readonly string Removing = new('b', 64);

    [Fact]
    public void The_status_says_in_words_the_quorum_in_force_the_change_scheduled_and_what_is_still_open()
    {
        List<ValidatorView> three = [new("gridco", "04…"), new("homeappliance", "04…"), new("voltmotors", "04…")];
        var membership = new MembershipView(20, 0,
            [new EpochView(0, 0, 2, three, null), new EpochView(1, 30, 3, [.. three, new ValidatorView("solarco", "04…")], new string('c', 64))],
            [
                new ProposalView(Added, "add-org", "solarco", "Solar Co", "04…", 3, 30, 12, ["gridco", "voltmotors"], ProposalStatus.Enacted, 1),
                new ProposalView(Removing, "remove-org", "homeappliance", null, null, 0, 40, 19, ["gridco"], ProposalStatus.Open, null),
            ]);
        Assert.Equal(
        [
            "In force for block 21: quorum 2 of 3 validators (gridco, homeappliance, voltmotors) (epoch 0, since block 0).",
            "Scheduled from block 30 (10 blocks from now): quorum 3 of 4 validators (gridco, homeappliance, voltmotors, solarco), after adding organisation solarco (Solar Co) with quorum 3 (proposal aaaaaaaaaaaa…).",
            $"Open: removing organisation homeappliance at block 40, approved by 1 of the 2 organisations needed (gridco); approve with `thingledger membership approve {Removing}`.",
        ], NetworkCommand.Describe(membership));
    }
}

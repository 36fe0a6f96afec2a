using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Node.Tests;

public sealed class AnchorBuilderTests
{
    private static readonly Address Car = new(Convert.FromHexString("00112233445566778899aabbccddeeff00112233"));

    private static StoredReading Ev(ulong ingest, ulong sequence, ulong time, long distance) =>
        new(ingest, new Reading(Car, sequence, time, "ev", 1, [1_000, 50, 200, 800, 0, distance, 0, 0]), null, null);

    [Fact]
    public void A_device_run_is_cut_where_the_utc_day_changes_so_each_summary_has_one_day()
    {
        var midnight = 20_413 * DeviceSummary.DayMs;
        List<StoredReading> readings = [Ev(1, 1, midnight - 2_000, 10), Ev(2, 2, midnight - 1, 20), Ev(3, 3, midnight, 30), Ev(4, 4, midnight + 5, 40)];

        var anchor = AnchorBuilder.Build(readings, (_, _) => BuiltInSchemas.Ev).Single();

        Assert.Equal([(20_412u, 1ul, 2ul, 30L), (20_413u, 3ul, 4ul, 70L)],
            anchor.Summaries.Select(s => (s.Day, s.FirstSequence, s.LastSequence, s.Sums[2])));
        Assert.All(anchor.Summaries, s => Assert.True(s.FlagsConsistent() && s.Flagged == 0 && s.Model.Length == 0));
    }
}

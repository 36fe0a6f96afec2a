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

    [Fact]
    public void Historic_readings_become_one_range_per_run_of_one_operator_and_the_payload_stays_within_its_limit()
    {
        var t = 20_413 * DeviceSummary.DayMs;
        var alice = new Address(new byte[Address.Size]);
        var bob = new Address(Enumerable.Repeat((byte)1, Address.Size).ToArray());
        List<StoredReading> readings =
        [
            Ev(1, 1, t, 10) with { HistoricBy = alice },
            Ev(2, 2, t + 1, 10) with { HistoricBy = alice },
            Ev(3, 3, t + 2, 10),
            Ev(4, 4, t + 3, 10) with { HistoricBy = alice },
            Ev(5, 5, t + 4, 10) with { HistoricBy = bob },
        ];

        var anchor = AnchorBuilder.Build(readings, (_, _) => BuiltInSchemas.Ev).Single();
        Assert.Equal([new HistoricImport(1, 2, alice), new HistoricImport(4, 4, alice), new HistoricImport(5, 5, bob)], anchor.Historic);
        Assert.True(anchor.HistoricConsistent());

        // Many one-reading ranges do not push an anchor past its size: it is cut, and the next one carries on.
        List<StoredReading> many = [.. Enumerable.Range(1, 400).Select(i => Ev((ulong)i, (ulong)i, t + (ulong)i, 10) with { HistoricBy = i % 2 == 0 ? alice : bob })];
        var anchors = AnchorBuilder.Build(many, (_, _) => BuiltInSchemas.Ev, maxPayloadBytes: 4_096);
        Assert.True(anchors.Count > 1);
        Assert.All(anchors, a => Assert.True(Core.Codec.Canonical.Encode(a).Length <= 4_096 && a.HistoricConsistent()));
        Assert.Equal(400, anchors.Sum(a => a.Historic.Length));
    }

    [Fact]
    public void Stored_flags_are_tallied_into_the_summary_and_a_change_of_model_cuts_the_run()
    {
        var t = 20_413 * DeviceSummary.DayMs;
        ReadingScreen Screen(params ReadingFlag[] flags) => new("ev-screen@1", flags);
        List<StoredReading> readings =
        [
            Ev(1, 1, t, 10),
            Ev(2, 2, t + 1, 20) with { Screen = Screen() },
            Ev(3, 3, t + 2, 30) with { Screen = Screen(new ReadingFlag(FlagCode.OdometerDecrease, 1_000), new ReadingFlag(FlagCode.ImpossibleTravel, 1_000)) },
            Ev(4, 4, t + 3, 40) with { Screen = Screen(new ReadingFlag(FlagCode.OdometerDecrease, 900)) },
        ];

        var summaries = AnchorBuilder.Build(readings, (_, _) => BuiltInSchemas.Ev).Single().Summaries;

        Assert.Equal(2, summaries.Length);
        Assert.Equal((string.Empty, 1u, 0u), (summaries[0].Model, summaries[0].Count, summaries[0].Flagged));
        var screened = summaries[1];
        Assert.Equal(("ev-screen@1", 3u, 2u), (screened.Model, screened.Count, screened.Flagged));
        Assert.Equal(90L, screened.Sums[2]);
        Assert.Equal(70L, screened.FlaggedSums[2]);
        Assert.Equal([new FlagTally(FlagCode.OdometerDecrease, 2, 1_000), new FlagTally(FlagCode.ImpossibleTravel, 1, 1_000)], screened.Flags);
        Assert.True(screened.FlagsConsistent());
    }

    [Fact]
    public void Levels_are_the_lowest_and_last_values_of_the_unflagged_readings_and_absent_when_all_are_flagged()
    {
        var t = 20_413 * DeviceSummary.DayMs;
        StoredReading Washer(ulong n, long detergent, params ReadingFlag[] flags) =>
            new(n, new Reading(Car, n, t + n, "washer", 1, [detergent, 1]), null, null) { Screen = new("washer-screen@1", flags) };
        var anomaly = new ReadingFlag(FlagCode.RateOfChange, 900);
        List<StoredReading> readings = [Washer(1, 300), Washer(2, 120), Washer(3, 0, anomaly), Washer(4, 110), Washer(5, 990, anomaly)];

        var summary = AnchorBuilder.Build(readings, (_, _) => BuiltInSchemas.Washer).Single().Summaries.Single();

        Assert.Equal([110L], summary.Levels!.Min);
        Assert.Equal([110L], summary.Levels.Last);
        Assert.True(summary.Levels.ConsistentWith(BuiltInSchemas.Washer));

        var allFlagged = AnchorBuilder.Build([Washer(1, 0, anomaly), Washer(2, 5, anomaly)], (_, _) => BuiltInSchemas.Washer).Single();
        Assert.Null(allFlagged.Summaries.Single().Levels);
    }

    [Fact]
    public void A_schema_with_a_summary_period_gets_one_summary_per_period_each_naming_it()
    {
        var noon = (20_413 * DeviceSummary.DayMs) + (12 * 3_600_000UL);
        StoredReading Meter(ulong n, ulong time, long export, ushort version = 2) => new(n, new Reading(Car, n, time, "smart-meter", version, [0, export, 500]), null, null);
        List<StoredReading> readings = [Meter(1, noon, 100), Meter(2, noon + 899_999, 50), Meter(3, noon + 900_000, 70), Meter(4, noon + 1_800_000, 10)];

        var anchor = AnchorBuilder.Build(readings, (_, _) => BuiltInSchemas.SmartMeter2).Single();

        Assert.Equal([(new SummaryPeriod(720, 15), 150L), (new SummaryPeriod(735, 15), 70L), (new SummaryPeriod(750, 15), 10L)],
            anchor.Summaries.Select(s => (s.Period!.Value, s.Sums[1])));
        var bytes = Core.Codec.Canonical.Encode(anchor);
        var reader = new Core.Codec.SpanReader(bytes);
        Assert.Equal(anchor.Summaries.Select(s => s.Period), AnchorPayload.Read(ref reader).Summaries.Select(s => s.Period));

        // The first version of the schema is summarised per day, as before.
        var daily = AnchorBuilder.Build([Meter(1, noon, 100, 1), Meter(2, noon + 900_000, 70, 1)], (_, _) => BuiltInSchemas.SmartMeter).Single();
        Assert.Null(daily.Summaries.Single().Period);
    }
}

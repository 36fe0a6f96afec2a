using FsCheck;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Core.Tests.Telemetry;

public class AnchorPayloadTests
{
    private static readonly Address Device = new(Convert.FromHexString("00112233445566778899aabbccddeeff00112233"));

    private static DeviceSummary Flagged() => new(Device, "ev", 1, 10, 1, 10, [100, 2_000])
    {
        Day = 20_413,
        Model = "ev-screen@1",
        Flagged = 3,
        FlaggedSums = [30, 900],
        Flags = [new(FlagCode.SpeedImplausible, 2, 870), new(FlagCode.DuplicateStream, 1, 1_000)],
    };

    private static bool Decode(byte[] bytes, out AnchorPayload? anchor)
    {
        var reader = new SpanReader(bytes);
        anchor = AnchorPayload.Read(ref reader);
        return reader.Finish() == CodecError.None;
    }

    [Fact]
    public void Flag_codes_keep_their_numbers_because_anchors_on_chain_carry_them()
    {
        Assert.Equal(
            [(1, "ODOMETER_DECREASE"), (2, "SPEED_IMPLAUSIBLE"), (3, "ENERGY_PER_KM"), (4, "SOC_JUMP"), (5, "EXPORT_ABOVE_RATING"),
             (6, "IMPOSSIBLE_TRAVEL"), (7, "OUTLIER"), (8, "DUPLICATE_STREAM"),
             (9, "VALUE_OUT_OF_RANGE"), (10, "RATE_OF_CHANGE"), (11, "STUCK_VALUE"), (12, "LEVEL_SHIFT"), (13, "DRIFT")],
            Enum.GetValues<FlagCode>().Select(c => ((int)c, FlagCodes.Text(c))));
        Assert.True(FlagCodes.TryParse("OUTLIER", out var code) && code == FlagCode.Outlier);
        Assert.False(FlagCodes.TryParse("", out _));
    }

    [Fact]
    public void A_summary_with_flags_has_a_fixed_encoding_after_its_sums()
    {
        var bytes = Canonical.Encode(Flagged());
        var tail = Convert.ToHexStringLower(bytes.AsSpan(bytes.Length - 41));
        Assert.Equal(
            "00004fbd" + "0b" + Convert.ToHexStringLower("ev-screen@1"u8) + "00000003" + "02" + "3c" + "880e" +
            "02" + "0002" + "00000002" + "0366" + "0008" + "00000001" + "03e8",
            tail);
    }

    [Fact]
    public void Anchors_round_trip_and_reject_any_truncation_or_trailing_byte()
    {
        Prop.ForAll<uint, uint, byte>((day, flagged, codes) =>
        {
            var summary = Flagged() with { Day = day, Flagged = flagged, Flags = [.. Enum.GetValues<FlagCode>().Where(c => ((codes >> ((int)c - 1)) & 1) == 1).Select(c => new FlagTally(c, 1, 5))] };
            var bytes = Canonical.Encode(new AnchorPayload(Hash.Sha256([1]), 10, 1, 2, 1, 10, [summary]));
            var roundTrip = Decode(bytes, out var decoded) && Canonical.Encode(decoded!).AsSpan().SequenceEqual(bytes);
            return roundTrip && !Decode(bytes[..^1], out _) && !Decode([.. bytes, 0], out _);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_summary_says_what_is_flagged_exactly_once()
    {
        Assert.True(Flagged().FlagsConsistent());
        Assert.True((Flagged() with { Flagged = 0, FlaggedSums = [], Flags = [] }).FlagsConsistent());
        Assert.True((Flagged() with { Model = "", Flagged = 0, FlaggedSums = [], Flags = [] }).FlagsConsistent());
        Assert.False((Flagged() with { Flagged = 11 }).FlagsConsistent());
        Assert.False((Flagged() with { Flags = [] }).FlagsConsistent());
        Assert.False((Flagged() with { FlaggedSums = [] }).FlagsConsistent());
        Assert.False((Flagged() with { FlaggedSums = [1] }).FlagsConsistent());
        Assert.False((Flagged() with { Model = "" }).FlagsConsistent());
        Assert.False((Flagged() with { Flagged = 0 }).FlagsConsistent());
        Assert.False((Flagged() with { Flags = [new(FlagCode.DuplicateStream, 1, 1), new(FlagCode.SpeedImplausible, 1, 1)] }).FlagsConsistent());
        Assert.False((Flagged() with { Flags = [new(FlagCode.Outlier, 1, 1), new(FlagCode.Outlier, 1, 1)] }).FlagsConsistent());
        Assert.False((Flagged() with { Flags = [new((FlagCode)99, 1, 1)] }).FlagsConsistent());
        Assert.False((Flagged() with { Flags = [new(FlagCode.Outlier, 4, 1)] }).FlagsConsistent());
        Assert.False((Flagged() with { Flags = [new(FlagCode.Outlier, 0, 1)] }).FlagsConsistent());
        Assert.False((Flagged() with { Flags = [new(FlagCode.Outlier, 1, 1_001)] }).FlagsConsistent());
    }

    [Fact]
    public void Duplicate_streams_and_impossible_travel_condemn_the_device_day()
    {
        Assert.True(FlagCodes.AnyDeviceLevel(Flagged().Flags));
        Assert.False(FlagCodes.AnyDeviceLevel([new(FlagCode.Outlier, 1, 1), new(FlagCode.SpeedImplausible, 1, 1)]));
        Assert.Equal(20_413u, DeviceSummary.DayOf(20_413 * DeviceSummary.DayMs + DeviceSummary.DayMs - 1));
    }

    [Fact]
    public void Levels_follow_the_historic_list_and_name_their_summary_by_index()
    {
        var plain = Flagged() with { Flagged = 0, FlaggedSums = [], Flags = [], Model = "" };
        var levelled = plain with { Device = new Address(new byte[20]), Levels = new SummaryLevels([5, 0, 300], [9, 0, 310]) };
        var anchor = new AnchorPayload(Hash.Sha256([1]), 20, 1, 2, 1, 20, [levelled, plain]);
        var bytes = Canonical.Encode(anchor);
        Assert.Equal(bytes.Length, anchor.EncodedLength);
        Assert.True(Decode(bytes, out var decoded));
        Assert.Equal([5L, 0, 300], decoded!.Summaries[0].Levels!.Min);
        Assert.Equal([9L, 0, 310], decoded.Summaries[0].Levels!.Last);
        Assert.Null(decoded.Summaries[1].Levels);
        Assert.Equal(bytes, Canonical.Encode(decoded));
        // An empty historic list, then one levels entry for summary 0: "00" "01" "00" ….
        Assert.Equal("000100", Convert.ToHexStringLower(bytes.AsSpan(bytes.Length - anchor.Summaries[0].Levels!.EncodedLength - 3, 3)));

        // No levels and no historic ranges: nothing is written after the summaries.
        var none = new AnchorPayload(Hash.Sha256([1]), 20, 1, 2, 1, 20, [plain, plain]);
        Assert.Equal(Canonical.Encode(none).Length, none.EncodedLength);
        // An empty levels list, an index past the summaries, indexes out of order, min and last of different lengths: refused.
        var head = Canonical.Encode(none);
        Assert.False(Decode([.. head, 0, 0], out _));
        Assert.False(Decode([.. head, 0, 1, 2, 1, 2, 1, 2], out _));
        Assert.False(Decode([.. head, 0, 2, 1, 1, 2, 1, 2, 0, 1, 2, 1, 2], out _));
        Assert.False(Decode([.. head, 0, 1, 0, 2, 2, 2, 1, 2], out _));
        Assert.True(Decode([.. head, 0, 1, 1, 1, 2, 1, 2], out var one) && one!.Summaries[1].Levels!.Last[0] == 1);
    }

    [Fact]
    public void Periods_follow_the_levels_list_which_is_then_written_even_when_empty()
    {
        var plain = Flagged() with { Flagged = 0, FlaggedSums = [], Flags = [], Model = "" };
        var quarter = plain with { Period = new SummaryPeriod(720, 15) };
        var anchor = new AnchorPayload(Hash.Sha256([1]), 20, 1, 2, 1, 20, [plain, quarter]);
        var bytes = Canonical.Encode(anchor);
        Assert.Equal(bytes.Length, anchor.EncodedLength);
        // No historic range, no levels (count 0), one period entry for summary 1: 720 = 0x02d0, 15 = 0x000f.
        Assert.Equal("00" + "00" + "01" + "01" + "02d0000f", Convert.ToHexStringLower(bytes.AsSpan(bytes.Length - 8)));
        Assert.True(Decode(bytes, out var decoded));
        Assert.Null(decoded!.Summaries[0].Period);
        Assert.Equal(new SummaryPeriod(720, 15), decoded.Summaries[1].Period);
        Assert.Equal(bytes, Canonical.Encode(decoded));

        // With levels too: both lists, levels first.
        var both = new AnchorPayload(Hash.Sha256([1]), 20, 1, 2, 1, 20, [quarter with { Levels = new SummaryLevels([1], [2]) }]);
        var bothBytes = Canonical.Encode(both);
        Assert.Equal(bothBytes.Length, both.EncodedLength);
        Assert.True(Decode(bothBytes, out var twice) && twice!.Summaries[0].Levels!.Last[0] == 2 && twice.Summaries[0].Period == new SummaryPeriod(720, 15));

        // An empty levels list with nothing after it, an empty periods list, and periods that are not periods of a day: refused.
        var head = Canonical.Encode(new AnchorPayload(Hash.Sha256([1]), 20, 1, 2, 1, 20, [plain, plain]));
        Assert.False(Decode([.. head, 0, 0], out _));
        Assert.False(Decode([.. head, 0, 0, 0], out _));
        Assert.True(Decode([.. head, 0, 0, 1, 0, 0x02, 0xd0, 0, 15], out _));
        Assert.False(Decode([.. head, 0, 0, 1, 0, 0x02, 0xd0, 0, 0], out _));
        Assert.False(Decode([.. head, 0, 0, 1, 0, 0x02, 0xd1, 0, 15], out _));
        Assert.False(Decode([.. head, 0, 0, 1, 0, 0x05, 0xa0, 0, 15], out _));
        Assert.False(Decode([.. head, 0, 0, 1, 0, 0, 0, 0, 7], out _));
        Assert.False(Decode([.. head, 0, 0, 1, 2, 0x02, 0xd0, 0, 15], out _));
    }

    [Fact]
    public void A_period_holds_the_minutes_of_its_day_from_its_start_to_before_its_end()
    {
        var day = 20_413u;
        var period = new SummaryPeriod(720, 15);
        var start = period.StartMs(day);
        Assert.Equal(day * DeviceSummary.DayMs + 12 * 3_600_000UL, start);
        Assert.Equal(start + 900_000, period.EndMs(day));
        Assert.True(period.Holds(start) && period.Holds(start + 899_999));
        Assert.False(period.Holds(start - 1) || period.Holds(start + 900_000));
        var summary = Flagged() with { Day = day, Period = period };
        Assert.True(summary.HoldsTime(start + 1));
        Assert.False(summary.HoldsTime(start + DeviceSummary.DayMs));
        Assert.Equal(new SummaryPeriod(720, 15), new TelemetrySchema("m", 1, [new("x", "Wh", 0, 0, 1, true)]) { SummaryMinutes = 15 }.PeriodOf(start + 899_999));
        Assert.Null(new TelemetrySchema("m", 1, [new("x", "Wh", 0, 0, 1, true)]).PeriodOf(start));
        Assert.False((new TelemetrySchema("m", 1, [new("x", "Wh", 0, 0, 1, true)]) { SummaryMinutes = 7 }).IsValid());
    }

    [Fact]
    public void Levels_are_consistent_with_their_schema_only_within_the_fields_range()
    {
        var schema = new TelemetrySchema("washer", 2, [new("detergent_pct", "%", 1, 0, 1_000, false), new("cycles", "cycles", 0, 0, 100, true), new("drum_vibration_mg", "mg", 0, 0, 20_000, false)]);
        Assert.True(new SummaryLevels([100, 300], [150, 300]).ConsistentWith(schema));
        Assert.False(new SummaryLevels([100], [150]).ConsistentWith(schema));
        Assert.False(new SummaryLevels([160, 300], [150, 300]).ConsistentWith(schema));
        Assert.False(new SummaryLevels([-1, 300], [150, 300]).ConsistentWith(schema));
        Assert.False(new SummaryLevels([100, 300], [1_001, 300]).ConsistentWith(schema));
        Assert.False(new SummaryLevels([100, 300, 1], [150, 300, 1]).ConsistentWith(schema));
    }
}

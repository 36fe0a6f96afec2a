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
}

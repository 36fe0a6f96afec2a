using FsCheck;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Core.Tests.Telemetry;

public class ReadingTests
{
    private static readonly Address Device = new(Convert.FromHexString("00112233445566778899aabbccddeeff00112233"));

    [Fact]
    public void A_reading_has_a_fixed_encoding()
    {
        var reading = new Reading(Device, 7, 1_700_000_000_000, "ev", 1, [0, -1, 1, 300]);
        Assert.Equal(
            "01" + "00112233445566778899aabbccddeeff00112233" + "0000000000000007" + "0000018bcfe56800" + "026576" + "0001" + "04" + "00" + "01" + "02" + "d804",
            Convert.ToHexStringLower(reading.Encoded.Span));
        Assert.Equal(CodecError.None, Reading.TryDecode(reading.Encoded.ToArray(), out var decoded));
        Assert.Equal(reading.Values, decoded!.Values);
    }

    [Fact]
    public void Readings_round_trip_and_reject_any_truncation_or_trailing_byte()
    {
        Prop.ForAll<ulong, ulong, long[]>((sequence, time, values) =>
        {
            var reading = new Reading(Device, sequence, time, "meter", 3, [.. (values ?? []).Take(TelemetrySchema.MaxFields)]);
            var bytes = reading.Encoded.ToArray();
            var roundTrip = Reading.TryDecode(bytes, out var decoded) == CodecError.None && decoded!.Encoded.Span.SequenceEqual(bytes);
            var truncated = Reading.TryDecode(bytes[..^1], out _) != CodecError.None;
            var trailing = Reading.TryDecode([.. bytes, 0], out _) != CodecError.None;
            return roundTrip && truncated && trailing;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decimal_values_parse_exactly_and_format_back()
    {
        Prop.ForAll<long>(value =>
        {
            var text = TelemetrySchema.FormatValue(value, 3);
            return TelemetrySchema.TryParseValue(text, 3, out var parsed) && parsed == value;
        }).QuickCheckThrowOnFailure();
        Assert.True(TelemetrySchema.TryParseValue("12.5", 3, out var v) && v == 12_500);
        Assert.False(TelemetrySchema.TryParseValue("12.5001", 3, out _));
        Assert.False(TelemetrySchema.TryParseValue("1e3", 3, out _));
        Assert.False(TelemetrySchema.TryParseValue("99999999999999999999", 0, out _));
        Assert.False(TelemetrySchema.TryParseValue("1.", 1, out _));
    }

    [Fact]
    public void A_device_batch_signature_covers_every_reading_and_the_count()
    {
        using var key = KeyPair.Generate();
        var readings = Enumerable.Range(1, 5).Select(i => new Reading(key.Address, (ulong)i, 1_000, "ev", 1, [i])).ToArray();
        var signature = DeviceBatch.Sign(key, "chain", readings);
        var root = DeviceBatch.Root(readings);
        Assert.True(SignatureVerifier.Verify(key.PublicKey, DeviceBatch.SigningDigest("chain", key.Address, 5, root), signature));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, DeviceBatch.SigningDigest("chain", key.Address, 4, root), signature));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, DeviceBatch.SigningDigest("other", key.Address, 5, root), signature));
        var leaves = readings.Select(r => r.LeafHash).ToArray();
        Assert.True(MerkleTree.TryComputeRoot(leaves[3], MerkleTree.Prove(leaves, 3), out var computed) && computed == root);
        // A reading signature is not a batch signature, nor the other way round.
        Assert.False(SignatureVerifier.Verify(key.PublicKey, readings[0].SigningDigest("chain"), signature));
    }
}

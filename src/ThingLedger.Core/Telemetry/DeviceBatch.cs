using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;

namespace ThingLedger.Core.Telemetry;

/// <summary>
/// Consecutive readings of one device under one signature: the device signs
/// <c>address device ‖ u32 count ‖ hash root</c> (tag <c>thingledger/reading-batch/v1</c>), where
/// root is the RFC 6962 root over the readings' leaf hashes in order. One signature for, say, a
/// minute of readings moves the cost from signature checks to storage, and the path from a
/// reading to the root still proves that single reading.
/// </summary>
public static class DeviceBatch
{
    /// <summary>The protocol's limit; a node may configure a lower one.</summary>
    public const int MaxReadings = 1024;

    public const int HeaderBytes = Address.Size + 4 + Hash.Size;

    public static Hash Root(IReadOnlyList<Reading> readings)
    {
        var leaves = new Hash[readings.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = readings[i].LeafHash;
        }
        return MerkleTree.Root(leaves);
    }

    public static Hash SigningDigest(string chainId, Address device, uint count, in Hash root)
    {
        Span<byte> body = stackalloc byte[HeaderBytes];
        var writer = new SpanWriter(body);
        writer.WriteAddress(device);
        writer.WriteU32(count);
        writer.WriteHash(root);
        return Crypto.SigningDigest.Compute(TelemetryTags.DeviceBatch, chainId, body);
    }

    /// <summary>Signs <paramref name="readings"/> (all of <paramref name="device"/>'s key) as one batch.</summary>
    public static byte[] Sign(KeyPair device, string chainId, IReadOnlyList<Reading> readings) =>
        device.Sign(SigningDigest(chainId, device.Address, (uint)readings.Count, Root(readings)));
}

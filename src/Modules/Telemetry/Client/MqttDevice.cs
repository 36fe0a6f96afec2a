using System.Buffers.Binary;
using System.Globalization;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Client;

/// <summary>The MQTT topics of one device on one chain (docs/TELEMETRY.md, "MQTT").</summary>
public sealed record MqttTopics(string ChainId, Address Device)
{
    /// <summary>The prefix of every topic of the device: <c>tl/{chainId}/d/{deviceId}/</c>.</summary>
    public string Prefix { get; } = $"tl/{ChainId}/d/{Device}/";

    public string Readings => Prefix + "readings";

    public string Results => Prefix + "results";

    public string Receipts => Prefix + "receipts";

    public string Config => Prefix + "config";

    /// <summary>What a topic of this chain names: its device and what follows the device id, or null when it is no device topic.</summary>
    public static (string Device, string Path)? Parse(string chainId, string topic)
    {
        var prefix = $"tl/{chainId}/d/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var slash = topic.IndexOf('/', prefix.Length);
        return slash < 0 ? null : (topic[prefix.Length..slash], topic[(slash + 1)..]);
    }
}

/// <summary>
/// The password a device connects with: proof that it holds its key, made for one chain and one
/// moment. <c>v1.{time}.{signature}</c>, the signature (base64url) over
/// <c>SHA-256(str("thingledger/mqtt-connect/v1") ‖ str(chainId) ‖ address device ‖ u64 time)</c>.
/// </summary>
public static class MqttConnectProof
{
    public const string Tag = "thingledger/mqtt-connect/v1";

    public static string Create(KeyPair device, string chainId, DateTimeOffset at)
    {
        var time = (ulong)at.ToUnixTimeMilliseconds();
        var signature = device.Sign(Tag, chainId, Body(device.Address, time));
        return $"v1.{time.ToString(CultureInfo.InvariantCulture)}.{Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
    }

    /// <summary>The time and signature of a proof, or null when <paramref name="password"/> is not one.</summary>
    public static (ulong Time, byte[] Signature)? Parse(string? password)
    {
        var parts = password?.Split('.');
        if (parts is not ["v1", var time, var signature] || !ulong.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || signature.Length != 86)
        {
            return null;
        }
        var padded = signature.Replace('-', '+').Replace('_', '/') + "==";
        var bytes = new byte[66];
        return Convert.TryFromBase64String(padded, bytes, out var written) && written == Core.Crypto.Signature.Size ? (ms, bytes[..written]) : null;
    }

    public static bool Verify(PublicKey key, string chainId, Address device, ulong time, ReadOnlySpan<byte> signature) =>
        Core.Crypto.Signature.HasLowS(signature) && SignatureVerifier.Verify(key, Tag, chainId, Body(device, time), signature);

    private static byte[] Body(Address device, ulong time)
    {
        var body = new byte[Address.Size + sizeof(ulong)];
        device.CopyTo(body);
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(Address.Size), time);
        return body;
    }
}

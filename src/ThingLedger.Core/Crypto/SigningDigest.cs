using ThingLedger.Core.Codec;

namespace ThingLedger.Core.Crypto;

/// <summary>
/// The digest every ThingLedger signature covers:
/// SHA-256( str(tag) ‖ str(chainId) ‖ body ), where str is the codec's length-prefixed UTF-8.
/// </summary>
public static class SigningDigest
{
    public static Hash Compute(string tag, string chainId, ReadOnlySpan<byte> body)
    {
        Span<byte> prefix = stackalloc byte[CanonicalSizes.String(tag) + CanonicalSizes.String(chainId)];
        var writer = new SpanWriter(prefix);
        writer.WriteString(tag);
        writer.WriteString(chainId);
        return Hash.Sha256(prefix, body);
    }
}

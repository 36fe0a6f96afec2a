using System.Security.Cryptography;
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
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> prefix = stackalloc byte[CanonicalSizes.String(tag) + CanonicalSizes.String(chainId)];
        var writer = new SpanWriter(prefix);
        writer.WriteString(tag);
        writer.WriteString(chainId);
        hasher.AppendData(prefix);
        hasher.AppendData(body);
        Span<byte> digest = stackalloc byte[Hash.Size];
        hasher.GetHashAndReset(digest);
        return new Hash(digest);
    }
}

using System.Numerics;

namespace ThingLedger.Core.Crypto;

/// <summary>
/// An ECDSA P-256 signature as 64 bytes r ‖ s (IEEE P1363). Only low-S signatures
/// (s ≤ n/2) are valid, so a signature cannot be rewritten into a second valid one.
/// </summary>
public static class Signature
{
    public const int Size = 64;

    /// <summary>The order n of the P-256 group, big-endian.</summary>
    private static ReadOnlySpan<byte> Order =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ];

    /// <summary>floor(n / 2), big-endian.</summary>
    private static ReadOnlySpan<byte> HalfOrder =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
    ];

    /// <summary>True when s is in [1, n/2]; r's range is checked by the verifier.</summary>
    public static bool HasLowS(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Size)
        {
            return false;
        }
        var s = signature[32..];
        return s.SequenceCompareTo(HalfOrder) <= 0 && s.IndexOfAnyExcept((byte)0) >= 0;
    }

    /// <summary>Rewrites s to n − s when s is high; leaves low-S signatures unchanged.</summary>
    public static void NormalizeToLowS(Span<byte> signature)
    {
        if (signature.Length != Size)
        {
            throw new ArgumentException("a signature is 64 bytes", nameof(signature));
        }
        if (signature[32..].SequenceCompareTo(HalfOrder) > 0)
        {
            ReplaceSWithItsComplement(signature[32..]);
        }
    }

    /// <summary>The high-S twin of a low-S signature (n − s): valid for raw ECDSA, refused here.</summary>
    public static byte[] ToHighS(ReadOnlySpan<byte> signature)
    {
        var result = signature.ToArray();
        ReplaceSWithItsComplement(result.AsSpan(32));
        return result;
    }

    private static void ReplaceSWithItsComplement(Span<byte> s)
    {
        var n = new BigInteger(Order, isUnsigned: true, isBigEndian: true);
        var complement = n - new BigInteger(s, isUnsigned: true, isBigEndian: true);
        s.Clear();
        var length = complement.GetByteCount(isUnsigned: true);
        complement.TryWriteBytes(s[(32 - length)..], out _, isUnsigned: true, isBigEndian: true);
    }
}

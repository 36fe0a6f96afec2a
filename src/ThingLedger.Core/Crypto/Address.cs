using System.Buffers.Binary;

namespace ThingLedger.Core.Crypto;

/// <summary>
/// An account address: the first 20 bytes of SHA-256(str("thingledger/address/v1") ‖ public key).
/// Text form: "tl" + 40 lowercase hex digits + 8 hex digits of checksum
/// (the first 4 bytes of SHA-256 of the 20 address bytes). Parsing is strict.
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Size = 20;
    public const string Prefix = "tl";
    public const int TextLength = 2 + (2 * Size) + 8;

    private readonly ulong _hi;
    private readonly ulong _mid;
    private readonly uint _lo;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an address is {Size} bytes", nameof(bytes));
        }
        _hi = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _mid = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _lo = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    public static Address FromPublicKey(PublicKey key)
    {
        var digest = SigningDigest.Compute(DomainTags.Address, string.Empty, key.Bytes);
        Span<byte> bytes = stackalloc byte[Hash.Size];
        digest.CopyTo(bytes);
        return new Address(bytes[..Size]);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _mid);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _lo);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>
    /// Text forms already computed (each needs a SHA-256 for its checksum); state keys and events
    /// format the same few thousand addresses over and over. Bounded: cleared when full.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Address, string> TextCache = new();
    private const int MaxCachedTexts = 100_000;

    public override string ToString()
    {
        if (TextCache.TryGetValue(this, out var cached))
        {
            return cached;
        }
        var text = Format();
        if (TextCache.Count >= MaxCachedTexts)
        {
            TextCache.Clear();
        }
        TextCache.TryAdd(this, text);
        return text;
    }

    private string Format()
    {
        Span<byte> bytes = stackalloc byte[Size + 4];
        CopyTo(bytes);
        Checksum(bytes[..Size], bytes[Size..]);
        return Prefix + Convert.ToHexStringLower(bytes);
    }

    public static bool TryParse(string? text, out Address address)
    {
        address = default;
        if (text is null || text.Length != TextLength || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in text.AsSpan(2))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        Span<byte> bytes = stackalloc byte[Size + 4];
        Convert.FromHexString(text.AsSpan(2), bytes, out _, out _);
        // A text this process formatted itself (events, state keys) has a known-good checksum.
        var candidate = new Address(bytes[..Size]);
        if (TextCache.TryGetValue(candidate, out var formatted) && string.Equals(formatted, text, StringComparison.Ordinal))
        {
            address = candidate;
            return true;
        }
        Span<byte> expected = stackalloc byte[4];
        Checksum(bytes[..Size], expected);
        if (!expected.SequenceEqual(bytes[Size..]))
        {
            return false;
        }
        address = candidate;
        return true;
    }

    public static Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a ThingLedger address (tl + 48 lowercase hex digits with checksum)");

    private static void Checksum(ReadOnlySpan<byte> address, Span<byte> destination) =>
        Hash.Sha256(address).ToArray().AsSpan(0, 4).CopyTo(destination);

    public bool Equals(Address other) => _hi == other._hi && _mid == other._mid && _lo == other._lo;
    public override bool Equals(object? obj) => obj is Address other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_hi, _mid, _lo);

    public int CompareTo(Address other)
    {
        var c = _hi.CompareTo(other._hi);
        if (c != 0) return c;
        c = _mid.CompareTo(other._mid);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }

    public static bool operator ==(Address left, Address right) => left.Equals(right);
    public static bool operator !=(Address left, Address right) => !left.Equals(right);
}

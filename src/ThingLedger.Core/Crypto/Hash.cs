using System.Buffers.Binary;

namespace ThingLedger.Core.Crypto;

/// <summary>A SHA-256 digest. Immutable, equatable, ordered by its bytes.</summary>
public readonly struct Hash : IEquatable<Hash>, IComparable<Hash>
{
    public const int Size = 32;

    private readonly ulong _a, _b, _c, _d;

    public static readonly Hash Zero;

    public Hash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a hash is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    public bool IsZero => (_a | _b | _c | _d) == 0;

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Bit <paramref name="index"/> counted from the most significant bit of byte 0.</summary>
    public int Bit(int index)
    {
        var word = (index >> 6) switch { 0 => _a, 1 => _b, 2 => _c, 3 => _d, _ => throw new ArgumentOutOfRangeException(nameof(index)) };
        return (int)((word >> (63 - (index & 63))) & 1);
    }

    public static Hash Sha256(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        Sha256Engine.Hash(data, digest);
        return new Hash(digest);
    }

    /// <summary>SHA-256 of a one-byte prefix followed by data (Merkle leaf and node hashing).</summary>
    public static Hash Sha256(byte prefix, ReadOnlySpan<byte> data) => Sha256([prefix], data);

    /// <summary>SHA-256(head ‖ tail) in one call, without joining the parts (see <see cref="Sha256Engine"/>).</summary>
    public static Hash Sha256(scoped ReadOnlySpan<byte> head, scoped ReadOnlySpan<byte> tail)
    {
        Span<byte> digest = stackalloc byte[Size];
        Sha256Engine.Hash(head, tail, digest);
        return new Hash(digest);
    }

    /// <summary>SHA-256(prefix ‖ left ‖ right): 65 bytes hashed in one call.</summary>
    public static Hash Sha256(byte prefix, in Hash left, in Hash right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = prefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        return Sha256(buffer);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Parses exactly 64 lowercase or uppercase hex digits.</summary>
    public static bool TryParse(string? text, out Hash hash)
    {
        hash = default;
        if (text is null || text.Length != Size * 2)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }
        hash = new Hash(bytes);
        return true;
    }

    public static Hash Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new FormatException("a hash is 64 hex digits");

    public bool Equals(Hash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;
    public override bool Equals(object? obj) => obj is Hash other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    public int CompareTo(Hash other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        if (c != 0) return c;
        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    public static bool operator ==(Hash left, Hash right) => left.Equals(right);
    public static bool operator !=(Hash left, Hash right) => !left.Equals(right);
    public static bool operator <(Hash left, Hash right) => left.CompareTo(right) < 0;
    public static bool operator >(Hash left, Hash right) => left.CompareTo(right) > 0;
    public static bool operator <=(Hash left, Hash right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Hash left, Hash right) => left.CompareTo(right) >= 0;
}

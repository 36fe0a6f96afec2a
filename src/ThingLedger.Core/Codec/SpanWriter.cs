using System.Buffers.Binary;
using System.Text;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Codec;

/// <summary>
/// Writes the canonical encoding into a span sized in advance (see <see cref="CanonicalSizes"/>).
/// Integers are big-endian; lengths and counts are minimal unsigned LEB128 varints.
/// Writing past the end is a bug in the caller's size computation and throws.
/// </summary>
public ref struct SpanWriter
{
    private readonly Span<byte> _buffer;

    public SpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly Span<byte> Written => _buffer[..Position];

    public void WriteU8(byte value) => _buffer[Position++] = value;

    public void WriteBool(bool value) => WriteU8(value ? (byte)1 : (byte)0);

    public void WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        Position += 2;
    }

    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        Position += 4;
    }

    public void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[Position..], value);
        Position += 8;
    }

    public void WriteU128(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128BigEndian(_buffer[Position..], value);
        Position += 16;
    }

    public void WriteVarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            // Truncation to the low seven bits plus the continuation bit is the point here.
            _buffer[Position++] = unchecked((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer[Position++] = (byte)value;
    }

    /// <summary>A signed integer as a zigzag varint: 0, -1, 1, -2 … become 0, 1, 2, 3 ….</summary>
    public void WriteVarInt(long value) => WriteVarUInt(ZigZag.Encode(value));

    /// <summary>A list of signed integers: varint count ‖ zigzag varints.</summary>
    public void WriteVarInts(ReadOnlySpan<long> values)
    {
        WriteVarUInt((ulong)values.Length);
        foreach (var value in values)
        {
            WriteVarInt(value);
        }
    }

    public void WriteFixed(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        WriteVarUInt((ulong)bytes.Length);
        WriteFixed(bytes);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)length);
        Position += Encoding.UTF8.GetBytes(value, _buffer.Slice(Position, length));
    }

    public void WriteHash(in Hash hash)
    {
        hash.CopyTo(_buffer[Position..]);
        Position += Hash.Size;
    }

    public void WriteAddress(in Address address)
    {
        address.CopyTo(_buffer[Position..]);
        Position += Address.Size;
    }

    public void WritePublicKey(PublicKey key) => WriteFixed(key.Bytes);
}

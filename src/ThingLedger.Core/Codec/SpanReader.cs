using System.Buffers.Binary;
using System.Text;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Codec;

/// <summary>
/// A strict, bounds-checked reader of the canonical encoding. It never throws on bad input:
/// the first problem is remembered in <see cref="Error"/>, later reads return defaults, and
/// the decoder checks <see cref="Finish"/> once at the end (which also rejects trailing bytes).
/// </summary>
public ref struct SpanReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        Error = CodecError.None;
        ErrorOffset = 0;
    }

    public CodecError Error { get; private set; }

    /// <summary>Where in the input the first problem was found.</summary>
    public int ErrorOffset { get; private set; }

    public readonly bool Ok => Error == CodecError.None;

    /// <summary>
    /// When set, a string holding a format character (Unicode category Cf: bidirectional
    /// overrides and isolates, zero-width spaces and joiners, the byte-order mark, soft hyphens)
    /// fails with <see cref="CodecError.FormatCharacter"/>: text that shows other than it reads.
    /// Set for the payloads of version-2 txs; version-1 payloads decode as they did.
    /// </summary>
    public bool PlainText { get; init; }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Records a decoding problem found by the caller (e.g. an unknown enum value).</summary>
    public void Fail(CodecError error)
    {
        if (Error == CodecError.None)
        {
            Error = error;
            ErrorOffset = _position;
        }
    }

    /// <summary>Ends decoding: fails with <see cref="CodecError.TrailingBytes"/> if input is left.</summary>
    public CodecError Finish()
    {
        if (Ok && _position != _buffer.Length)
        {
            Fail(CodecError.TrailingBytes);
        }
        return Error;
    }

    private bool Take(int count, out ReadOnlySpan<byte> bytes)
    {
        if (!Ok || count < 0 || count > Remaining)
        {
            Fail(CodecError.Truncated);
            bytes = default;
            return false;
        }
        bytes = _buffer.Slice(_position, count);
        _position += count;
        return true;
    }

    public byte ReadU8() => Take(1, out var b) ? b[0] : (byte)0;

    public bool ReadBool()
    {
        var value = ReadU8();
        if (value > 1)
        {
            Fail(CodecError.InvalidValue);
        }
        return value == 1;
    }

    public ushort ReadU16() => Take(2, out var b) ? BinaryPrimitives.ReadUInt16BigEndian(b) : (ushort)0;

    public uint ReadU32() => Take(4, out var b) ? BinaryPrimitives.ReadUInt32BigEndian(b) : 0u;

    public ulong ReadU64() => Take(8, out var b) ? BinaryPrimitives.ReadUInt64BigEndian(b) : 0ul;

    public UInt128 ReadU128() => Take(16, out var b) ? BinaryPrimitives.ReadUInt128BigEndian(b) : UInt128.Zero;

    /// <summary>Minimal unsigned LEB128, at most 10 bytes, no value above 2^64 − 1.</summary>
    public ulong ReadVarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (!Take(1, out var b))
            {
                return 0;
            }
            var part = b[0];
            if (shift == 63 && part > 1)
            {
                Fail(CodecError.VarintOverflow);
                return 0;
            }
            value |= (ulong)(part & 0x7F) << shift;
            if ((part & 0x80) == 0)
            {
                if (part == 0 && shift > 0)
                {
                    Fail(CodecError.NonMinimalVarint);
                    return 0;
                }
                return value;
            }
        }
        Fail(CodecError.VarintOverflow);
        return 0;
    }

    /// <summary>A zigzag varint (minimal, like every varint).</summary>
    public long ReadVarInt() => ZigZag.Decode(ReadVarUInt());

    /// <summary>A list written by <see cref="SpanWriter.WriteVarInts"/>, of at most <paramref name="max"/> values.</summary>
    public long[] ReadVarInts(int max)
    {
        var values = new long[ReadCount(max)];
        for (var i = 0; i < values.Length && Ok; i++)
        {
            values[i] = ReadVarInt();
        }
        return Ok ? values : [];
    }

    /// <summary>A varint count that must not exceed <paramref name="max"/>.</summary>
    public int ReadCount(int max)
    {
        var count = ReadVarUInt();
        if (count > (ulong)max)
        {
            Fail(CodecError.LengthTooLarge);
            return 0;
        }
        return (int)count;
    }

    public ReadOnlySpan<byte> ReadFixed(int length) => Take(length, out var b) ? b : default;

    public ReadOnlySpan<byte> ReadBytes(int maxLength)
    {
        var length = ReadCount(maxLength);
        return Ok ? ReadFixed(length) : default;
    }

    public byte[] ReadByteArray(int maxLength) => ReadBytes(maxLength).ToArray();

    public string ReadString(int maxBytes)
    {
        var bytes = ReadBytes(maxBytes);
        if (!Ok)
        {
            return string.Empty;
        }
        var text = DecodeUtf8(bytes);
        if (PlainText && Ok && HasFormatCharacter(text))
        {
            Fail(CodecError.FormatCharacter);
            return string.Empty;
        }
        return text;
    }

    /// <summary>Whether <paramref name="text"/> holds a format character (Cf), in any plane.</summary>
    public static bool HasFormatCharacter(string text)
    {
        foreach (var c in text)
        {
            if (c >= 0x80)
            {
                foreach (var rune in text.EnumerateRunes())
                {
                    if (Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.Format)
                    {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /// <summary>
    /// <see cref="ReadString"/> for short identifiers that repeat across many records (a reading's
    /// schema id): a repeat of a string <paramref name="interner"/> holds returns the held string
    /// instead of allocating another.
    /// </summary>
    public string ReadInternedString(int maxBytes, Utf8Interner interner)
    {
        var bytes = ReadBytes(maxBytes);
        if (!Ok)
        {
            return string.Empty;
        }
        if (interner.Find(bytes) is { } held)
        {
            return held;
        }
        var decoded = DecodeUtf8(bytes);
        if (Ok)
        {
            interner.Add(bytes, decoded);
        }
        return decoded;
    }

    /// <summary>Strict UTF-8; invalid bytes fail the reader with <see cref="CodecError.InvalidUtf8"/>.</summary>
    private string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Fail(CodecError.InvalidUtf8);
            return string.Empty;
        }
    }

    public Hash ReadHash() => Take(Hash.Size, out var b) ? new Hash(b) : default;

    public Address ReadAddress() => Take(Address.Size, out var b) ? new Address(b) : default;

    public PublicKey? ReadPublicKey()
    {
        if (!Take(PublicKey.Size, out var b))
        {
            return null;
        }
        if (!PublicKey.TryCreate(b, out var key))
        {
            Fail(CodecError.InvalidValue);
        }
        return key;
    }
}

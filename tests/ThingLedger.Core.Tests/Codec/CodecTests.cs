using FsCheck;
using ThingLedger.Core.Codec;

namespace ThingLedger.Core.Tests.Codec;

public class CodecTests
{
    private static byte[] Varint(ulong value)
    {
        var buffer = new byte[CanonicalSizes.VarUInt(value)];
        var writer = new SpanWriter(buffer);
        writer.WriteVarUInt(value);
        return buffer;
    }

    private static (ulong Value, CodecError Error) ReadVarint(byte[] bytes)
    {
        var reader = new SpanReader(bytes);
        var value = reader.ReadVarUInt();
        return (value, reader.Finish());
    }

    [Theory]
    [InlineData(0ul, "00")]
    [InlineData(127ul, "7f")]
    [InlineData(128ul, "8001")]
    [InlineData(300ul, "ac02")]
    [InlineData(ulong.MaxValue, "ffffffffffffffffff01")]
    public void Varints_have_fixed_encodings(ulong value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(Varint(value)));
        Assert.Equal((value, CodecError.None), ReadVarint(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("8000", CodecError.NonMinimalVarint)]
    [InlineData("ff00", CodecError.NonMinimalVarint)]
    [InlineData("ffffffffffffffffff02", CodecError.VarintOverflow)]
    [InlineData("ffffffffffffffffffff01", CodecError.VarintOverflow)]
    [InlineData("80", CodecError.Truncated)]
    [InlineData("0100", CodecError.TrailingBytes)]
    public void Non_canonical_varints_are_refused(string hex, CodecError expected) =>
        Assert.Equal(expected, ReadVarint(Convert.FromHexString(hex)).Error);

    [Fact]
    public void Varint_round_trip_holds_for_every_value() =>
        Prop.ForAll<ulong>(v => ReadVarint(Varint(v)) == (v, CodecError.None)).QuickCheckThrowOnFailure();

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var reader = new SpanReader([0x02, 0xC3, 0x28]);
        reader.ReadString(10);
        Assert.Equal(CodecError.InvalidUtf8, reader.Finish());
    }

    [Fact]
    public void Overlong_utf8_is_refused()
    {
        // "/" encoded in two bytes is not valid UTF-8, so a string has only one encoding.
        var reader = new SpanReader([0x02, 0xC0, 0xAF]);
        reader.ReadString(10);
        Assert.Equal(CodecError.InvalidUtf8, reader.Finish());
    }

    [Fact]
    public void Lengths_above_the_limit_are_refused_before_reading()
    {
        var reader = new SpanReader([0x05, 1, 2, 3, 4, 5]);
        reader.ReadBytes(4);
        Assert.Equal(CodecError.LengthTooLarge, reader.Finish());
    }

    [Fact]
    public void The_first_error_sticks_and_later_reads_return_defaults()
    {
        var reader = new SpanReader([0x01]);
        Assert.Equal(0ul, reader.ReadU64());
        Assert.Equal(0u, reader.ReadU32());
        Assert.Equal(CodecError.Truncated, reader.Error);
        Assert.Equal(0, reader.ErrorOffset);
    }

    [Fact]
    public void Booleans_are_zero_or_one_only()
    {
        var reader = new SpanReader([0x02]);
        reader.ReadBool();
        Assert.Equal(CodecError.InvalidValue, reader.Finish());
    }

    [Fact]
    public void Interned_strings_decode_like_strings_and_a_repeat_is_the_same_instance()
    {
        var interner = new Utf8Interner(4);
        string Read(byte[] bytes, out CodecError error)
        {
            var reader = new SpanReader(bytes);
            var text = reader.ReadInternedString(32, interner);
            error = reader.Finish();
            return text;
        }
        static byte[] Encoded(string text) => [(byte)text.Length, .. System.Text.Encoding.UTF8.GetBytes(text)];

        var ev = Read(Encoded("ev"), out var error);
        Assert.Equal((CodecError.None, "ev"), (error, ev));
        Assert.Same(ev, Read(Encoded("ev"), out _));

        // When full, a new string replaces the oldest: "ev" is decoded afresh after four others.
        for (var n = 0; n < 4; n++)
        {
            Assert.Equal($"schema-{n}", Read(Encoded($"schema-{n}"), out _));
        }
        var again = Read(Encoded("ev"), out _);
        Assert.Equal("ev", again);
        Assert.NotSame(ev, again);
        Assert.Same(again, interner.Find("ev"u8));
        Assert.Null(interner.Find("schema-0"u8));

        Assert.Equal(string.Empty, Read([1, 0xff], out error));
        Assert.Equal(CodecError.InvalidUtf8, error);
        Assert.Equal(string.Empty, Read([3, (byte)'e'], out error));
        Assert.NotEqual(CodecError.None, error);
    }
}

using System.Text;

namespace ThingLedger.Core.Codec;

/// <summary>Encoded sizes of the codec's primitives, so every type can know its size up front.</summary>
public static class CanonicalSizes
{
    public static int VarUInt(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int VarInt(long value) => VarUInt(ZigZag.Encode(value));

    public static int VarInts(ReadOnlySpan<long> values)
    {
        var size = VarUInt((ulong)values.Length);
        foreach (var value in values)
        {
            size += VarInt(value);
        }
        return size;
    }

    public static int Bytes(int length) => VarUInt((ulong)length) + length;

    public static int String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return VarUInt((ulong)length) + length;
    }
}

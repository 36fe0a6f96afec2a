namespace ThingLedger.Core.Codec;

/// <summary>Maps signed integers onto unsigned ones so that small magnitudes stay small (as protobuf's sint64).</summary>
public static class ZigZag
{
    public static ulong Encode(long value) => unchecked((ulong)((value << 1) ^ (value >> 63)));

    public static long Decode(ulong value) => unchecked((long)(value >> 1) ^ -(long)(value & 1));
}

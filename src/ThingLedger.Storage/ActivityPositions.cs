using ThingLedger.Core.Codec;

namespace ThingLedger.Storage;

/// <summary>
/// The tx positions of one activity row (one topic in one block): ascending, each written as a
/// varint of its distance from the one before minus one, the first from −1. A run of consecutive
/// positions is a run of zero bytes.
/// </summary>
internal static class ActivityPositions
{
    /// <summary>The most bytes <paramref name="count"/> positions can take.</summary>
    public static int MaxSize(int count) => count * 5;

    /// <summary>Writes strictly ascending, non-negative <paramref name="positions"/>; returns the byte count.</summary>
    public static int Write(List<int> positions, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        var previous = -1;
        foreach (var position in positions)
        {
            if (position <= previous)
            {
                throw new ArgumentException("positions must be strictly ascending and non-negative", nameof(positions));
            }
            writer.WriteVarUInt((ulong)(position - previous - 1));
            previous = position;
        }
        return writer.Position;
    }

    /// <summary>Reads a row's positions into <paramref name="positions"/>; false when the bytes are not a valid list.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, List<int> positions)
    {
        positions.Clear();
        var reader = new SpanReader(bytes);
        long previous = -1;
        while (reader.Ok && reader.Remaining > 0)
        {
            var position = previous + 1 + (long)Math.Min(reader.ReadVarUInt(), int.MaxValue);
            if (position > int.MaxValue)
            {
                return false;
            }
            positions.Add((int)position);
            previous = position;
        }
        return reader.Ok && positions.Count > 0;
    }
}

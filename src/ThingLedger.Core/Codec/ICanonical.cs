namespace ThingLedger.Core.Codec;

/// <summary>A value with exactly one byte encoding, which knows its size before writing.</summary>
public interface ICanonical
{
    int EncodedLength { get; }

    void Write(ref SpanWriter writer);
}

/// <summary>Helpers to turn canonical values into bytes.</summary>
public static class Canonical
{
    public static byte[] Encode<T>(T value) where T : ICanonical
    {
        var bytes = new byte[value.EncodedLength];
        var writer = new SpanWriter(bytes);
        value.Write(ref writer);
        if (writer.Position != bytes.Length)
        {
            throw new InvalidOperationException($"{typeof(T).Name} wrote {writer.Position} bytes but declared {bytes.Length}");
        }
        return bytes;
    }
}

/// <summary>Reads one canonical value; the reader records any error.</summary>
public delegate T CanonicalReader<out T>(ref SpanReader reader);

/// <summary>A list of canonical values: varuint count, then each value.</summary>
public static class CanonicalList
{
    public static int Length<T>(IReadOnlyList<T> items) where T : ICanonical
    {
        var size = CanonicalSizes.VarUInt((ulong)items.Count);
        foreach (var item in items)
        {
            size += item.EncodedLength;
        }
        return size;
    }

    public static void Write<T>(ref SpanWriter writer, IReadOnlyList<T> items) where T : ICanonical
    {
        writer.WriteVarUInt((ulong)items.Count);
        foreach (var item in items)
        {
            item.Write(ref writer);
        }
    }

    /// <summary>At most <paramref name="max"/> values; stops at the first error.</summary>
    public static T[] Read<T>(ref SpanReader reader, int max, CanonicalReader<T> read)
    {
        var count = reader.ReadCount(max);
        var items = new T[reader.Ok ? count : 0];
        for (var i = 0; i < items.Length && reader.Ok; i++)
        {
            items[i] = read(ref reader);
        }
        return items;
    }
}

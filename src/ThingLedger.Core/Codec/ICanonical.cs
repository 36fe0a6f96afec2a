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

/// <summary>Lists of strings and of addresses: varuint count, then each.</summary>
public static class CanonicalLists
{
    public static int StringsLength(IReadOnlyList<string> items)
    {
        var size = CanonicalSizes.VarUInt((ulong)items.Count);
        foreach (var s in items)
        {
            size += CanonicalSizes.String(s);
        }
        return size;
    }

    public static void WriteStrings(ref SpanWriter writer, IReadOnlyList<string> items)
    {
        writer.WriteVarUInt((ulong)items.Count);
        foreach (var s in items)
        {
            writer.WriteString(s);
        }
    }

    /// <summary>At most <paramref name="max"/> strings of at most <paramref name="maxBytes"/> each; empty on any error.</summary>
    public static string[] ReadStrings(ref SpanReader reader, int max, int maxBytes)
    {
        var count = reader.ReadCount(max);
        var items = new string[reader.Ok ? count : 0];
        for (var i = 0; i < items.Length && reader.Ok; i++)
        {
            items[i] = reader.ReadString(maxBytes);
        }
        return reader.Ok ? items : [];
    }

    public static int AddressesLength(IReadOnlyList<Crypto.Address> items) => CanonicalSizes.VarUInt((ulong)items.Count) + (items.Count * Crypto.Address.Size);

    public static void WriteAddresses(ref SpanWriter writer, IReadOnlyList<Crypto.Address> items)
    {
        writer.WriteVarUInt((ulong)items.Count);
        foreach (var a in items)
        {
            writer.WriteAddress(a);
        }
    }

    /// <summary>At most <paramref name="max"/> addresses; empty on any error.</summary>
    public static Crypto.Address[] ReadAddresses(ref SpanReader reader, int max)
    {
        var count = reader.ReadCount(max);
        var items = new Crypto.Address[reader.Ok ? count : 0];
        for (var i = 0; i < items.Length && reader.Ok; i++)
        {
            items[i] = reader.ReadAddress();
        }
        return reader.Ok ? items : [];
    }
}

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

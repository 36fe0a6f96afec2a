using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Telemetry;

/// <summary>A reading with its own signature.</summary>
public sealed record SignedReading(Reading Reading, byte[] Signature);

/// <summary>A device batch as uploaded: the device, its readings in order, one signature over their root.</summary>
public sealed record SignedBatch(Address Device, Reading[] Readings, byte[] Signature);

/// <summary>
/// The binary body of <c>POST /v1/readings</c>:
/// <c>u8 version ‖ varint n ‖ n × item</c>, item = <c>u8 1 ‖ bytes reading ‖ sig</c> (a signed reading)
/// or <c>u8 2 ‖ address device ‖ varint m ‖ m × bytes reading ‖ sig</c> (a device batch).
/// Readings are decoded on their own, so one malformed reading is reported for that reading;
/// a malformed frame (lengths, kinds, truncation) refuses the whole upload.
/// </summary>
public sealed class ReadingUpload : ICanonical
{
    public const byte CurrentVersion = 1;
    public const byte SingleKind = 1;
    public const byte BatchKind = 2;
    public const int MaxItems = 100_000;

    public ReadingUpload(IReadOnlyList<SignedReading> singles, IReadOnlyList<SignedBatch> batches)
    {
        Singles = singles;
        Batches = batches;
    }

    public IReadOnlyList<SignedReading> Singles { get; }

    public IReadOnlyList<SignedBatch> Batches { get; }

    public int EncodedLength
    {
        get
        {
            var size = 1 + CanonicalSizes.VarUInt((ulong)(Singles.Count + Batches.Count));
            foreach (var s in Singles)
            {
                size += 1 + CanonicalSizes.Bytes(s.Reading.EncodedLength) + Signature.Size;
            }
            foreach (var b in Batches)
            {
                size += 1 + Address.Size + CanonicalSizes.VarUInt((ulong)b.Readings.Length) + Signature.Size;
                foreach (var r in b.Readings)
                {
                    size += CanonicalSizes.Bytes(r.EncodedLength);
                }
            }
            return size;
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8(CurrentVersion);
        writer.WriteVarUInt((ulong)(Singles.Count + Batches.Count));
        foreach (var s in Singles)
        {
            writer.WriteU8(SingleKind);
            writer.WriteBytes(s.Reading.Encoded.Span);
            writer.WriteFixed(s.Signature);
        }
        foreach (var b in Batches)
        {
            writer.WriteU8(BatchKind);
            writer.WriteAddress(b.Device);
            writer.WriteVarUInt((ulong)b.Readings.Length);
            foreach (var r in b.Readings)
            {
                writer.WriteBytes(r.Encoded.Span);
            }
            writer.WriteFixed(b.Signature);
        }
    }
}

/// <summary>One item of a decoded upload, before its readings are checked: raw reading bytes and the signature.</summary>
public sealed record UploadItem(Address? BatchDevice, byte[][] Readings, byte[] Signature);

/// <summary>Splits an upload into items without judging the readings inside.</summary>
public static class ReadingUploadFrame
{
    /// <summary>
    /// Decodes the frame. The readings are counted as they are read (a signed reading counts 1, a
    /// device batch its readings, an empty one 1) and decoding stops with
    /// <see cref="CodecError.OverLimit"/> as soon as the count would pass
    /// <paramref name="maxReadings"/>, so the work and memory an upload costs are bounded by that
    /// limit, not by what its header claims. <paramref name="count"/> is the count read so far.
    /// </summary>
    public static CodecError TryDecode(ReadOnlySpan<byte> bytes, int maxBatchReadings, int maxReadings, out UploadItem[] items, out int count)
    {
        items = [];
        count = 0;
        var reader = new SpanReader(bytes);
        if (reader.ReadU8() != ReadingUpload.CurrentVersion && reader.Ok)
        {
            reader.Fail(CodecError.UnknownVersion);
        }
        var itemCount = reader.ReadCount(ReadingUpload.MaxItems);
        if (reader.Ok && itemCount > maxReadings)
        {
            count = itemCount;
            return CodecError.OverLimit;
        }
        var decoded = new List<UploadItem>(reader.Ok ? Math.Min(itemCount, 4096) : 0);
        for (var i = 0; i < itemCount && reader.Ok; i++)
        {
            var kind = reader.ReadU8();
            if (kind == ReadingUpload.SingleKind)
            {
                count++;
                var reading = reader.ReadByteArray(Reading.MaxEncodedBytes);
                decoded.Add(new UploadItem(null, [reading], reader.ReadFixed(Signature.Size).ToArray()));
            }
            else if (kind == ReadingUpload.BatchKind)
            {
                var device = reader.ReadAddress();
                var length = reader.ReadCount(maxBatchReadings);
                if (reader.Ok && count + Math.Max(1, length) > maxReadings)
                {
                    count += Math.Max(1, length);
                    return CodecError.OverLimit;
                }
                count += Math.Max(1, length);
                var readings = new byte[length][];
                for (var r = 0; r < readings.Length && reader.Ok; r++)
                {
                    readings[r] = reader.ReadByteArray(Reading.MaxEncodedBytes);
                }
                decoded.Add(new UploadItem(device, readings, reader.ReadFixed(Signature.Size).ToArray()));
            }
            else if (reader.Ok)
            {
                reader.Fail(CodecError.InvalidValue);
            }
        }
        var error = reader.Finish();
        if (error == CodecError.None)
        {
            items = [.. decoded];
        }
        return error;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace ThingLedger.Client;

/// <summary>
/// A multivariate screening model as an ONNX file, trained on a device's clean readings: the
/// squared Mahalanobis distance of a reading's fields from their mean, (x − μ)ᵀ Σ⁻¹ (x − μ),
/// computed as ReduceSumSquare(MatMul(x − μ, W)) with W = (L⁻¹)ᵀ for the Cholesky factor L of
/// the covariance Σ. It catches readings whose fields no longer move together (a meter importing
/// while its battery charges from the grid at noon), which no one-field detector sees. The file
/// is plain ONNX (IR 8, opset 13): input "x" float [1, n], output "score" float [1]; ONNX Runtime
/// runs it on every custodian's node, and its SHA-256 is what the registered model names.
/// </summary>
public static class MahalanobisOnnx
{
    /// <summary>Fits mean and covariance to <paramref name="rows"/> (at least n + 1 of them, in field units) and writes the model.</summary>
    public static (byte[] Onnx, double[] Scores) Train(IReadOnlyList<double[]> rows)
    {
        var n = rows[0].Length;
        if (rows.Count <= n)
        {
            throw new FormatException($"training needs more readings than fields: {rows.Count} readings for {n} fields");
        }
        var mean = new double[n];
        foreach (var row in rows)
        {
            for (var i = 0; i < n; i++)
            {
                mean[i] += row[i] / rows.Count;
            }
        }
        var covariance = new double[n, n];
        foreach (var row in rows)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    covariance[i, j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (rows.Count - 1);
                }
            }
        }
        // A field that never moved would make Σ singular: give every variance a floor.
        for (var i = 0; i < n; i++)
        {
            covariance[i, i] += Math.Max(1e-9, 1e-6 * Math.Abs(covariance[i, i]));
        }
        var whitening = Whitening(covariance, n);
        var scores = rows.Select(row => Score(row, mean, whitening)).ToArray();
        return (Write(mean, whitening), scores);
    }

    /// <summary>What the model computes for one reading (the same arithmetic, in double).</summary>
    public static double Score(double[] x, double[] mean, double[,] whitening)
    {
        var n = mean.Length;
        var sum = 0.0;
        for (var j = 0; j < n; j++)
        {
            var y = 0.0;
            for (var i = 0; i < n; i++)
            {
                y += (x[i] - mean[i]) * whitening[i, j];
            }
            sum += y * y;
        }
        return sum;
    }

    /// <summary>W = (L⁻¹)ᵀ with Σ = L Lᵀ, so that ‖(x − μ) W‖² is the squared Mahalanobis distance.</summary>
    private static double[,] Whitening(double[,] sigma, int n)
    {
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = sigma[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }
                l[i, j] = i == j
                    ? Math.Sqrt(sum > 0 ? sum : throw new FormatException("the fields' covariance is not positive definite (a field is a copy of another?)"))
                    : sum / l[j, j];
            }
        }
        var inverse = new double[n, n];
        for (var c = 0; c < n; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var sum = i == c ? 1.0 : 0.0;
                for (var k = 0; k < i; k++)
                {
                    sum -= l[i, k] * inverse[k, c];
                }
                inverse[i, c] = sum / l[i, i];
            }
        }
        var w = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                w[i, j] = inverse[j, i];
            }
        }
        return w;
    }

    private static byte[] Write(double[] mean, double[,] whitening)
    {
        var n = mean.Length;
        var w = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                w[(i * n) + j] = (float)whitening[i, j];
            }
        }
        var graph = new Proto()
            .Message(1, Node("Sub", ["x", "mu"], "centred"))
            .Message(1, Node("MatMul", ["centred", "w"], "whitened"))
            .Message(1, Node("ReduceSumSquare", ["whitened"], "score", new Proto().String(1, "axes").Varint(20, 7).Varint(8, 1),
                new Proto().String(1, "keepdims").Varint(20, 2).Varint(3, 0)))
            .String(2, "thingledger-mahalanobis")
            .Message(5, Tensor("mu", [1, n], [.. mean.Select(m => (float)m)]))
            .Message(5, Tensor("w", [n, n], w))
            .Message(11, Value("x", [1, n]))
            .Message(12, Value("score", [1]));
        return new Proto()
            .Varint(1, 8)
            .String(2, "thingledger")
            .Message(7, graph)
            .Message(8, new Proto().String(1, string.Empty).Varint(2, 13))
            .ToArray();
    }

    private static Proto Node(string op, string[] inputs, string output, params Proto[] attributes)
    {
        var node = new Proto();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }
        node.String(2, output).String(3, output).String(4, op);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute);
        }
        return node;
    }

    private static Proto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new Proto();
        foreach (var d in dims)
        {
            tensor.Varint(1, (ulong)d);
        }
        var packed = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(packed.AsSpan(i * 4), values[i]);
        }
        return tensor.Varint(2, 1).String(8, name).Bytes(9, packed);
    }

    private static Proto Value(string name, long[] dims)
    {
        var shape = new Proto();
        foreach (var d in dims)
        {
            shape.Message(1, new Proto().Varint(1, (ulong)d));
        }
        var tensorType = new Proto().Varint(1, 1).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
    }

    /// <summary>The few protobuf wire types an ONNX file needs: varints and length-delimited fields.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public Proto Varint(int field, ulong value)
        {
            Key(field, 0);
            Raw(value);
            return this;
        }

        public Proto Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private void Key(int field, int wireType) => Raw(((ulong)field << 3) | (uint)wireType);

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }
}

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Screening;

/// <summary>
/// One ONNX rule at work: the file whose SHA-256 the rule names, loaded once into an ONNX Runtime
/// session on one thread, fed each reading's fields in their units as float [1, n].
/// </summary>
internal sealed class OnnxScorer : IDisposable
{
    private readonly OnnxRule _rule;
    private readonly int[] _fields;
    private readonly double[] _scales;
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly float[] _buffer;

    public OnnxScorer(OnnxRule rule, int[] fields, byte[] decimals, Func<Hash, byte[]?>? files)
    {
        var bytes = files?.Invoke(rule.File)
            ?? throw new ArgumentException($"the ONNX file {rule.File} is not installed on this node (thingledger screening install FILE)");
        var actual = Hash.Sha256(bytes);
        if (actual != rule.File)
        {
            throw new ArgumentException($"the installed ONNX file hashes to {actual}, not the {rule.File} the model registered");
        }
        _rule = rule;
        _fields = fields;
        _scales = [.. decimals.Select(d => Math.Pow(10, d))];
        _buffer = new float[fields.Length];
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        try
        {
            _session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ArgumentException($"the ONNX file {rule.File} does not load: {e.Message}");
        }
        var input = _session.InputMetadata.First();
        _input = input.Key;
        if (_session.InputMetadata.Count != 1 || input.Value.ElementType != typeof(float) || input.Value.Dimensions.Length != 2 ||
            (input.Value.Dimensions[1] > 0 && input.Value.Dimensions[1] != fields.Length))
        {
            _session.Dispose();
            throw new ArgumentException($"the ONNX file {rule.File} takes {string.Join(", ", _session.InputMetadata.Select(m => $"{m.Key} [{string.Join(", ", m.Value.Dimensions)}]"))}, " +
                $"not one float [1, {fields.Length}] of {string.Join(", ", rule.Inputs)}");
        }
    }

    /// <summary>The reading's score against the threshold: a flag scored by how far above it lies, or 0.</summary>
    public ushort Flag(long[] values)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            _buffer[i] = (float)(values[_fields[i]] / _scales[i]);
        }
        var tensor = new DenseTensor<float>(_buffer, [1, _fields.Length]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, tensor)]);
        var score = results.First().AsEnumerable<float>().First();
        var threshold = _rule.ThresholdMilli / 1000.0;
        return double.IsNaN(score) || score <= threshold ? (ushort)0 : (ushort)Math.Clamp(Math.Round(500 * score / threshold), 1, FlagCodes.MaxScore);
    }

    public void Dispose() => _session.Dispose();
}

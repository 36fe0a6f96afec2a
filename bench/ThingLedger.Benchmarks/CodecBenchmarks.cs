using BenchmarkDotNet.Attributes;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Benchmarks;

/// <summary>Encoding and strict decoding of a typical token transfer.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly Transaction _tx;
    private readonly byte[] _bytes;

    public CodecBenchmarks()
    {
        using var key = KeyPair.Generate();
        var payload = Canonical.Encode(new TokenAmountPayload("VOLT", key.Address, 250));
        _tx = Transaction.Create("bench-chain", "tokens", "transfer", payload, key, 1, ulong.MaxValue);
        _bytes = _tx.Encode();
    }

    [Benchmark]
    public byte[] EncodeBody() => _tx.EncodeBody();

    [Benchmark]
    public Transaction? Decode()
    {
        Transaction.TryDecode(_bytes, out var tx);
        return tx;
    }
}

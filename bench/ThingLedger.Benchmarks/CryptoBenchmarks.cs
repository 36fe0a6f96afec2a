using BenchmarkDotNet.Attributes;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Benchmarks;

/// <summary>Sign and verify one digest; verification with the parsed key cached, as the node does.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly KeyPair _key = KeyPair.Generate();
    private readonly Hash _digest = Hash.Sha256("thingledger"u8);
    private byte[] _signature = [];

    [GlobalSetup]
    public void Setup() => _signature = _key.Sign(_digest);

    [Benchmark]
    public byte[] Sign() => _key.Sign(_digest);

    [Benchmark]
    public bool Verify() => SignatureVerifier.Verify(_key.PublicKey, _digest, _signature);

    [Benchmark]
    public Address AddressFromKey() => Address.FromPublicKey(_key.PublicKey);
}

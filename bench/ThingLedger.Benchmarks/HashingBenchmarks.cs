using BenchmarkDotNet.Attributes;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;

namespace ThingLedger.Benchmarks;

/// <summary>Hashes of concatenations on the hot path: a receipt's Merkle leaf, a tx's signing digest, an address.</summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private readonly byte[] _receipt = new byte[250];
    private readonly byte[] _txBody = new byte[200];
    private readonly KeyPair _key = KeyPair.Generate();

    [Benchmark]
    public Hash ReceiptLeafHash() => MerkleTree.LeafHash(_receipt);

    [Benchmark]
    public Hash TxSigningDigest() => SigningDigest.Compute(DomainTags.Transaction, "thingledger-dev", _txBody);

    [Benchmark]
    public Address AddressFromKey() => Address.FromPublicKey(_key.PublicKey);
}

using System.Security.Cryptography;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Tests.Crypto;

public sealed class HashTests
{
    [Fact]
    public void On_linux_hashing_goes_through_libcrypto_directly()
    {
        // The ledger's throughput figures assume the native path; a machine where it does not load
        // must say so here rather than run quietly slower.
        Assert.True(!OperatingSystem.IsLinux() || Sha256Engine.IsNative, "libcrypto's SHA256_Init/Update/Final did not load or disagreed with SHA256.HashData");
    }

    [Fact]
    public void Every_hashing_path_gives_the_digest_of_the_joined_bytes()
    {
        var random = new Random(20261121);
        var data = new byte[(2 * Sha256Engine.NativeLimit) + 100];
        random.NextBytes(data);
        var lengths = Enumerable.Range(0, 200).Concat([255, 256, 1000, Sha256Engine.NativeLimit - 1, Sha256Engine.NativeLimit,
            Sha256Engine.NativeLimit + 1, data.Length]);
        foreach (var length in lengths)
        {
            var bytes = data.AsSpan(0, length);
            var expected = new Hash(SHA256.HashData(bytes));
            Assert.Equal(expected, Hash.Sha256(bytes));
            var split = random.Next(length + 1);
            Assert.Equal(expected, Hash.Sha256(bytes[..split], bytes[split..]));
            if (length > 0)
            {
                Assert.Equal(expected, Hash.Sha256(bytes[0], bytes[1..]));
            }
        }
        var (left, right) = (Hash.Sha256([1]), Hash.Sha256([2]));
        Assert.Equal(new Hash(SHA256.HashData([7, .. left.ToArray(), .. right.ToArray()])), Hash.Sha256(7, left, right));
    }
}

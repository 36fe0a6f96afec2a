using System.Diagnostics;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Cli.Bench;

/// <summary>The machine's raw ECDSA P-256 verification rate on all cores, with parsed keys cached as the node caches them.</summary>
internal static class VerifyRate
{
    public static double Measure(TimeSpan duration)
    {
        const int Samples = 256;
        var keys = Enumerable.Range(0, 16).Select(_ => KeyPair.Generate()).ToArray();
        var digests = new Hash[Samples];
        var signatures = new byte[Samples][];
        var publicKeys = new PublicKey[Samples];
        for (var i = 0; i < Samples; i++)
        {
            digests[i] = Hash.Sha256(BitConverter.GetBytes(i));
            signatures[i] = keys[i % keys.Length].Sign(digests[i]);
            publicKeys[i] = keys[i % keys.Length].PublicKey;
        }
        long total = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, Environment.ProcessorCount, _ =>
        {
            long count = 0;
            while (clock.Elapsed < duration)
            {
                for (var i = 0; i < Samples; i++)
                {
                    if (!SignatureVerifier.Verify(publicKeys[i], digests[i], signatures[i]))
                    {
                        throw new InvalidOperationException("a benchmark signature failed to verify");
                    }
                }
                count += Samples;
            }
            Interlocked.Add(ref total, count);
        });
        foreach (var key in keys)
        {
            key.Dispose();
        }
        return total / clock.Elapsed.TotalSeconds;
    }
}

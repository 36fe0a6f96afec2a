using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Cli.Bench;

/// <summary>How the macro benchmarks submit many signed txs.</summary>
internal static class BenchSubmit
{
    /// <summary>Submits <paramref name="txs"/> in <paramref name="senders"/> lanes by signer, so each signer's txs arrive in nonce order, each batch waiting for its commit.</summary>
    public static async Task InLanesAsync(ThingLedgerClient client, IReadOnlyList<Transaction> txs, int senders, int batch, CancellationToken ct)
    {
        var lanes = txs.GroupBy(t => (t.SignerAddress.GetHashCode() & int.MaxValue) % senders).Select(g => g.ToList()).ToList();
        await Task.WhenAll(lanes.Select(async lane =>
        {
            foreach (var chunk in lane.Chunk(batch))
            {
                var response = await client.SubmitAsync(chunk, wait: true, timeoutMs: 60_000, ct).ConfigureAwait(false);
                if (response.Results.FirstOrDefault(r => r.Status != TxState.Committed) is { } failed)
                {
                    throw new InvalidOperationException($"a benchmark tx was not committed: {failed.Status.Text()} {failed.Code} {failed.Message}".TrimEnd());
                }
            }
        })).ConfigureAwait(false);
    }
}
